#include "shard/kv/commands/arg_parsing.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "net/resp/integer.h"

namespace shardd::kv {

bool ParseInt64(std::string_view text, int64_t* value) {
  // Arguments follow the same integer rules as RESP's length headers.
  return resp::ParseInteger(text, value);
}

bool ParseDouble(std::string_view text, double* value) {
  // strtod needs a terminated string; a NUL inside `text` ends it early and
  // so fails the "whole argument" check below, as in Redis.
  const std::string terminated(text);
  if (terminated.empty() ||
      std::isspace(static_cast<unsigned char>(terminated[0]))) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(terminated.c_str(), &end);
  if (end != terminated.c_str() + terminated.size()) return false;
  if (errno == ERANGE &&
      (std::isinf(parsed) || std::fpclassify(parsed) == FP_ZERO)) {
    return false;
  }
  if (std::isnan(parsed)) return false;
  *value = parsed;
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  // The system Abseil has its own absl::string_view, distinct from
  // std::string_view, hence the explicit conversions.
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

bool ParseMemorySize(std::string_view text, uint64_t* bytes) {
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

bool IsValidClientName(std::string_view name) {
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c >= '!' && c <= '~'; });
}

}  // namespace shardd::kv
