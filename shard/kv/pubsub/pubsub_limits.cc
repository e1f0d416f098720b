#include "shard/kv/pubsub/pubsub_limits.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace shardd::kv {
namespace {

bool ParseSize(std::string_view text, size_t* bytes) {
  std::string lower = absl::AsciiStrToLower(std::string(text));
  uint64_t unit = 1;
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"kb", uint64_t{1} << 10}, {"mb", uint64_t{1} << 20},
      {"gb", uint64_t{1} << 30}, {"k", 1000},
      {"m", 1000 * 1000},        {"g", 1000 * 1000 * 1000},
  };
  for (const auto& [suffix, size] : kUnits) {
    if (lower.size() > suffix.size() && lower.ends_with(suffix)) {
      unit = size;
      lower.resize(lower.size() - suffix.size());
      break;
    }
  }
  uint64_t number = 0;
  if (!absl::SimpleAtoi(lower, &number) ||
      number > std::numeric_limits<uint64_t>::max() / unit) {
    return false;
  }
  *bytes = number * unit;
  return true;
}

}  // namespace

bool ParsePubSubLimits(std::string_view text, PubSubLimits* limits) {
  const std::vector<std::string> fields =
      absl::StrSplit(std::string(text), ' ', absl::SkipEmpty());
  PubSubLimits parsed;
  uint32_t seconds = 0;
  if (fields.size() != 3 || !ParseSize(fields[0], &parsed.hard_bytes) ||
      !ParseSize(fields[1], &parsed.soft_bytes) ||
      !absl::SimpleAtoi(fields[2], &seconds)) {
    return false;
  }
  parsed.soft_period = absl::Seconds(seconds);
  *limits = parsed;
  return true;
}

}  // namespace shardd::kv
