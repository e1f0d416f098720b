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

void KeysBeforeTimeout(CommandArgs args, std::vector<size_t>* positions) {
  for (size_t i = 1; i + 1 < args.size(); ++i) positions->push_back(i);
}

bool CheckBlockingTimeout(CommandContext& ctx, std::string_view timeout) {
  int64_t timeout_ms;
  std::string_view error;
  if (ParseBlockingTimeout(timeout, &timeout_ms, &error)) return true;
  ctx.reply.Error(error);
  return false;
}

}  // namespace shardd::kv
