// The set commands on a single set's members, SMOVE, SSCAN, and the set
// command table. Random members and set algebra have their own files.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/commands/set/set_handlers.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/set_value.h"

namespace shardd::kv {

namespace {

void SAddCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  if (set == nullptr)
    set = &ctx.store.Create(ctx.args[1], ValueType::kSet).set();
  int64_t added = 0;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    added += set->Add(ctx.args[i]) ? 1 : 0;
  }
  if (added > 0) ctx.Notify(kNotifySet, "sadd", ctx.args[1]);
  ctx.reply.Integer(added);
}

void SRemCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  int64_t removed = 0;
  if (set != nullptr) {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      removed += set->Remove(ctx.args[i]) ? 1 : 0;
    }
    if (removed > 0) ctx.Notify(kNotifySet, "srem", ctx.args[1]);
    // Redis has no empty sets.
    if (set->size() == 0) {
      ctx.DeleteKey(ctx.args[1]);
    }
  }
  ctx.reply.Integer(removed);
}

void SMembersCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  if (set == nullptr) {
    ctx.reply.SetHeader(0);
    return;
  }
  ctx.reply.SetHeader(set->size());
  set->ForEach([&ctx](std::string_view member) { ctx.reply.Bulk(member); });
}

void SIsMemberCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  ctx.reply.Integer(set != nullptr && set->Contains(ctx.args[2]));
}

void SMIsMemberCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    ctx.reply.Integer(set != nullptr && set->Contains(ctx.args[i]));
  }
}

void SCardCommand(CommandContext& ctx) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return;
  ctx.reply.Integer(set == nullptr ? 0 : static_cast<int64_t>(set->size()));
}

// SMOVE source destination member.
void SMoveCommand(CommandContext& ctx) {
  const std::string_view source_key = ctx.args[1];
  const std::string_view destination_key = ctx.args[2];
  const std::string_view member = ctx.args[3];
  SetValue* source;
  if (!FindValue(ctx, source_key, &source)) return;
  // A missing source answers 0 before the destination's type is checked.
  if (source == nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  SetValue* destination;
  if (!FindValue(ctx, destination_key, &destination)) return;
  if (source_key == destination_key) {
    ctx.reply.Integer(source->Contains(member));
    ctx.changed_nothing = true;
    return;
  }
  if (!source->Remove(member)) {
    ctx.reply.Integer(0);
    return;
  }
  // The source's events come before the destination is made, as in Redis:
  // "srem" (and "del") on the source, then "new" and "sadd".
  ctx.Notify(kNotifySet, "srem", source_key);
  if (source->size() == 0) {
    ctx.DeleteKey(source_key);
  }
  if (destination == nullptr) {
    destination = &ctx.store.Create(destination_key, ValueType::kSet).set();
  }
  if (destination->Add(member)) {
    ctx.Notify(kNotifySet, "sadd", destination_key);
  } else {
    ctx.unchanged_key = destination_key;
  }
  ctx.reply.Integer(1);
}

void SScanCommand(CommandContext& ctx) {
  uint64_t cursor;
  ScanOptions options;
  SetValue* set = StartValueScan<SetValue>(ctx, &cursor, &options);
  if (set == nullptr) return;
  std::vector<std::string> page;  // intset members are formatted on the fly
  const uint64_t next =
      set->Scan(cursor, options.count, [&](std::string_view member) {
        if (options.Matches(member)) page.emplace_back(member);
      });
  ReplyScanPage(ctx.reply, next, page);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]: the keys follow numkeys.
// Malformed arguments list no keys; the handler then replies the error.
void SInterCardKeys(CommandArgs args, std::vector<size_t>* positions) {
  int64_t keys;
  if (!ParseInt64(args[1], &keys) || keys < 1 ||
      static_cast<uint64_t>(keys) > args.size() - 2) {
    return;
  }
  for (size_t i = 0; i < static_cast<size_t>(keys); ++i) {
    positions->push_back(2 + i);
  }
}

// SMOVE source destination member.
void SMoveKeys(CommandArgs, std::vector<size_t>* positions) {
  positions->push_back(1);
  positions->push_back(2);
}

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kSetCommands[] = {
    {"sadd", -3, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     SAddCommand},
    {"srem", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle, SRemCommand},
    {"smembers", 2, kReadonly, kFirst, kSingle, SMembersCommand},
    {"sismember", 3, kReadonly | kFast, kFirst, kSingle, SIsMemberCommand},
    {"smismember", -3, kReadonly | kFast, kFirst, kSingle, SMIsMemberCommand},
    {"scard", 2, kReadonly | kFast, kFirst, kSingle, SCardCommand},
    {"spop", -2, kWrite | kFast | kNullIsNoop, kFirst, kSingle, SPopCommand},
    {"srandmember", -2, kReadonly, kFirst, kSingle, SRandMemberCommand},
    {"sscan", -3, kReadonly, kFirst, kSingle, SScanCommand},
    {"smove", 4, kWrite | kFast | kZeroIsNoop, kCustom, kCoordinated,
     SMoveCommand, SMoveKeys},
    {"sinter", -2, kReadonly, kAll, kCoordinated, SInterCommand},
    {"sunion", -2, kReadonly, kAll, kCoordinated, SUnionCommand},
    {"sdiff", -2, kReadonly, kAll, kCoordinated, SDiffCommand},
    {"sinterstore", -3, kWrite | kDenyOom, kAll, kCoordinated,
     SInterStoreCommand},
    {"sunionstore", -3, kWrite | kDenyOom, kAll, kCoordinated,
     SUnionStoreCommand},
    {"sdiffstore", -3, kWrite | kDenyOom, kAll, kCoordinated,
     SDiffStoreCommand},
    {"sintercard", -3, kReadonly | kMovableKeys, kCustom, kCoordinated,
     SInterCardCommand, SInterCardKeys},
};

}  // namespace

absl::Span<const CommandSpec> SetCommandTable() { return kSetCommands; }

}  // namespace shardd::kv
