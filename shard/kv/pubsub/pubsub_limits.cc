#include "shard/kv/pubsub/pubsub_limits.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "shard/kv/commands/arg_parsing.h"

namespace shardd::kv {

bool ParsePubSubLimits(std::string_view text, PubSubLimits* limits) {
  const std::vector<std::string> fields =
      absl::StrSplit(std::string(text), ' ', absl::SkipEmpty());
  PubSubLimits parsed;
  uint64_t hard = 0;
  uint64_t soft = 0;
  uint32_t seconds = 0;
  if (fields.size() != 3 || !ParseMemorySize(fields[0], &hard) ||
      !ParseMemorySize(fields[1], &soft) ||
      !absl::SimpleAtoi(fields[2], &seconds)) {
    return false;
  }
  parsed.hard_bytes = hard;
  parsed.soft_bytes = soft;
  parsed.soft_period = absl::Seconds(seconds);
  *limits = parsed;
  return true;
}

}  // namespace shardd::kv
