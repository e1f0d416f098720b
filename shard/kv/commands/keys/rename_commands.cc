// RENAME, RENAMENX and COPY: move or duplicate a whole key, value and expiry.
// When the two keys live on different shards these run on the values their
// owners lend (exec/atomic_command.h); the handlers do not need to know.
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

void Rename(CommandContext& ctx, bool only_if_absent) {
  const std::string_view from = ctx.args[1];
  const std::string_view to = ctx.args[2];
  Entry* source = ctx.store.Find(from, ctx.now_ms);
  if (source == nullptr) {
    ctx.reply.Error("ERR no such key");
    return;
  }
  // Renaming a key onto itself changes nothing (but the key must exist).
  if (from == to) {
    if (only_if_absent) {
      ctx.reply.Integer(0);
    } else {
      ctx.reply.Ok();
    }
    ctx.changed_nothing = true;
    return;
  }
  if (only_if_absent && ctx.store.Find(to, ctx.now_ms) != nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  Entry moved = std::move(*source);
  ctx.store.Erase(from, ctx.now_ms);
  // Redis deletes the destination and adds it anew, so it reports "new"
  // even when it overwrites a key.
  ctx.store.Erase(to, ctx.now_ms);
  ctx.store.Put(to, std::move(moved));
  ctx.Notify(kNotifyGeneric, "rename_from", from);
  ctx.Notify(kNotifyGeneric, "rename_to", to);
  if (only_if_absent) {
    ctx.reply.Integer(1);
  } else {
    ctx.reply.Ok();
  }
}

}  // namespace

void RenameCommand(CommandContext& ctx) { Rename(ctx, false); }

void RenameNxCommand(CommandContext& ctx) { Rename(ctx, true); }

void CopyKeyPositions(CommandArgs, std::vector<size_t>* positions) {
  // The source and the destination; options follow.
  positions->push_back(1);
  positions->push_back(2);
}

void CopyCommand(CommandContext& ctx) {
  bool replace = false;
  uint32_t target = ctx.db;  // the last DB option's, as in Redis
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "REPLACE")) {
      replace = true;
    } else if (EqualsIgnoreCase(ctx.args[i], "DB") && i + 1 < ctx.args.size()) {
      if (!ParseDbIndex(ctx, ctx.args[++i], &target)) return;
    } else {
      ctx.reply.Error(kSyntaxError);
      return;
    }
  }
  const std::string_view from = ctx.args[1];
  const std::string_view to = ctx.args[2];
  if (from == to && target == ctx.db) {
    ctx.reply.Error("ERR source and destination objects are the same");
    return;
  }
  // The destination's database. When the two keys live on different
  // shards the handler runs on their lent values, the destination's taken
  // from its own database (exec/held_values.h): then both are in ctx.store.
  Store& destination = target == ctx.db || ctx.on_lent_values
                           ? ctx.store
                           : ctx.databases->Db(target);
  const Entry* source = ctx.store.Find(from, ctx.now_ms);
  if (source == nullptr ||
      (!replace && destination.Find(to, ctx.now_ms) != nullptr)) {
    ctx.reply.Integer(0);
    return;
  }
  Entry copy = source->Clone();
  // Its events are the destination database's.
  const bool elsewhere = target != ctx.db;
  if (elsewhere && ctx.events != nullptr) ctx.events->set_db(target);
  // As RENAME: a replaced destination is deleted and added anew ("new",
  // which another database's store, without the command's sink, does not
  // report by itself).
  if (replace) destination.Erase(to, ctx.now_ms);
  destination.Put(to, std::move(copy));
  if (elsewhere && !ctx.on_lent_values) ctx.Notify(kNotifyNew, "new", to);
  ctx.Notify(kNotifyGeneric, "copy_to", to);
  if (elsewhere && ctx.events != nullptr) ctx.events->set_db(ctx.db);
  ctx.reply.Integer(1);
}

}  // namespace shardd::kv
