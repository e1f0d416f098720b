#include "shard/kv/arg_parsing.h"

#include <charconv>
#include <system_error>

#include "absl/strings/match.h"

namespace shardd::kv {

bool ParseInt64(std::string_view text, int64_t* value) {
  if (text == "0") {
    *value = 0;
    return true;
  }
  // Check the shape first: from_chars alone would take leading zeros and
  // "-0", which Redis refuses.
  const size_t first_digit = (!text.empty() && text[0] == '-') ? 1 : 0;
  if (text.size() <= first_digit || text[first_digit] < '1' ||
      text[first_digit] > '9') {
    return false;
  }
  int64_t parsed = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, parsed);
  if (error != std::errc() || ptr != end) return false;
  *value = parsed;
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  // The system Abseil has its own absl::string_view, distinct from
  // std::string_view, hence the explicit conversions.
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

}  // namespace shardd::kv
