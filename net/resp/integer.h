// The integer syntax RESP uses in headers (`*3`, `$5`) and integer replies
// (`:42`), parsed with Redis's own rules (util.c string2ll) so that shardd
// accepts and rejects exactly the lengths Redis does: an optional '-', no '+',
// no leading zeros, no spaces, and the value must fit in an int64_t.
//
//   int64_t n;
//   bool ok = resp::ParseInteger("-12", &n);   // true, n == -12
//   ok = resp::ParseInteger("012", &n);        // false
#ifndef SHARDD_NET_RESP_INTEGER_H_
#define SHARDD_NET_RESP_INTEGER_H_

#include <cstdint>
#include <string_view>

namespace shardd::resp {

inline bool ParseInteger(std::string_view text, int64_t* value) {
  // 20 characters hold "-9223372036854775808"; anything longer overflows.
  if (text.empty() || text.size() > 20) return false;
  const bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text == "0" && !negative) {
    *value = 0;
    return true;
  }
  // Redis rejects "-0" as well as leading zeros.
  if (text.empty() || text.front() < '1' || text.front() > '9') return false;
  uint64_t magnitude = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (negative) {
    if (magnitude > kMaxPositive + 1) return false;
    // Negating in unsigned arithmetic is well defined, even for INT64_MIN.
    *value = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > kMaxPositive) return false;
    *value = static_cast<int64_t>(magnitude);
  }
  return true;
}

}  // namespace shardd::resp

#endif  // SHARDD_NET_RESP_INTEGER_H_
