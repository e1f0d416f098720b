// Commands about keys rather than values: DEL, EXISTS, TYPE, and reading or
// dropping a key's expiry (TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST).
// Setting an expiry is in expire_commands.cc. The family's table is at the
// end.
#include <algorithm>
#include <cstdint>

#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/keys/key_handlers.h"

namespace shardd::kv {
namespace {

// (TTL, EXISTS and TYPE Peek: as in Redis, they leave a key's idle time
// going.)
//
// TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 if the key is missing, -1 if it
// has no expiry, else the time left (or, `absolute`, the expiry itself) in
// ms, or in seconds rounded to nearest as Redis does.
void ReplyTimeToLive(CommandContext& ctx, bool in_ms, bool absolute = false) {
  const Entry* entry = ctx.store.Peek(ctx.args[1], ctx.now_ms);
  if (entry == nullptr) {
    ctx.reply.Integer(-2);
    return;
  }
  if (entry->expire_at_ms() == 0) {
    ctx.reply.Integer(-1);
    return;
  }
  // Zero in the last millisecond of a key's life, which Find still reports.
  const int64_t left_ms = std::max<int64_t>(
      0, entry->expire_at_ms() - (absolute ? 0 : ctx.now_ms));
  ctx.reply.Integer(in_ms ? left_ms : (left_ms + 500) / 1000);
}

// EXISTS and TOUCH: how many of the keys exist, a key named twice counted
// twice (unlike DEL). TOUCH marks each as used, as a read would (OBJECT
// IDLETIME starts again); EXISTS only looks, as Redis's LOOKUP_NOTOUCH.
void CountExisting(CommandContext& ctx, bool touch) {
  int64_t found = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if ((i - 1) % Store::kPrefetchWindow == 0)
      ctx.store.PrefetchKeys(ctx.args, i);
    const Entry* entry = touch ? ctx.store.Find(ctx.args[i], ctx.now_ms)
                               : ctx.store.Peek(ctx.args[i], ctx.now_ms);
    if (entry != nullptr) ++found;
  }
  ctx.reply.Integer(found);
}

}  // namespace

void DelCommand(CommandContext& ctx) {
  // A key named twice is deleted once and counted once.
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if ((i - 1) % Store::kPrefetchWindow == 0)
      ctx.store.PrefetchKeys(ctx.args, i);
    if (ctx.DeleteKey(ctx.args[i])) ++deleted;
  }
  ctx.reply.Integer(deleted);
}

void ExistsCommand(CommandContext& ctx) { CountExisting(ctx, /*touch=*/false); }

void TouchCommand(CommandContext& ctx) { CountExisting(ctx, /*touch=*/true); }

void TtlCommand(CommandContext& ctx) { ReplyTimeToLive(ctx, /*in_ms=*/false); }

void PTtlCommand(CommandContext& ctx) { ReplyTimeToLive(ctx, /*in_ms=*/true); }

void ExpireTimeCommand(CommandContext& ctx) {
  ReplyTimeToLive(ctx, /*in_ms=*/false, /*absolute=*/true);
}

void PExpireTimeCommand(CommandContext& ctx) {
  ReplyTimeToLive(ctx, /*in_ms=*/true, /*absolute=*/true);
}

void TypeCommand(CommandContext& ctx) {
  const Entry* entry = ctx.store.Peek(ctx.args[1], ctx.now_ms);
  if (entry == nullptr) {
    ctx.reply.SimpleString("none");
    return;
  }
  switch (entry->type()) {
    case ValueType::kString:
      ctx.reply.SimpleString("string");
      break;
    case ValueType::kList:
      ctx.reply.SimpleString("list");
      break;
    case ValueType::kHash:
      ctx.reply.SimpleString("hash");
      break;
    case ValueType::kSet:
      ctx.reply.SimpleString("set");
      break;
    case ValueType::kZSet:
      ctx.reply.SimpleString("zset");
      break;
  }
}

void PersistCommand(CommandContext& ctx) {
  const Entry* entry = ctx.store.Find(ctx.args[1], ctx.now_ms);
  if (entry == nullptr || entry->expire_at_ms() == 0) {
    ctx.reply.Integer(0);
    return;
  }
  ctx.store.SetExpiry(ctx.args[1], /*expire_at_ms=*/0);
  ctx.Notify(kNotifyGeneric, "persist", ctx.args[1]);
  ctx.reply.Integer(1);
}

namespace {

using enum KeyLayout;
using enum Merge;

constexpr KeyDiscovery kSortDiscovery{SortReadsOtherKeys, SortPatternKeys};

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kKeyCommands[] = {
    {"del", -2, kWrite | kZeroIsNoop, kAll, kSumIntegers, DelCommand},
    {"exists", -2, kReadonly | kFast, kAll, kSumIntegers, ExistsCommand},
    {"expire", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle,
     ExpireCommand},
    {"pexpire", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle,
     PExpireCommand},
    {"ttl", 2, kReadonly | kFast, kFirst, kSingle, TtlCommand},
    {"pttl", 2, kReadonly | kFast, kFirst, kSingle, PTtlCommand},
    {"persist", 2, kWrite | kFast | kZeroIsNoop, kFirst, kSingle,
     PersistCommand},
    {"unlink", -2, kWrite | kFast | kZeroIsNoop, kAll, kSumIntegers,
     DelCommand},
    {"touch", -2, kReadonly | kFast, kAll, kSumIntegers, TouchCommand},
    {"type", 2, kReadonly | kFast, kFirst, kSingle, TypeCommand},
    {"expireat", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle,
     ExpireAtCommand},
    {"pexpireat", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle,
     PExpireAtCommand},
    {"expiretime", 2, kReadonly | kFast, kFirst, kSingle, ExpireTimeCommand},
    {"pexpiretime", 2, kReadonly | kFast, kFirst, kSingle, PExpireTimeCommand},
    {"rename", 3, kWrite, kAll, kCoordinated, RenameCommand},
    {"renamenx", 3, kWrite | kFast | kZeroIsNoop, kAll, kCoordinated,
     RenameNxCommand},
    {"copy", -3, kWrite | kDenyOom | kZeroIsNoop, kCustom, kCoordinated,
     CopyCommand, CopyKeyPositions},
    {"move", 3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle, MoveCommand},
    {"swapdb", 3, kWrite | kFast, kEveryShard, kAllOk, SwapDbCommand},
    {"object", -2, kReadonly, kCustom, kSingle, ObjectCommand,
     ObjectKeyPositions},
    {"keys", 2, kReadonly, kEveryShard, kConcatArrays, KeysCommand},
    {"randomkey", 1, kReadonly, kEveryShard, kWeightedByKeys, RandomKeyCommand},
    {"scan", -2, kReadonly, kScanCursor, kSingle, ScanCommand},
    {"sort", -2, kWrite | kDenyOom | kMovableKeys | kWritesOnlyStore, kCustom,
     kCoordinated, SortCommand, SortKeys, nullptr, nullptr, TxControl::kNone,
     RouterOp::kNone, &kSortDiscovery},
    {"sort_ro", -2, kReadonly | kMovableKeys, kCustom, kCoordinated,
     SortRoCommand, SortRoKeys, nullptr, nullptr, TxControl::kNone,
     RouterOp::kNone, &kSortDiscovery},
};

}  // namespace

absl::Span<const CommandSpec> KeyCommandTable() { return kKeyCommands; }

}  // namespace shardd::kv
