// LMOVE, RPOPLPUSH, LMPOP and the blocking pops BLPOP, BRPOP, BLMOVE. The
// blocking commands here only try once: they reply as Redis does when an
// element is there, and otherwise what Redis replies when the timeout expires
// (a null array); the blocking machinery (blocking.h) retries them when a key
// they wait on is written. Keys on other shards have been gathered here by
// then.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/blocking_timeout.h"
#include "shard/kv/commands/list/list_handlers.h"
#include "shard/kv/commands/mpop_arguments.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

enum class End { kHead, kTail };

// LEFT or RIGHT; replies a syntax error otherwise.
bool ParseEnd(CommandContext& ctx, std::string_view arg, End* end) {
  if (EqualsIgnoreCase(arg, "left")) {
    *end = End::kHead;
  } else if (EqualsIgnoreCase(arg, "right")) {
    *end = End::kTail;
  } else {
    ctx.reply.Error(kSyntaxError);
    return false;
  }
  return true;
}

std::string PopFrom(ListValue& list, End end) {
  return end == End::kHead ? list.PopFront() : list.PopBack();
}

std::string_view PopEvent(End end) {
  return end == End::kHead ? "lpop" : "rpop";
}

// Pops from args[1] and pushes to args[2]; replies the element moved, or if
// there is no source a null bulk (`null_array`: a null array, for BLMOVE).
void Move(CommandContext& ctx, End from, End to, bool null_array) {
  const std::string_view source_key = ctx.args[1];
  const std::string_view destination_key = ctx.args[2];
  ListValue* source;
  if (!FindValue(ctx, source_key, &source)) return;
  if (source == nullptr) {
    if (null_array) {
      ctx.reply.NullArray();
    } else {
      ctx.reply.NullBulk();
    }
    return;
  }
  ListValue* destination;
  if (!FindValue(ctx, destination_key, &destination)) return;
  std::string value = PopFrom(*source, from);
  // Erase an emptied source before creating the destination, which may move
  // entries and so invalidate `source`. (When the two are one key, the list
  // is not empty after the push, and is not erased.) Erasing reports
  // nothing, so the events still come in Redis's order: "new" and the push
  // on the destination, then the pop and "del" on the source.
  const bool source_emptied = source->empty() && destination != source;
  if (source_emptied) ctx.store.Erase(source_key, ctx.now_ms);
  if (destination == nullptr) {
    destination = &ctx.store.Create(destination_key, ValueType::kList).list();
  }
  if (to == End::kHead) {
    destination->PushFront(value);
  } else {
    destination->PushBack(value);
  }
  ctx.Notify(kNotifyList, to == End::kHead ? "lpush" : "rpush",
             destination_key);
  ctx.reply.Bulk(value);
  ctx.Notify(kNotifyList, PopEvent(from), source_key);
  if (source_emptied) ctx.Notify(kNotifyGeneric, "del", source_key);
}

void BlockingPop(CommandContext& ctx, End end) {
  if (!CheckBlockingTimeout(ctx, ctx.args.back())) return;
  for (size_t i = 1; i + 1 < ctx.args.size(); ++i) {
    ListValue* list;
    if (!FindValue(ctx, ctx.args[i], &list)) return;
    if (list == nullptr) continue;
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.args[i]);
    ctx.reply.Bulk(PopFrom(*list, end));
    ctx.Notify(kNotifyList, PopEvent(end), ctx.args[i]);
    if (list->empty()) {
      ctx.DeleteKey(ctx.args[i]);
    }
    return;
  }
  ctx.reply.NullArray();
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], and BLMPOP, which
// has a timeout first and tries once here: [key, [element ...]] from the
// first list there is, else a null array.
void MPop(CommandContext& ctx, bool blocking) {
  MPopArguments parsed;
  if (!ParseMPopArguments(ctx, blocking ? 2 : 1, {"left", "right"}, &parsed)) {
    return;
  }
  if (blocking && !CheckBlockingTimeout(ctx, ctx.args[1])) return;
  const End end = parsed.first_side ? End::kHead : End::kTail;
  for (const std::string_view key : parsed.keys) {
    ListValue* list;
    if (!FindValue(ctx, key, &list)) return;
    if (list == nullptr) continue;
    const size_t n =
        std::min(static_cast<uint64_t>(parsed.count), uint64_t{list->size()});
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    ctx.reply.ArrayHeader(n);
    for (size_t i = 0; i < n; ++i) ctx.reply.Bulk(PopFrom(*list, end));
    ctx.Notify(kNotifyList, PopEvent(end), key);
    if (list->empty()) {
      ctx.DeleteKey(key);
    }
    return;
  }
  ctx.reply.NullArray();
}

}  // namespace

void LMoveCommand(CommandContext& ctx) {
  End from, to;
  if (!ParseEnd(ctx, ctx.args[3], &from) || !ParseEnd(ctx, ctx.args[4], &to)) {
    return;
  }
  Move(ctx, from, to, /*null_array=*/false);
}

void RPopLPushCommand(CommandContext& ctx) {
  Move(ctx, End::kTail, End::kHead, /*null_array=*/false);
}

void LMPopCommand(CommandContext& ctx) { MPop(ctx, /*blocking=*/false); }

void BLMPopCommand(CommandContext& ctx) { MPop(ctx, /*blocking=*/true); }

void LMPopKeys(CommandArgs args, std::vector<size_t>* positions) {
  MPopKeys(args, 1, positions);
}

void BLMPopKeys(CommandArgs args, std::vector<size_t>* positions) {
  MPopKeys(args, 2, positions);
}

void BLPopCommand(CommandContext& ctx) { BlockingPop(ctx, End::kHead); }

void BRPopCommand(CommandContext& ctx) { BlockingPop(ctx, End::kTail); }

void BLMoveCommand(CommandContext& ctx) {
  End from, to;
  if (!ParseEnd(ctx, ctx.args[3], &from) || !ParseEnd(ctx, ctx.args[4], &to) ||
      !CheckBlockingTimeout(ctx, ctx.args.back())) {
    return;
  }
  Move(ctx, from, to, /*null_array=*/true);
}

void MoveKeys(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() < 3) return;
  positions->push_back(1);
  positions->push_back(2);
}

}  // namespace shardd::kv
