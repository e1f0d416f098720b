// Plain string commands: read, replace, delete and append whole values. SET
// (with its options), GETEX, ranges and the counters have their own files.
#include <cstdint>
#include <cstring>

#include "shard/kv/command_handlers.h"
#include "shard/kv/reply_errors.h"
#include "shard/kv/string_limits.h"
#include "shard/kv/typed_lookup.h"

namespace shardd::kv {
namespace {

// Bulk reply with the string at `key`, or a null bulk if there is none.
// False (after replying WRONGTYPE) if the key holds another type.
bool ReplyValue(CommandContext& ctx, std::string_view key) {
  Entry* entry;
  if (!FindString(ctx, key, &entry)) return false;
  if (entry == nullptr) {
    ctx.reply.NullBulk();
  } else {
    ctx.reply.Bulk(entry->string());
  }
  return true;
}

}  // namespace

void GetCommand(CommandContext& ctx) { ReplyValue(ctx, ctx.args[1]); }

void GetDelCommand(CommandContext& ctx) {
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.NullBulk();
    return;
  }
  ctx.reply.Bulk(entry->string());
  ctx.store.Erase(ctx.args[1], ctx.now_ms);
}

void SetNxCommand(CommandContext& ctx) {
  if (ctx.store.Find(ctx.args[1], ctx.now_ms) != nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  ctx.store.SetString(ctx.args[1], ctx.args[2], /*expire_at_ms=*/0);
  ctx.reply.Integer(1);
}

void GetSetCommand(CommandContext& ctx) {
  // The reply copies the old value out before SetString overwrites it.
  if (!ReplyValue(ctx, ctx.args[1])) return;
  // Like SET without KEEPTTL, GETSET drops any expiry.
  ctx.store.SetString(ctx.args[1], ctx.args[2], /*expire_at_ms=*/0);
}

void MGetCommand(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    // MGET answers nil, not WRONGTYPE, for a key of another type.
    const Entry* entry = ctx.store.Find(ctx.args[i], ctx.now_ms);
    if (entry == nullptr || entry->type() != ValueType::kString) {
      ctx.reply.NullBulk();
    } else {
      ctx.reply.Bulk(entry->string());
    }
  }
}

void MSetCommand(CommandContext& ctx) {
  // The arity (-3) lets through a key without a value; Redis rejects it here.
  if (ctx.args.size() % 2 == 0) {
    ReplyWrongArity(ctx.reply, "mset");
    return;
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    ctx.store.SetString(ctx.args[i], ctx.args[i + 1], /*expire_at_ms=*/0);
  }
  ctx.reply.Ok();
}

void MSetNxCommand(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) {
    ReplyWrongArity(ctx.reply, "msetnx");
    return;
  }
  // All or nothing: one existing key (of any type) cancels the whole set.
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if (ctx.store.Find(ctx.args[i], ctx.now_ms) != nullptr) {
      ctx.reply.Integer(0);
      return;
    }
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    ctx.store.SetString(ctx.args[i], ctx.args[i + 1], /*expire_at_ms=*/0);
  }
  ctx.reply.Integer(1);
}

void AppendCommand(CommandContext& ctx) {
  const std::string_view suffix = ctx.args[2];
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.store.SetString(ctx.args[1], suffix, /*expire_at_ms=*/0);
    ctx.reply.Integer(static_cast<int64_t>(suffix.size()));
    return;
  }
  const size_t old_size = entry->string().size();
  if (!FitsStringLimit(old_size, suffix.size())) {
    ctx.reply.Error(kStringTooLongError);
    return;
  }
  const size_t new_size = old_size + suffix.size();
  if (!suffix.empty()) {
    std::memcpy(entry->ResizeString(new_size) + old_size, suffix.data(),
                suffix.size());
  }
  ctx.reply.Integer(static_cast<int64_t>(new_size));
}

void StrLenCommand(CommandContext& ctx) {
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  ctx.reply.Integer(
      entry == nullptr ? 0 : static_cast<int64_t>(entry->string().size()));
}

}  // namespace shardd::kv
