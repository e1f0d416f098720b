// The sorted-set commands on single members: ZADD, ZINCRBY, ZREM, ZSCORE,
// ZMSCORE, ZCARD, ZRANK, ZREVRANK, ZPOPMIN, ZPOPMAX, ZMPOP, BZPOPMIN,
// BZPOPMAX, BZMPOP, ZSCAN; and the table.
// Ranges are in zset_range_commands.cc, unions, intersections and
// differences in zset_algebra_commands.cc, random picks in
// zset_random_command.cc.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/blocking_timeout.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/mpop_arguments.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/commands/zset/zset_handlers.h"
#include "shard/kv/commands/zset/zset_score.h"

namespace shardd::kv {
namespace {

struct ZAddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
};

// Adds or updates one member under `flags`, as Redis's zsetAdd. Returns false
// if an increment made the score NaN. Sets *changed if the member was added
// (*added) or its score changed, and *processed unless the flags skipped it;
// *score becomes the member's resulting score.
bool AddMember(ZSetValue& zset, std::string_view member, const ZAddFlags& flags,
               double* score, bool* added, bool* changed, bool* processed) {
  *added = *changed = *processed = false;
  const std::optional<double> current = zset.Score(member);
  if (!current) {
    if (flags.xx) return true;
    zset.Put(member, *score);
    *added = *changed = *processed = true;
    return true;
  }
  if (flags.nx) return true;
  if (flags.incr) {
    *score += *current;
    if (std::isnan(*score)) return false;
  }
  if ((flags.lt && *score >= *current) || (flags.gt && *score <= *current)) {
    return true;
  }
  *processed = true;
  if (*score != *current) {
    zset.Put(member, *score);
    *changed = true;
  }
  return true;
}

void ZAddCommand(CommandContext& ctx) {
  ZAddFlags flags;
  size_t first = 2;  // the first score
  for (; first < ctx.args.size(); ++first) {
    const std::string_view option = ctx.args[first];
    if (EqualsIgnoreCase(option, "nx")) {
      flags.nx = true;
    } else if (EqualsIgnoreCase(option, "xx")) {
      flags.xx = true;
    } else if (EqualsIgnoreCase(option, "gt")) {
      flags.gt = true;
    } else if (EqualsIgnoreCase(option, "lt")) {
      flags.lt = true;
    } else if (EqualsIgnoreCase(option, "ch")) {
      flags.ch = true;
    } else if (EqualsIgnoreCase(option, "incr")) {
      flags.incr = true;
    } else {
      break;
    }
  }
  const size_t rest = ctx.args.size() - first;
  if (rest == 0 || rest % 2 != 0) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (flags.nx && flags.xx) {
    ctx.reply.Error(
        "ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) ||
      (flags.gt && flags.lt)) {
    ctx.reply.Error(
        "ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (flags.incr && rest > 2) {
    ctx.reply.Error("ERR INCR option supports a single increment-element pair");
    return;
  }
  // Every score is checked before anything changes: ZADD is all or nothing.
  std::vector<double> scores(rest / 2);
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!ParseDouble(ctx.args[first + 2 * i], &scores[i])) {
      ctx.reply.Error(kNotFloatError);
      return;
    }
  }
  const std::string_view key = ctx.args[1];
  ZSetValue* zset;
  if (!FindValue(ctx, key, &zset)) return;
  int64_t added = 0, changed = 0;
  bool processed = false;
  double score = 0;
  if (zset == nullptr && !flags.xx) {
    zset = &ctx.store.Create(key, ValueType::kZSet).zset();
  }
  for (size_t i = 0; zset != nullptr && i < scores.size(); ++i) {
    score = scores[i];
    bool member_added, member_changed;
    if (!AddMember(*zset, ctx.args[first + 2 * i + 1], flags, &score,
                   &member_added, &member_changed, &processed)) {
      ctx.reply.Error(kNaNScoreError);
      return;
    }
    added += member_added;
    changed += member_changed;
  }
  if (flags.incr) {
    if (processed) {
      ctx.reply.Double(FormatScore(score));
    } else {
      ctx.reply.NullBulk();
    }
  } else {
    ctx.reply.Integer(flags.ch ? changed : added);
  }
  // `changed` counts the added members too.
  if (changed > 0) {
    ctx.Notify(kNotifyZset, flags.incr ? "zincr" : "zadd", key);
  } else {
    ctx.changed_nothing = true;
  }
}

void ZIncrByCommand(CommandContext& ctx) {
  double increment;
  if (!ParseDouble(ctx.args[2], &increment)) {
    ctx.reply.Error(kNotFloatError);
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  if (zset == nullptr) {
    zset = &ctx.store.Create(ctx.args[1], ValueType::kZSet).zset();
  }
  // A new member takes the increment as is (-0 stays -0, unlike 0 + -0).
  const std::optional<double> current = zset->Score(ctx.args[3]);
  const double score = current ? *current + increment : increment;
  if (std::isnan(score)) {
    ctx.reply.Error(kNaNScoreError);
    return;
  }
  zset->Put(ctx.args[3], score);
  // The reply is the sum itself: a compact set stores -0 as 0, yet replies -0.
  ctx.reply.Double(FormatScore(score));
  // As ZADD INCR: an increment that leaves the score as it was changes
  // nothing, and Redis reports nothing.
  if (!current || score != *current) {
    ctx.Notify(kNotifyZset, "zincr", ctx.args[1]);
  } else {
    ctx.changed_nothing = true;
  }
}

void ZRemCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  int64_t removed = 0;
  for (size_t i = 2; zset != nullptr && i < ctx.args.size(); ++i) {
    removed += zset->Remove(ctx.args[i]);
  }
  if (removed > 0) ctx.Notify(kNotifyZset, "zrem", ctx.args[1]);
  if (zset != nullptr && zset->size() == 0) {
    ctx.DeleteKey(ctx.args[1]);
  }
  ctx.reply.Integer(removed);
}

void ReplyOptionalScore(CommandContext& ctx, const ZSetValue* zset,
                        std::string_view member) {
  const std::optional<double> score =
      zset == nullptr ? std::nullopt : zset->Score(member);
  if (score) {
    ctx.reply.Double(FormatScore(*score));
  } else {
    ctx.reply.NullBulk();
  }
}

void ZScoreCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (FindValue(ctx, ctx.args[1], &zset)) {
    ReplyOptionalScore(ctx, zset, ctx.args[2]);
  }
}

void ZMScoreCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    ReplyOptionalScore(ctx, zset, ctx.args[i]);
  }
}

void ZCardCommand(CommandContext& ctx) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  ctx.reply.Integer(zset == nullptr ? 0 : static_cast<int64_t>(zset->size()));
}

void ReplyRank(CommandContext& ctx, bool reverse) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  const std::optional<size_t> rank =
      zset == nullptr ? std::nullopt : zset->Rank(ctx.args[2]);
  if (!rank) {
    ctx.reply.NullBulk();
    return;
  }
  ctx.reply.Integer(
      static_cast<int64_t>(reverse ? zset->size() - 1 - *rank : *rank));
}

void ZRankCommand(CommandContext& ctx) { ReplyRank(ctx, false); }
void ZRevRankCommand(CommandContext& ctx) { ReplyRank(ctx, true); }

void Pop(CommandContext& ctx, bool max) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  int64_t count = 1;
  if (ctx.args.size() == 3 && (!ParseInt64(ctx.args[2], &count) || count < 0)) {
    ctx.reply.Error("ERR value is out of range, must be positive");
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  const size_t size = zset == nullptr ? 0 : zset->size();
  const size_t n = std::min(size, static_cast<size_t>(count));
  const size_t first = max ? size - n : 0;
  // With a count, RESP3 pairs each member with its score; without one, and
  // in RESP2, they come flat.
  const bool pairs = ctx.args.size() == 3 && ctx.reply.resp3();
  ctx.reply.ArrayHeader(pairs ? n : 2 * n);
  if (n == 0) {
    ctx.changed_nothing = true;
    return;
  }
  ctx.Notify(kNotifyZset, max ? "zpopmax" : "zpopmin", ctx.args[1]);
  zset->ForEachInRanks(first, first + n, /*reverse=*/max,
                       [&](std::string_view member, double score) {
                         if (pairs) ctx.reply.ArrayHeader(2);
                         ctx.reply.Bulk(member);
                         ctx.reply.Double(FormatScore(score));
                       });
  zset->EraseRanks(first, first + n);
  if (zset->size() == 0) {
    ctx.DeleteKey(ctx.args[1]);
  }
}

