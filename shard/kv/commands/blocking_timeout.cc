#include "shard/kv/commands/blocking_timeout.h"

#include "shard/kv/commands/long_double.h"

namespace shardd::kv {

bool ParseBlockingTimeout(std::string_view arg, int64_t* timeout_ms,
                          std::string_view* error) {
  long double seconds;
  if (!ParseLongDouble(arg, &seconds)) {
    if (error != nullptr) *error = kTimeoutNotFloatError;
    return false;
  }
  const long double millis = seconds * 1000.0L;
  // 2^63: from here up (and for infinities) the conversion is out of range.
  constexpr long double kLimit = 9223372036854775808.0L;
  const int64_t truncated = millis < kLimit && millis > -kLimit
                                ? static_cast<int64_t>(millis)
                                : INT64_MIN;
  if (truncated < 0) {
    if (error != nullptr) *error = kTimeoutNegativeError;
    return false;
  }
  *timeout_ms = truncated;
  return true;
}

}  // namespace shardd::kv
