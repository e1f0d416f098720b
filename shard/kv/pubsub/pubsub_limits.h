// The output limits of a subscribed client, as Redis's
// client-output-buffer-limit for its pubsub class, and their flag syntax.
//
//   PubSubLimits limits;
//   if (!ParsePubSubLimits("32mb 8mb 60", &limits)) ...;
#ifndef SHARDD_SHARD_KV_PUBSUB_PUBSUB_LIMITS_H_
#define SHARDD_SHARD_KV_PUBSUB_PUBSUB_LIMITS_H_

#include <cstddef>
#include <string_view>

#include "absl/time/time.h"

namespace shardd::kv {

// Past `hard_bytes` waiting to be sent, or past `soft_bytes` for
// `soft_period` without a break, a subscriber is disconnected (0 turns a
// limit off). Redis's defaults.
struct PubSubLimits {
  size_t hard_bytes = 32u << 20;
  size_t soft_bytes = 8u << 20;
  absl::Duration soft_period = absl::Seconds(60);
};

// "<hard> <soft> <seconds>", the sizes as Redis writes them: a number of
// bytes, or with a unit, k/m/g (10^3, 10^6, 10^9) or kb/mb/gb (2^10, 2^20,
// 2^30), in any case. False (and `*limits` unchanged) if malformed.
bool ParsePubSubLimits(std::string_view text, PubSubLimits* limits);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PUBSUB_PUBSUB_LIMITS_H_