// BZPOPMIN, BZPOPMAX key [key ...] timeout, run once: the lowest (or
// highest) member of the first key that has one, as [key, member, score],
// or a null array for the blocking machinery (exec/blocking.h) to wait on.
void BlockingPop(CommandContext& ctx, bool max) {
  if (!CheckBlockingTimeout(ctx, ctx.args.back())) return;
  for (size_t i = 1; i + 1 < ctx.args.size(); ++i) {
    ZSetValue* zset;
    if (!FindValue(ctx, ctx.args[i], &zset)) return;
    if (zset == nullptr) continue;
    const size_t rank = max ? zset->size() - 1 : 0;
    ctx.reply.ArrayHeader(3);
    ctx.reply.Bulk(ctx.args[i]);
    zset->ForEachInRanks(rank, rank + 1, /*reverse=*/false,
                         [&](std::string_view member, double score) {
                           ctx.reply.Bulk(member);
                           ctx.reply.Double(FormatScore(score));
                         });
    zset->EraseRanks(rank, rank + 1);
    ctx.Notify(kNotifyZset, max ? "zpopmax" : "zpopmin", ctx.args[i]);
    if (zset->size() == 0) {
      ctx.DeleteKey(ctx.args[i]);
    }
    return;
  }
  ctx.reply.NullArray();
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], and BZMPOP, which has
// a timeout first and tries once here: from the first key that has
// members, [key, [[member, score], ...]] in both protocols, else a null
// array.
void MPop(CommandContext& ctx, bool blocking) {
  MPopArguments parsed;
  if (!ParseMPopArguments(ctx, blocking ? 2 : 1, {"min", "max"}, &parsed)) {
    return;
  }
  if (blocking && !CheckBlockingTimeout(ctx, ctx.args[1])) return;
  const bool max = !parsed.first_side;
  for (const std::string_view key : parsed.keys) {
    ZSetValue* zset;
    if (!FindValue(ctx, key, &zset)) return;
    if (zset == nullptr) continue;
    const size_t size = zset->size();
    const size_t n =
        std::min(static_cast<uint64_t>(parsed.count), uint64_t{size});
    const size_t first = max ? size - n : 0;
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    ctx.reply.ArrayHeader(n);
    zset->ForEachInRanks(first, first + n, /*reverse=*/max,
                         [&](std::string_view member, double score) {
                           ctx.reply.ArrayHeader(2);
                           ctx.reply.Bulk(member);
                           ctx.reply.Double(FormatScore(score));
                         });
    zset->EraseRanks(first, first + n);
    ctx.Notify(kNotifyZset, max ? "zpopmax" : "zpopmin", key);
    if (zset->size() == 0) {
      ctx.DeleteKey(key);
    }
    return;
  }
  ctx.reply.NullArray();
}

void ZMPopCommand(CommandContext& ctx) { MPop(ctx, /*blocking=*/false); }
void BZMPopCommand(CommandContext& ctx) { MPop(ctx, /*blocking=*/true); }

void ZMPopKeys(CommandArgs args, std::vector<size_t>* positions) {
  MPopKeys(args, 1, positions);
}
void BZMPopKeys(CommandArgs args, std::vector<size_t>* positions) {
  MPopKeys(args, 2, positions);
}

void ZPopMinCommand(CommandContext& ctx) { Pop(ctx, false); }
void ZPopMaxCommand(CommandContext& ctx) { Pop(ctx, true); }
void BZPopMinCommand(CommandContext& ctx) { BlockingPop(ctx, false); }
void BZPopMaxCommand(CommandContext& ctx) { BlockingPop(ctx, true); }

void ZScanCommand(CommandContext& ctx) {
  uint64_t cursor;
  ScanOptions options;
  ZSetValue* zset = StartValueScan<ZSetValue>(ctx, &cursor, &options);
  if (zset == nullptr) return;
  std::vector<std::string> page;  // member, score, member, score...
  const uint64_t next = zset->Scan(
      cursor, options.count, [&](std::string_view member, double score) {
        if (!options.Matches(member)) return;
        page.emplace_back(member);
        // Redis shows a small set's scores as its listpack holds them.
        page.push_back(zset->is_compact() ? FormatCompactScore(score)
                                          : FormatScore(score));
      });
  ReplyScanPage(ctx.reply, next, page);
}

}  // namespace

void StoreZSet(CommandContext& ctx, std::string_view key, ZSetValue zset,
               std::string_view event) {
  const size_t size = zset.size();
  if (size == 0) {
    ctx.reply.Integer(0);
    ctx.DeleteEmptyResult(key);
    return;
  }
  ctx.store.Create(key, ValueType::kZSet).zset() = std::move(zset);
  ctx.reply.Integer(static_cast<int64_t>(size));
  ctx.Notify(kNotifyZset, event, key);
}

