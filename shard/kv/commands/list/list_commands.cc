// The list commands on one key: push, pop, read and edit by index or value.
// The moves between lists and the blocking pops are in list_move_commands.cc.
// The family's table is at the end.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/blocking_timeout.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/index_range.h"
#include "shard/kv/commands/list/list_handlers.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotPositiveError =
    "ERR value is out of range, must be positive";

enum class End { kHead, kTail };

// A non-negative integer (Redis's getPositiveLong); any failure is `error`.
bool ParseNonNegative(CommandContext& ctx, std::string_view arg,
                      std::string_view error, int64_t* value) {
  if (ParseInt64(arg, value) && *value >= 0) return true;
  ctx.reply.Error(error);
  return false;
}

bool ParseIndex(CommandContext& ctx, std::string_view arg, int64_t* value) {
  if (ParseInt64(arg, value)) return true;
  ctx.reply.Error(kNotIntegerError);
  return false;
}

// Erases `key` if its list was emptied: Redis keeps no empty lists, and
// reports the deletion as a "del" event.
void EraseIfEmpty(CommandContext& ctx, std::string_view key,
                  const ListValue& list) {
  if (!list.empty()) return;
  ctx.DeleteKey(key);
}

void Push(CommandContext& ctx, End end, bool only_existing) {
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    if (only_existing) {
      ctx.reply.Integer(0);
      return;
    }
    list = &ctx.store.Create(ctx.args[1], ValueType::kList).list();
  }
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (end == End::kHead) {
      list->PushFront(ctx.args[i]);
    } else {
      list->PushBack(ctx.args[i]);
    }
  }
  ctx.reply.Integer(static_cast<int64_t>(list->size()));
  ctx.Notify(kNotifyList, end == End::kHead ? "lpush" : "rpush", ctx.args[1]);
}

void Pop(CommandContext& ctx, End end) {
  // The arity (-2) lets a fourth argument through; Redis rejects it here.
  if (ctx.args.size() > 3) {
    ReplyWrongArity(ctx.reply, end == End::kHead ? "lpop" : "rpop");
    return;
  }
  const bool has_count = ctx.args.size() == 3;
  int64_t count = 1;
  if (has_count &&
      !ParseNonNegative(ctx, ctx.args[2], kNotPositiveError, &count)) {
    return;
  }
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    if (has_count) {
      ctx.reply.NullArray();
    } else {
      ctx.reply.NullBulk();
    }
    return;
  }
  if (!has_count) {
    ctx.reply.Bulk(end == End::kHead ? list->PopFront() : list->PopBack());
  } else {
    const size_t n = std::min(static_cast<size_t>(count), list->size());
    ctx.reply.ArrayHeader(n);
    for (size_t i = 0; i < n; ++i) {
      ctx.reply.Bulk(end == End::kHead ? list->PopFront() : list->PopBack());
    }
    // COUNT 0 pops nothing, and Redis reports nothing.
    if (n == 0) {
      ctx.changed_nothing = true;
      return;
    }
  }
  ctx.Notify(kNotifyList, end == End::kHead ? "lpop" : "rpop", ctx.args[1]);
  EraseIfEmpty(ctx, ctx.args[1], *list);
}

void LPushCommand(CommandContext& ctx) { Push(ctx, End::kHead, false); }
void RPushCommand(CommandContext& ctx) { Push(ctx, End::kTail, false); }
void LPushXCommand(CommandContext& ctx) { Push(ctx, End::kHead, true); }
void RPushXCommand(CommandContext& ctx) { Push(ctx, End::kTail, true); }
void LPopCommand(CommandContext& ctx) { Pop(ctx, End::kHead); }
void RPopCommand(CommandContext& ctx) { Pop(ctx, End::kTail); }

void LLenCommand(CommandContext& ctx) {
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  ctx.reply.Integer(list == nullptr ? 0 : static_cast<int64_t>(list->size()));
}

void LRangeCommand(CommandContext& ctx) {
  int64_t start, stop;
  if (!ParseIndex(ctx, ctx.args[2], &start) ||
      !ParseIndex(ctx, ctx.args[3], &stop)) {
    return;
  }
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  size_t first = 0, end = 0;
  if (list != nullptr) ClampIndexRange(start, stop, list->size(), &first, &end);
  ctx.reply.ArrayHeader(end - first);
  for (size_t i = first; i < end; ++i) ctx.reply.Bulk((*list)[i]);
}

