// Set algebra: SINTER, SUNION, SDIFF, their STORE forms, and SINTERCARD. A
// missing key counts as an empty set. Every key is type-checked before any
// work, as in Redis, so one WRONGTYPE key fails the command whatever the
// others hold. Results that are built as sets (all but SINTER's) start
// compact, so their encoding and, for an intset, their order match Redis's.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/set/set_handlers.h"

namespace shardd::kv {
namespace {

// The sets at `keys`, null for a missing key; false after replying WRONGTYPE.
bool FindSets(CommandContext& ctx, CommandArgs keys,
              std::vector<const SetValue*>* sets) {
  for (const std::string_view key : keys) {
    SetValue* set;
    if (!FindValue(ctx, key, &set)) return false;
    sets->push_back(set);
  }
  return true;
}

// Calls visit(member) for the members common to all `sets`, in the order of
// the smallest set, until visit returns false.
template <typename Visit>
void ForEachCommonMember(std::vector<const SetValue*> sets, Visit visit) {
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return;
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) {
                     return a->size() < b->size();
                   });
  const SetValue* smallest = sets[0];
  bool more = true;
  smallest->ForEach([&](std::string_view member) {
    if (!more) return;  // ForEach cannot stop early
    for (size_t i = 1; i < sets.size(); ++i) {
      if (sets[i] != smallest && !sets[i]->Contains(member)) return;
    }
    more = visit(member);
  });
}

SetValue Union(const std::vector<const SetValue*>& sets) {
  SetValue result;
  for (const SetValue* set : sets) {
    if (set == nullptr) continue;
    set->ForEach([&result](std::string_view member) { result.Add(member); });
  }
  return result;
}

// The members of the first set that are in none of the others. Like Redis,
// it either checks each member of the first set against the others or copies
// the first set and removes the others' members, whichever its cost model
// (sizes only) says is less work. The choice shows in the result's encoding:
// a copy of the first set that went large stays large.
SetValue Difference(const std::vector<const SetValue*>& sets) {
  SetValue result;
  const SetValue* first = sets[0];
  if (first == nullptr) return result;
  uint64_t check_work = 0;
  uint64_t remove_work = 0;
  for (const SetValue* set : sets) {
    if (set == nullptr) continue;
    check_work += first->size();
    remove_work += set->size();
  }
  if (check_work / 2 <= remove_work) {
    first->ForEach([&](std::string_view member) {
      for (size_t i = 1; i < sets.size(); ++i) {
        if (sets[i] != nullptr && sets[i]->Contains(member)) return;
      }
      result.Add(member);
    });
    return result;
  }
  first->ForEach([&result](std::string_view member) { result.Add(member); });
  for (size_t i = 1; i < sets.size() && result.size() > 0; ++i) {
    if (sets[i] == nullptr) continue;
    sets[i]->ForEach(
        [&result](std::string_view member) { result.Remove(member); });
  }
  return result;
}

void ReplyMembers(CommandContext& ctx, const SetValue& set) {
  ctx.reply.SetHeader(set.size());
  set.ForEach([&ctx](std::string_view member) { ctx.reply.Bulk(member); });
}

// Makes args[1] hold `result` (dropping any expiry), or deletes it if
// `result` is empty, and replies the result's size. Reports `event` for a
// stored result, or "del" if an empty one deleted a key.
void StoreResult(CommandContext& ctx, SetValue result, std::string_view event) {
  const size_t size = result.size();
  if (size == 0) {
    ctx.reply.Integer(0);
    ctx.DeleteEmptyResult(ctx.args[1]);
    return;
  }
  ctx.store.Create(ctx.args[1], ValueType::kSet).set() = std::move(result);
  ctx.reply.Integer(static_cast<int64_t>(size));
  ctx.Notify(kNotifySet, event, ctx.args[1]);
}

}  // namespace

void SInterCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(1), &sets)) return;
  // Members are copied: an intset's exist only while being visited.
  std::vector<std::string> common;
  ForEachCommonMember(sets, [&common](std::string_view member) {
    common.emplace_back(member);
    return true;
  });
  ctx.reply.SetHeader(common.size());
  for (const std::string& member : common) ctx.reply.Bulk(member);
}

void SInterStoreCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(2), &sets)) return;
  SetValue result;
  ForEachCommonMember(sets, [&result](std::string_view member) {
    result.Add(member);
    return true;
  });
  StoreResult(ctx, std::move(result), "sinterstore");
}

// SINTERCARD numkeys key [key ...] [LIMIT limit].
void SInterCardCommand(CommandContext& ctx) {
  const CommandArgs args = ctx.args;
  int64_t key_count;
  if (!ParseInt64(args[1], &key_count) || key_count < 1) {
    ctx.reply.Error("ERR numkeys should be greater than 0");
    return;
  }
  if (static_cast<uint64_t>(key_count) > args.size() - 2) {
    ctx.reply.Error("ERR Number of keys can't be greater than number of args");
    return;
  }
  const size_t options = 2 + static_cast<size_t>(key_count);
  int64_t limit = 0;  // none
  for (size_t i = options; i < args.size(); i += 2) {
    if (!EqualsIgnoreCase(args[i], "limit") || i + 1 == args.size()) {
      ctx.reply.Error(kSyntaxError);
      return;
    }
    if (!ParseInt64(args[i + 1], &limit) || limit < 0) {
      ctx.reply.Error("ERR LIMIT can't be negative");
      return;
    }
  }
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, args.subspan(2, options - 2), &sets)) return;
  int64_t cardinality = 0;
  ForEachCommonMember(sets, [&](std::string_view) {
    ++cardinality;
    return limit == 0 || cardinality < limit;
  });
  ctx.reply.Integer(cardinality);
}

void SUnionCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(1), &sets)) return;
  ReplyMembers(ctx, Union(sets));
}

void SUnionStoreCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(2), &sets)) return;
  StoreResult(ctx, Union(sets), "sunionstore");
}

void SDiffCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(1), &sets)) return;
  ReplyMembers(ctx, Difference(sets));
}

void SDiffStoreCommand(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!FindSets(ctx, ctx.args.subspan(2), &sets)) return;
  StoreResult(ctx, Difference(sets), "sdiffstore");
}

}  // namespace shardd::kv