namespace {

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kZSetCommands[] = {
    {"zadd", -4, kWrite | kDenyOom | kFast, kFirst, kSingle, ZAddCommand},
    {"zincrby", 4, kWrite | kDenyOom | kFast, kFirst, kSingle, ZIncrByCommand},
    {"zrem", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle, ZRemCommand},
    {"zscore", 3, kReadonly | kFast, kFirst, kSingle, ZScoreCommand},
    {"zmscore", -3, kReadonly | kFast, kFirst, kSingle, ZMScoreCommand},
    {"zcard", 2, kReadonly | kFast, kFirst, kSingle, ZCardCommand},
    {"zrank", 3, kReadonly | kFast, kFirst, kSingle, ZRankCommand},
    {"zrevrank", 3, kReadonly | kFast, kFirst, kSingle, ZRevRankCommand},
    {"zpopmin", -2, kWrite | kFast, kFirst, kSingle, ZPopMinCommand},
    {"zpopmax", -2, kWrite | kFast, kFirst, kSingle, ZPopMaxCommand},
    {"zmpop", -4, kWrite | kMovableKeys | kNullIsNoop, kCustom, kCoordinated,
     ZMPopCommand, ZMPopKeys},
    {"bzmpop", -5, kWrite | kMovableKeys | kBlocking, kCustom, kCoordinated,
     BZMPopCommand, BZMPopKeys},
    {"bzpopmin", -3, kWrite | kNoScript | kFast | kBlocking, kCustom,
     kCoordinated, BZPopMinCommand, KeysBeforeTimeout},
    {"bzpopmax", -3, kWrite | kNoScript | kFast | kBlocking, kCustom,
     kCoordinated, BZPopMaxCommand, KeysBeforeTimeout},
    {"zscan", -3, kReadonly, kFirst, kSingle, ZScanCommand},
    {"zrandmember", -2, kReadonly, kFirst, kSingle, ZRandMemberCommand},
    {"zcount", 4, kReadonly | kFast, kFirst, kSingle, ZCountCommand},
    {"zlexcount", 4, kReadonly | kFast, kFirst, kSingle, ZLexCountCommand},
    {"zrange", -4, kReadonly, kFirst, kSingle, ZRangeCommand},
    {"zrangebyscore", -4, kReadonly, kFirst, kSingle, ZRangeByScoreCommand},
    {"zrevrange", -4, kReadonly, kFirst, kSingle, ZRevRangeCommand},
    {"zrevrangebyscore", -4, kReadonly, kFirst, kSingle,
     ZRevRangeByScoreCommand},
    {"zrangebylex", -4, kReadonly, kFirst, kSingle, ZRangeByLexCommand},
    {"zrevrangebylex", -4, kReadonly, kFirst, kSingle, ZRevRangeByLexCommand},
    {"zremrangebyrank", 4, kWrite | kZeroIsNoop, kFirst, kSingle,
     ZRemRangeByRankCommand},
    {"zremrangebyscore", 4, kWrite | kZeroIsNoop, kFirst, kSingle,
     ZRemRangeByScoreCommand},
    {"zremrangebylex", 4, kWrite | kZeroIsNoop, kFirst, kSingle,
     ZRemRangeByLexCommand},
    {"zrangestore", -5, kWrite | kDenyOom, kCustom, kCoordinated,
     ZRangeStoreCommand, ZRangeStoreKeys},
    {"zunionstore", -4, kWrite | kDenyOom | kMovableKeys, kCustom, kCoordinated,
     ZUnionStoreCommand, ZStoreKeys},
    {"zinterstore", -4, kWrite | kDenyOom | kMovableKeys, kCustom, kCoordinated,
     ZInterStoreCommand, ZStoreKeys},
    {"zdiffstore", -4, kWrite | kDenyOom | kMovableKeys, kCustom, kCoordinated,
     ZDiffStoreCommand, ZStoreKeys},
    {"zunion", -3, kReadonly | kMovableKeys, kCustom, kCoordinated,
     ZUnionCommand, ZReadKeys},
    {"zinter", -3, kReadonly | kMovableKeys, kCustom, kCoordinated,
     ZInterCommand, ZReadKeys},
    {"zdiff", -3, kReadonly | kMovableKeys, kCustom, kCoordinated, ZDiffCommand,
     ZReadKeys},
    {"zintercard", -3, kReadonly | kMovableKeys, kCustom, kCoordinated,
     ZInterCardCommand, ZReadKeys},
};

}  // namespace

absl::Span<const CommandSpec> ZSetCommandTable() { return kZSetCommands; }

}  // namespace shardd::kv