// The position `index` (negative from the end) names in a list of `size`,
// or false if it is outside.
bool ResolveIndex(int64_t index, size_t size, size_t* position) {
  const int64_t length = static_cast<int64_t>(size);
  if (index < 0) index += length;
  if (index < 0 || index >= length) return false;
  *position = static_cast<size_t>(index);
  return true;
}

void LIndexCommand(CommandContext& ctx) {
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    ctx.reply.NullBulk();
    return;
  }
  int64_t index;
  if (!ParseIndex(ctx, ctx.args[2], &index)) return;
  size_t position;
  if (ResolveIndex(index, list->size(), &position)) {
    ctx.reply.Bulk((*list)[position]);
  } else {
    ctx.reply.NullBulk();
  }
}

void LSetCommand(CommandContext& ctx) {
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    ctx.reply.Error("ERR no such key");
    return;
  }
  int64_t index;
  if (!ParseIndex(ctx, ctx.args[2], &index)) return;
  size_t position;
  if (!ResolveIndex(index, list->size(), &position)) {
    ctx.reply.Error("ERR index out of range");
    return;
  }
  list->Set(position, ctx.args[3]);
  ctx.reply.Ok();
  ctx.Notify(kNotifyList, "lset", ctx.args[1]);
}

void LInsertCommand(CommandContext& ctx) {
  bool after;
  if (EqualsIgnoreCase(ctx.args[2], "after")) {
    after = true;
  } else if (EqualsIgnoreCase(ctx.args[2], "before")) {
    after = false;
  } else {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    ctx.reply.Integer(0);
    ctx.changed_nothing = true;
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    if ((*list)[i] == ctx.args[3]) {
      list->Insert(after ? i + 1 : i, ctx.args[4]);
      ctx.Notify(kNotifyList, "linsert", ctx.args[1]);
      ctx.reply.Integer(static_cast<int64_t>(list->size()));
      return;
    }
  }
  ctx.reply.Integer(-1);  // no such pivot
  ctx.changed_nothing = true;
}

void LRemCommand(CommandContext& ctx) {
  int64_t count;
  if (!ParseIndex(ctx, ctx.args[2], &count)) return;
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list == nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  const size_t removed = list->Remove(ctx.args[3], count);
  if (removed > 0) ctx.Notify(kNotifyList, "lrem", ctx.args[1]);
  EraseIfEmpty(ctx, ctx.args[1], *list);
  ctx.reply.Integer(static_cast<int64_t>(removed));
}

void LTrimCommand(CommandContext& ctx) {
  int64_t start, stop;
  if (!ParseIndex(ctx, ctx.args[2], &start) ||
      !ParseIndex(ctx, ctx.args[3], &stop)) {
    return;
  }
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  if (list != nullptr) {
    size_t first, end;
    ClampIndexRange(start, stop, list->size(), &first, &end);
    list->Trim(first, end);
    // Redis reports "ltrim" even when the range keeps every element.
    ctx.Notify(kNotifyList, "ltrim", ctx.args[1]);
    EraseIfEmpty(ctx, ctx.args[1], *list);
  } else {
    ctx.changed_nothing = true;
  }
  ctx.reply.Ok();
}

