// HINCRBY and HINCRBYFLOAT: a hash field that holds a number, changed in
// place. Missing keys and fields count from 0.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/hash/hash_handlers.h"
#include "shard/kv/commands/long_double.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

// The hash at args[1], created if missing; null after replying WRONGTYPE.
HashValue* FindOrCreateHash(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return nullptr;
  if (hash == nullptr) {
    hash = &ctx.store.Create(ctx.args[1], ValueType::kHash).hash();
  }
  return hash;
}

}  // namespace

void HIncrByCommand(CommandContext& ctx) {
  int64_t delta;
  if (!ParseInt64(ctx.args[3], &delta)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  // A new key cannot fail below: the field counts from 0 and 0 + delta fits.
  HashValue* hash = FindOrCreateHash(ctx);
  if (hash == nullptr) return;
  int64_t value = 0;
  if (const std::string* old = hash->Find(ctx.args[2]);
      old != nullptr && !ParseInt64(*old, &value)) {
    ctx.reply.Error("ERR hash value is not an integer");
    return;
  }
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if ((delta < 0 && value < 0 && delta < kMin - value) ||
      (delta > 0 && value > 0 && delta > kMax - value)) {
    ctx.reply.Error(kOverflowError);
    return;
  }
  value += delta;
  char digits[20];  // "-9223372036854775808" is the longest
  const char* end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  hash->Set(ctx.args[2], std::string_view(digits, end - digits));
  ctx.reply.Integer(value);
  ctx.Notify(kNotifyHash, "hincrby", ctx.args[1]);
}

void HIncrByFloatCommand(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[3], &delta)) {
    ctx.reply.Error(kNotFloatError);
    return;
  }
  if (std::isinf(delta)) {  // NaN was rejected as not a float
    ctx.reply.Error("ERR value is NaN or Infinity");
    return;
  }
  HashValue* hash = FindOrCreateHash(ctx);
  if (hash == nullptr) return;
  long double value = 0;
  if (const std::string* old = hash->Find(ctx.args[2]);
      old != nullptr && !ParseLongDouble(*old, &value)) {
    ctx.reply.Error("ERR hash value is not a float");
    return;
  }
  value += delta;
  if (std::isnan(value) || std::isinf(value)) {
    // Only an existing field can overflow, so no empty hash is left behind.
    ctx.reply.Error("ERR increment would produce NaN or Infinity");
    return;
  }
  const std::string formatted = FormatLongDouble(value);
  hash->Set(ctx.args[2], formatted);
  ctx.reply.Bulk(formatted);
  ctx.Notify(kNotifyHash, "hincrbyfloat", ctx.args[1]);
}

}  // namespace shardd::kv
