// Plain string commands: read, replace and append whole values. SET (with its
// options) and the integer counters have their own files.
#include <cstdint>

#include "shard/kv/command_handlers.h"
#include "shard/kv/reply_errors.h"
#include "shard/kv/string_limits.h"

namespace shardd::kv {
namespace {

// Bulk reply with the value of `key`, or a null bulk if there is none.
void ReplyValue(CommandContext& ctx, std::string_view key) {
  const Entry* entry = ctx.store.Find(key, ctx.now_ms);
  if (entry == nullptr) {
    ctx.reply.NullBulk();
  } else {
    ctx.reply.Bulk(entry->string());
  }
}

}  // namespace

void GetCommand(CommandContext& ctx) { ReplyValue(ctx, ctx.args[1]); }

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
  ReplyValue(ctx, ctx.args[1]);
  // Like SET without KEEPTTL, GETSET drops any expiry.
  ctx.store.SetString(ctx.args[1], ctx.args[2], /*expire_at_ms=*/0);
}

void MGetCommand(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) ReplyValue(ctx, ctx.args[i]);
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

void AppendCommand(CommandContext& ctx) {
  const std::string_view suffix = ctx.args[2];
  Entry* entry = ctx.store.Find(ctx.args[1], ctx.now_ms);
  if (entry == nullptr) {
    ctx.store.SetString(ctx.args[1], suffix, /*expire_at_ms=*/0);
    ctx.reply.Integer(static_cast<int64_t>(suffix.size()));
    return;
  }
  std::string& value = entry->mutable_string();
  if (!FitsStringLimit(value.size(), suffix.size())) {
    ctx.reply.Error(kStringTooLongError);
    return;
  }
  value.append(suffix.data(), suffix.size());
  ctx.reply.Integer(static_cast<int64_t>(value.size()));
}

void StrLenCommand(CommandContext& ctx) {
  const Entry* entry = ctx.store.Find(ctx.args[1], ctx.now_ms);
  ctx.reply.Integer(
      entry == nullptr ? 0 : static_cast<int64_t>(entry->string().size()));
}

}  // namespace shardd::kv
