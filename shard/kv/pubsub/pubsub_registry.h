// PubSubRegistry: one shard's subscriptions, by channel, pattern and shard
// channel, for the subscribers connected to that shard. A PUBLISH reaches
// every shard's registry (exec/publish.h); each delivers to its own
// subscribers, so no subscriber is touched by another thread.
//
//   registry.Add(SubscriptionKind::kChannel, "news", &subscriber);
//   int64_t receivers = registry.Publish("news", "hello", /*sharded=*/false);
//
// interest() is read by other shards: a shard with no subscription at all
// is skipped by publishers, so PUBLISH costs no hop to it.
#ifndef SHARDD_SHARD_KV_PUBSUB_PUBSUB_REGISTRY_H_
#define SHARDD_SHARD_KV_PUBSUB_PUBSUB_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "shard/kv/pubsub/subscriber.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {

class PubSubRegistry {
 public:
  // Adds `subscriber` under `name`; false if it was there already. Removes
  // likewise.
  bool Add(SubscriptionKind kind, std::string_view name,
           Subscriber* subscriber);
  bool Remove(SubscriptionKind kind, std::string_view name,
              Subscriber* subscriber);

  // Delivers `payload`, published on `channel`, to this shard's
  // subscribers: those of the channel, then those of each matching pattern
  // ("pmessage"); with `sharded`, those of the shard channel ("smessage").
  // Returns how many received it.
  int64_t Publish(std::string_view channel, std::string_view payload,
                  bool sharded);

  // MONITOR: this shard's monitoring connections, which get `line` (one
  // encoded reply) for every command run anywhere. A monitor counts as
  // interest.
  void AddMonitor(Subscriber* monitor);
  void RemoveMonitor(Subscriber* monitor);
  void FeedMonitors(std::string_view line);

  // PUBSUB: the channels (or shard channels) with subscribers here that
  // match `pattern` (all if empty); the subscribers of one; the patterns.
  void AppendChannels(SubscriptionKind kind, std::string_view pattern,
                      std::vector<std::string>* out) const;
  int64_t Subscribers(SubscriptionKind kind, std::string_view name) const;
  void AppendPatterns(std::vector<std::string>* out) const;

  // Subscriptions on this shard, of any kind; read by other shards.
  uint64_t interest() const {
    return interest_.load(std::memory_order_acquire);
  }

 private:
  using Table = absl::flat_hash_map<std::string, std::vector<Subscriber*>,
                                    StringViewHash, std::equal_to<>>;
  Table& TableOf(SubscriptionKind kind);
  const Table& TableOf(SubscriptionKind kind) const;

  Table channels_;
  Table patterns_;
  Table shard_channels_;
  std::vector<Subscriber*> monitors_;
  std::atomic<uint64_t> interest_{0};
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PUBSUB_PUBSUB_REGISTRY_H_
