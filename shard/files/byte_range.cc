#include "shard/files/byte_range.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace shardd::files {
namespace {

// Digits only (no sign, no space), without overflow; nullopt otherwise.
std::optional<uint64_t> ParseDigits(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

RangeResult ParseByteRange(std::string_view header, uint64_t size,
                           ByteRange* range) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(header.data(), kUnit.size()),
                              absl::string_view(kUnit.data(), kUnit.size()))) {
    return RangeResult::kWhole;
  }
  std::string_view spec = header.substr(kUnit.size());
  while (!spec.empty() && (spec.front() == ' ' || spec.front() == '\t')) {
    spec.remove_prefix(1);
  }
  while (!spec.empty() && (spec.back() == ' ' || spec.back() == '\t')) {
    spec.remove_suffix(1);
  }
  if (spec.find(',') != std::string_view::npos) return RangeResult::kWhole;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::kWhole;
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // "-n": the last n bytes
    const std::optional<uint64_t> suffix = ParseDigits(last_text);
    if (!suffix.has_value()) return RangeResult::kWhole;
    if (*suffix == 0 || size == 0) return RangeResult::kUnsatisfiable;
    range->first = size - std::min(*suffix, size);
    range->last = size - 1;
    return RangeResult::kRange;
  }
  const std::optional<uint64_t> first = ParseDigits(first_text);
  if (!first.has_value()) return RangeResult::kWhole;
  uint64_t last = UINT64_MAX;
  if (!last_text.empty()) {
    const std::optional<uint64_t> parsed = ParseDigits(last_text);
    if (!parsed.has_value() || *parsed < *first) return RangeResult::kWhole;
    last = *parsed;
  }
  if (*first >= size) return RangeResult::kUnsatisfiable;
  range->first = *first;
  range->last = std::min(last, size - 1);
  return RangeResult::kRange;
}

}  // namespace shardd::files
