// MOVE and SWAPDB: keys between the numbered databases (SELECT). A key and
// its copy in another database live on the same shard (ownership follows
// the key's name), so MOVE is one shard's step; SWAPDB runs on every shard
// at once (KeyLayout::kEveryShard), each swapping its part of the two.
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {

void MoveCommand(CommandContext& ctx) {
  uint32_t target = 0;
  if (!ParseDbIndex(ctx, ctx.args[2], &target)) return;
  if (target == ctx.db) {
    ctx.reply.Error("ERR source and destination objects are the same");
    return;
  }
  const std::string_view key = ctx.args[1];
  Entry* entry = ctx.store.Find(key, ctx.now_ms);
  Store& destination = ctx.databases->Db(target);
  if (entry == nullptr || destination.Find(key, ctx.now_ms) != nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  destination.Put(key, std::move(*entry));
  // (Made in a store without the command's sink for "new": said here.)
  ctx.NotifyIn(target, kNotifyNew, "new", key);
  ctx.store.Erase(key, ctx.now_ms);
  ctx.Notify(kNotifyGeneric, "move_from", key);
  ctx.NotifyIn(target, kNotifyGeneric, "move_to", key);
  ctx.reply.Integer(1);
}

void SwapDbCommand(CommandContext& ctx) {
  int64_t first = 0;
  int64_t second = 0;
  if (!ParseInt64(ctx.args[1], &first) || !FitsInt(first)) {
    ctx.reply.Error("ERR invalid first DB index");
    return;
  }
  if (!ParseInt64(ctx.args[2], &second) || !FitsInt(second)) {
    ctx.reply.Error("ERR invalid second DB index");
    return;
  }
  const int64_t count = ctx.databases->count();
  if (first < 0 || first >= count || second < 0 || second >= count) {
    ctx.reply.Error(kDbOutOfRangeError);
    return;
  }
  if (first != second) {
    ctx.databases->Swap(static_cast<uint32_t>(first),
                        static_cast<uint32_t>(second));
  }
  ctx.reply.Ok();
}

}  // namespace shardd::kv
