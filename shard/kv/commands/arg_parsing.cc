#include "shard/kv/commands/arg_parsing.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "net/resp/integer.h"

namespace shardd::kv {

bool ParseInt64(std::string_view text, int64_t* value) {
  // Arguments follow the same integer rules as RESP's length headers.
  return resp::ParseInteger(text, value);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  // The system Abseil has its own absl::string_view, distinct from
  // std::string_view, hence the explicit conversions.
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

bool IsValidClientName(std::string_view name) {
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c >= '!' && c <= '~'; });
}

}  // namespace shardd::kv