// LPOS element [RANK r] [COUNT n] [MAXLEN m]: the positions of the matches,
// from the rank-th match on, looking at the first m elements from the head
// (or from the tail if r < 0).
void LPosCommand(CommandContext& ctx) {
  int64_t rank = 1;
  int64_t count = -1;  // -1: no COUNT, reply one position rather than an array
  int64_t max_length = 0;
  for (size_t i = 3; i < ctx.args.size(); i += 2) {
    const std::string_view option = ctx.args[i];
    if (i + 1 == ctx.args.size()) {
      ctx.reply.Error(kSyntaxError);
      return;
    }
    const std::string_view value = ctx.args[i + 1];
    if (EqualsIgnoreCase(option, "rank")) {
      if (!ParseIndex(ctx, value, &rank)) return;
      if (rank == 0) {
        ctx.reply.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 "
            "from the second ... or use negative to start from the end of "
            "the list");
        return;
      }
    } else if (EqualsIgnoreCase(option, "count")) {
      if (!ParseNonNegative(ctx, value, "ERR COUNT can't be negative",
                            &count)) {
        return;
      }
    } else if (EqualsIgnoreCase(option, "maxlen")) {
      if (!ParseNonNegative(ctx, value, "ERR MAXLEN can't be negative",
                            &max_length)) {
        return;
      }
    } else {
      ctx.reply.Error(kSyntaxError);
      return;
    }
  }
  ListValue* list;
  if (!FindValue(ctx, ctx.args[1], &list)) return;
  const bool from_tail = rank < 0;
  // Redis negates the rank in C, where -INT64_MIN stays INT64_MIN: every
  // match then qualifies and COUNT never stops the search.
  const bool unlimited = rank == INT64_MIN;
  const uint64_t skip =
      unlimited ? 0 : static_cast<uint64_t>(from_tail ? -rank : rank) - 1;
  const size_t size = list == nullptr ? 0 : list->size();
  const size_t scan =
      max_length == 0 ? size : std::min(size, static_cast<size_t>(max_length));
  std::vector<int64_t> positions;
  uint64_t matches = 0;
  for (size_t k = 0; k < scan; ++k) {
    const size_t position = from_tail ? size - 1 - k : k;
    if ((*list)[position] != ctx.args[2] || matches++ < skip) continue;
    positions.push_back(static_cast<int64_t>(position));
    if (count == -1) break;
    if (count != 0 && !unlimited &&
        positions.size() >= static_cast<size_t>(count)) {
      break;
    }
  }
  if (count == -1) {
    if (positions.empty()) {
      ctx.reply.NullBulk();
    } else {
      ctx.reply.Integer(positions[0]);
    }
    return;
  }
  ctx.reply.ArrayHeader(positions.size());
  for (int64_t position : positions) ctx.reply.Integer(position);
}

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kListCommands[] = {
    {"lpush", -3, kWrite | kDenyOom | kFast, kFirst, kSingle, LPushCommand},
    {"rpush", -3, kWrite | kDenyOom | kFast, kFirst, kSingle, RPushCommand},
    {"lpushx", -3, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     LPushXCommand},
    {"rpushx", -3, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     RPushXCommand},
    {"lpop", -2, kWrite | kFast | kNullIsNoop, kFirst, kSingle, LPopCommand},
    {"rpop", -2, kWrite | kFast | kNullIsNoop, kFirst, kSingle, RPopCommand},
    {"llen", 2, kReadonly | kFast, kFirst, kSingle, LLenCommand},
    {"lrange", 4, kReadonly, kFirst, kSingle, LRangeCommand},
    {"lindex", 3, kReadonly, kFirst, kSingle, LIndexCommand},
    {"lset", 4, kWrite | kDenyOom, kFirst, kSingle, LSetCommand},
    {"linsert", 5, kWrite | kDenyOom, kFirst, kSingle, LInsertCommand},
    {"lrem", 4, kWrite | kZeroIsNoop, kFirst, kSingle, LRemCommand},
    {"ltrim", 4, kWrite, kFirst, kSingle, LTrimCommand},
    {"lpos", -3, kReadonly, kFirst, kSingle, LPosCommand},
    {"lmove", 5, kWrite | kDenyOom | kNullIsNoop, kCustom, kCoordinated,
     LMoveCommand, MoveKeys},
    {"rpoplpush", 3, kWrite | kDenyOom | kNullIsNoop, kCustom, kCoordinated,
     RPopLPushCommand, MoveKeys},
    {"lmpop", -4, kWrite | kMovableKeys | kNullIsNoop, kCustom, kCoordinated,
     LMPopCommand, LMPopKeys},
    {"blpop", -3, kWrite | kNoScript | kBlocking, kCustom, kCoordinated,
     BLPopCommand, KeysBeforeTimeout},
    {"brpop", -3, kWrite | kNoScript | kBlocking, kCustom, kCoordinated,
     BRPopCommand, KeysBeforeTimeout},
    {"blmove", 6, kWrite | kDenyOom | kNoScript | kBlocking, kCustom,
     kCoordinated, BLMoveCommand, MoveKeys},
    {"blmpop", -5, kWrite | kMovableKeys | kBlocking, kCustom, kCoordinated,
     BLMPopCommand, BLMPopKeys},
};

}  // namespace

absl::Span<const CommandSpec> ListCommandTable() { return kListCommands; }

}  // namespace shardd::kv
