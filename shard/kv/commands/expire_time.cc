#include "shard/kv/commands/expire_time.h"

#include <limits>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {

bool ResolveExpireAt(CommandContext& ctx, std::string_view command,
                     std::string_view amount, int64_t unit_ms, bool relative,
                     bool positive, int64_t* expire_at_ms) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value;
  if (!ParseInt64(amount, &value)) {
    ctx.reply.Error(kNotIntegerError);
    return false;
  }
  if ((positive && value <= 0) || value > kMax / unit_ms ||
      value < kMin / unit_ms) {
    ReplyInvalidExpireTime(ctx.reply, command);
    return false;
  }
  value *= unit_ms;
  if (relative) {
    if (value > kMax - ctx.now_ms) {
      ReplyInvalidExpireTime(ctx.reply, command);
      return false;
    }
    value += ctx.now_ms;
  }
  *expire_at_ms = value;
  return true;
}

}  // namespace shardd::kv
