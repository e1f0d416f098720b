// EXPIRE key seconds [NX | XX | GT | LT], PEXPIRE key ms [...] and their
// absolute forms EXPIREAT and PEXPIREAT, as in Redis
// 7.0: options are checked first, then the number, then the key. A time that
// is already past deletes the key (and still replies 1).
#include <algorithm>
#include <cstdint>
#include <string>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/expire_time.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

enum ExpireFlag : uint32_t {
  kNx = 1 << 0,  // only if the key has no expiry
  kXx = 1 << 1,  // only if it has one
  kGt = 1 << 2,  // only if the new expiry is later (no expiry counts as never)
  kLt = 1 << 3,  // only if the new expiry is sooner
};

// Parses args[3..] into ExpireFlags, or replies with the error and returns
// false.
bool ParseExpireFlags(CommandContext& ctx, uint32_t* flags) {
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    const std::string_view option = ctx.args[i];
    if (EqualsIgnoreCase(option, "NX")) {
      *flags |= kNx;
    } else if (EqualsIgnoreCase(option, "XX")) {
      *flags |= kXx;
    } else if (EqualsIgnoreCase(option, "GT")) {
      *flags |= kGt;
    } else if (EqualsIgnoreCase(option, "LT")) {
      *flags |= kLt;
    } else {
      ctx.reply.Error("ERR Unsupported option " + ArgumentForError(option));
      return false;
    }
  }
  if ((*flags & kNx) && (*flags & (kXx | kGt | kLt))) {
    ctx.reply.Error(
        "ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if ((*flags & kGt) && (*flags & kLt)) {
    ctx.reply.Error(
        "ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// True if `flags` allow replacing `current` (0 = no expiry) with `when`.
bool FlagsAllow(uint32_t flags, int64_t current, int64_t when) {
  if ((flags & kNx) && current != 0) return false;
  if ((flags & kXx) && current == 0) return false;
  if ((flags & kGt) && (current == 0 || when <= current)) return false;
  if ((flags & kLt) && current != 0 && when >= current) return false;
  return true;
}

// `relative`: the time counts from now (EXPIRE) rather than from the epoch
// (EXPIREAT).
void ExpireGeneric(CommandContext& ctx, std::string_view name,
                   int64_t unit_ms, bool relative) {
  uint32_t flags = 0;
  if (!ParseExpireFlags(ctx, &flags)) return;
  // Negative times are allowed (they delete the key); only overflow is not.
  int64_t when;
  if (!ResolveExpireAt(ctx, name, ctx.args[2], unit_ms, relative,
                       /*positive=*/false, &when)) {
    return;
  }

  const std::string_view key = ctx.args[1];
  const Entry* entry = ctx.store.Find(key, ctx.now_ms);
  if (entry == nullptr || !FlagsAllow(flags, entry->expire_at_ms(), when)) {
    ctx.reply.Integer(0);
    return;
  }
  if (when <= ctx.now_ms) {
    ctx.DeleteKey(key);
  } else {
    ctx.store.SetExpiry(key, when);
    ctx.Notify(kNotifyGeneric, "expire", key);
  }
  ctx.reply.Integer(1);
}

}  // namespace

void ExpireCommand(CommandContext& ctx) {
  ExpireGeneric(ctx, "expire", /*unit_ms=*/1000, /*relative=*/true);
}

void PExpireCommand(CommandContext& ctx) {
  ExpireGeneric(ctx, "pexpire", /*unit_ms=*/1, /*relative=*/true);
}

void ExpireAtCommand(CommandContext& ctx) {
  ExpireGeneric(ctx, "expireat", /*unit_ms=*/1000, /*relative=*/false);
}

void PExpireAtCommand(CommandContext& ctx) {
  ExpireGeneric(ctx, "pexpireat", /*unit_ms=*/1, /*relative=*/false);
}

}  // namespace shardd::kv
