// GETEX key [EX s | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST]: GET that
// also sets or drops the expiry. As in Redis 7.0, the option syntax is
// checked first, then the key (missing: nil; wrong type: WRONGTYPE), and only
// then the expire time.
#include <cstdint>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/expire_time.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

struct GetExOptions {
  bool persist = false;
  std::string_view unit;    // "EX", "PX", "EXAT" or "PXAT"; empty if none
  std::string_view amount;  // the number after it
};

bool ParseGetExOptions(CommandArgs args, GetExOptions* options) {
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string_view option = args[i];
    const bool expiry = EqualsIgnoreCase(option, "EX") ||
                        EqualsIgnoreCase(option, "PX") ||
                        EqualsIgnoreCase(option, "EXAT") ||
                        EqualsIgnoreCase(option, "PXAT");
    if (EqualsIgnoreCase(option, "PERSIST") && options->unit.empty()) {
      options->persist = true;
    } else if (expiry && i + 1 < args.size() && !options->persist &&
               (options->unit.empty() ||
                EqualsIgnoreCase(options->unit, option))) {
      options->unit = option;
      options->amount = args[++i];
    } else {
      return false;
    }
  }
  return true;
}

// The absolute expiry in ms, or false after replying the error.
bool ExpiryFromOptions(CommandContext& ctx, const GetExOptions& options,
                       int64_t* expire_at_ms) {
  const bool seconds = EqualsIgnoreCase(options.unit, "EX") ||
                       EqualsIgnoreCase(options.unit, "EXAT");
  const bool relative = EqualsIgnoreCase(options.unit, "EX") ||
                        EqualsIgnoreCase(options.unit, "PX");
  return ResolveExpireAt(ctx, "getex", options.amount, seconds ? 1000 : 1,
                         relative, /*positive=*/true, expire_at_ms);
}

}  // namespace

void GetExCommand(CommandContext& ctx) {
  GetExOptions options;
  if (!ParseGetExOptions(ctx.args, &options)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.NullBulk();
    ctx.changed_nothing = true;
    return;
  }
  int64_t expire_at_ms = 0;
  if (!options.unit.empty() && !ExpiryFromOptions(ctx, options, &expire_at_ms)) {
    return;
  }
  ctx.reply.Bulk(entry->string());
  if (!options.unit.empty()) {
    // Only EXAT/PXAT can be past: EX and PX must be positive.
    if (expire_at_ms <= ctx.now_ms) {
      ctx.DeleteKey(ctx.args[1]);
    } else {
      ctx.store.SetExpiry(ctx.args[1], expire_at_ms);
      ctx.Notify(kNotifyGeneric, "expire", ctx.args[1]);
    }
  } else if (options.persist && entry->expire_at_ms() != 0) {
    // As Redis, "persist" only when there was an expiry to drop.
    ctx.store.SetExpiry(ctx.args[1], 0);
    ctx.Notify(kNotifyGeneric, "persist", ctx.args[1]);
  } else {
    ctx.changed_nothing = true;  // a GET
  }
}

}  // namespace shardd::kv
