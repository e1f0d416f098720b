// INCRBYFLOAT key increment: long double arithmetic, parsed and printed
// exactly as Redis does (long_double.h), so that results read back
// identically.
#include <cmath>
#include <string>

#include "shard/kv/commands/long_double.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {

void IncrByFloatCommand(CommandContext& ctx) {
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  long double current = 0;
  long double increment = 0;
  if ((entry != nullptr && !ParseLongDouble(entry->string(), &current)) ||
      !ParseLongDouble(ctx.args[2], &increment)) {
    ctx.reply.Error(kNotFloatError);
    return;
  }
  const long double result = current + increment;
  if (std::isnan(result) || std::isinf(result)) {
    ctx.reply.Error("ERR increment would produce NaN or Infinity");
    return;
  }
  const std::string text = FormatLongDouble(result);
  if (entry == nullptr) {
    ctx.store.SetString(ctx.args[1], text, /*expire_at_ms=*/0);
  } else {
    entry->AssignString(text);  // keeps the expiry, as Redis does
  }
  ctx.Notify(kNotifyString, "incrbyfloat", ctx.args[1]);
  ctx.reply.Bulk(text);
}

}  // namespace shardd::kv
