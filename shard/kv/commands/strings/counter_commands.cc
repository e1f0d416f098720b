// INCR, DECR, INCRBY, DECRBY: a string that holds a decimal int64, changed
// in place. The expiry is kept, as in Redis.
#include <charconv>
#include <cstdint>
#include <limits>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

void IncrementBy(CommandContext& ctx, int64_t delta) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::string_view key = ctx.args[1];
  Entry* entry;
  if (!FindString(ctx, key, &entry)) return;
  int64_t value = 0;
  if (entry != nullptr && !ParseInt64(entry->string(), &value)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if ((delta < 0 && value < 0 && delta < kMin - value) ||
      (delta > 0 && value > 0 && delta > kMax - value)) {
    ctx.reply.Error(kOverflowError);
    return;
  }
  value += delta;
  // "-9223372036854775808" is the longest an int64 gets: 20 characters.
  char buffer[20];
  const char* end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
  const std::string_view digits(buffer, end - buffer);
  if (entry == nullptr) {
    ctx.store.SetString(key, digits, /*expire_at_ms=*/0);
  } else {
    entry->AssignString(digits);
  }
  ctx.Notify(kNotifyString, "incrby", key);
  ctx.reply.Integer(value);
}

// The increment in args[2], or false after replying with the error.
bool ParseDelta(CommandContext& ctx, int64_t* delta) {
  if (ParseInt64(ctx.args[2], delta)) return true;
  ctx.reply.Error(kNotIntegerError);
  return false;
}

}  // namespace

void IncrCommand(CommandContext& ctx) { IncrementBy(ctx, 1); }

void DecrCommand(CommandContext& ctx) { IncrementBy(ctx, -1); }

void IncrByCommand(CommandContext& ctx) {
  int64_t delta;
  if (ParseDelta(ctx, &delta)) IncrementBy(ctx, delta);
}

void DecrByCommand(CommandContext& ctx) {
  int64_t delta;
  if (!ParseDelta(ctx, &delta)) return;
  // INT64_MIN has no positive counterpart to add; Redis has its own message.
  if (delta == std::numeric_limits<int64_t>::min()) {
    ctx.reply.Error("ERR decrement would overflow");
    return;
  }
  IncrementBy(ctx, -delta);
}

}  // namespace shardd::kv
