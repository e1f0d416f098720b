// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms |
// KEEPTTL], with Redis 7.0's rules for which options combine and in which
// order errors are reported: first the option syntax, then the expire time,
// and only then the key.
#include <cstdint>
#include <limits>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/expire_time.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"

namespace shardd::kv {
namespace {

enum SetFlag : uint32_t {
  kNx = 1 << 0,
  kXx = 1 << 1,
  kGet = 1 << 2,
  kKeepTtl = 1 << 3,
  kEx = 1 << 4,
  kPx = 1 << 5,
  kExAt = 1 << 6,
  kPxAt = 1 << 7,
};
constexpr uint32_t kAnyExpiry = kEx | kPx | kExAt | kPxAt;

struct SetOptions {
  uint32_t flags = 0;
  std::string_view expire_arg;  // the number after EX/PX/EXAT/PXAT
};

// The expiry flag that `option` names, or 0.
uint32_t ExpiryFlag(std::string_view option) {
  if (EqualsIgnoreCase(option, "EX")) return kEx;
  if (EqualsIgnoreCase(option, "PX")) return kPx;
  if (EqualsIgnoreCase(option, "EXAT")) return kExAt;
  if (EqualsIgnoreCase(option, "PXAT")) return kPxAt;
  return 0;
}

// Parses args[3..]. Returns false on a syntax error. As in Redis, repeating
// an option is allowed (the last EX wins), but NX with XX, or two different
// expiry options, or an expiry option with KEEPTTL, is not.
bool ParseSetOptions(CommandArgs args, SetOptions* options) {
  uint32_t& flags = options->flags;
  for (size_t i = 3; i < args.size(); ++i) {
    const std::string_view option = args[i];
    const bool has_value = i + 1 < args.size();
    const uint32_t expiry = ExpiryFlag(option);
    if (EqualsIgnoreCase(option, "NX") && !(flags & kXx)) {
      flags |= kNx;
    } else if (EqualsIgnoreCase(option, "XX") && !(flags & kNx)) {
      flags |= kXx;
    } else if (EqualsIgnoreCase(option, "GET")) {
      flags |= kGet;
    } else if (EqualsIgnoreCase(option, "KEEPTTL") && !(flags & kAnyExpiry)) {
      flags |= kKeepTtl;
    } else if (expiry != 0 && has_value &&
               !(flags & (kKeepTtl | (kAnyExpiry & ~expiry)))) {
      flags |= expiry;
      options->expire_arg = args[++i];
    } else {
      return false;
    }
  }
  return true;
}

// Converts the expiry option to an absolute time in ms. Replies with the
// error and returns false if it is not a number, not positive, or overflows.
bool ExpireAtMs(CommandContext& ctx, const SetOptions& options,
                int64_t* expire_at_ms) {
  const bool seconds = options.flags & (kEx | kExAt);
  const bool relative = options.flags & (kEx | kPx);
  return ResolveExpireAt(ctx, "set", options.expire_arg, seconds ? 1000 : 1,
                         relative, /*positive=*/true, expire_at_ms);
}

}  // namespace

void SetCommand(CommandContext& ctx) {
  SetOptions options;
  if (!ParseSetOptions(ctx.args, &options)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  const uint32_t flags = options.flags;
  int64_t expire_at_ms = 0;
  if ((flags & kAnyExpiry) && !ExpireAtMs(ctx, options, &expire_at_ms)) return;

  const std::string_view key = ctx.args[1];
  const std::string_view value = ctx.args[2];
  Entry* existing = ctx.store.Find(key, ctx.now_ms);
  // With GET the reply is the old value whatever happens next; a key of
  // another type makes the whole command fail.
  if ((flags & kGet) && existing != nullptr &&
      existing->type() != ValueType::kString) {
    ctx.reply.Error(kWrongTypeError);
    return;
  }
  if (flags & kGet) {
    if (existing == nullptr) {
      ctx.reply.NullBulk();
    } else {
      ctx.reply.Bulk(existing->string());
    }
  }
  if (((flags & kNx) && existing != nullptr) ||
      ((flags & kXx) && existing == nullptr)) {
    if (!(flags & kGet)) ctx.reply.NullBulk();
    ctx.changed_nothing = true;
    return;
  }
  if ((flags & kKeepTtl) && existing != nullptr) {
    existing->AssignString(value);  // whatever type it held
  } else {
    // A time already past is stored as is, as Redis 7.0 does; the key then
    // reads as absent and is collected like any expired key.
    ctx.store.SetString(key, value, expire_at_ms);
  }
  ctx.Notify(kNotifyString, "set", key);
  if (flags & kAnyExpiry) ctx.Notify(kNotifyGeneric, "expire", key);
  if (!(flags & kGet)) ctx.reply.Ok();
}

}  // namespace shardd::kv

namespace shardd::kv {
namespace {

// SETEX key seconds value / PSETEX key ms value: SET with a required,
// strictly positive relative expiry.
void SetWithExpiry(CommandContext& ctx, std::string_view name,
                   int64_t unit_ms) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t ttl;
  if (!ParseInt64(ctx.args[2], &ttl)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if (ttl <= 0 || ttl > kMax / unit_ms || ttl * unit_ms > kMax - ctx.now_ms) {
    ReplyInvalidExpireTime(ctx.reply, name);
    return;
  }
  ctx.store.SetString(ctx.args[1], ctx.args[3], ctx.now_ms + ttl * unit_ms);
  ctx.Notify(kNotifyString, "set", ctx.args[1]);
  ctx.Notify(kNotifyGeneric, "expire", ctx.args[1]);
  ctx.reply.Ok();
}

}  // namespace

void SetExCommand(CommandContext& ctx) {
  SetWithExpiry(ctx, "setex", /*unit_ms=*/1000);
}

void PSetExCommand(CommandContext& ctx) {
  SetWithExpiry(ctx, "psetex", /*unit_ms=*/1);
}

}  // namespace shardd::kv
