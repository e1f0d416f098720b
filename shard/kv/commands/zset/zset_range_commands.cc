// The sorted-set commands over a range of members: by rank (ZRANGE,
// ZREVRANGE, ZREMRANGEBYRANK), by score (BYSCORE, ZRANGEBYSCORE, ZCOUNT,
// ZREMRANGEBYSCORE) or by member (BYLEX, ZRANGEBYLEX, ZLEXCOUNT,
// ZREMRANGEBYLEX), and ZRANGESTORE. Every range becomes an interval of ranks,
// found in O(log n), and is then read or erased in one walk.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/index_range.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/zset/zset_handlers.h"
#include "shard/kv/commands/zset/zset_range_spec.h"
#include "shard/kv/commands/zset/zset_score.h"

namespace shardd::kv {
namespace {

enum class RangeKind { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// The members selected: ranks [first, end), visited downwards if `reverse`.
struct Ranks {
  size_t first = 0;
  size_t end = 0;
  bool reverse = false;
};

// [*first, *end): the ranks of the members inside `range` (a ScoreRange or
// a LexRange).
void RanksIn(const ZSetValue& zset, const ScoreRange& range, size_t* first,
             size_t* end) {
  *first = zset.CountWhile(
      [&](double score, std::string_view) { return range.BelowMin(score); });
  *end = zset.CountWhile(
      [&](double score, std::string_view) { return !range.AboveMax(score); });
  if (*end < *first) *end = *first;
}

void RanksIn(const ZSetValue& zset, const LexRange& range, size_t* first,
             size_t* end) {
  *first = zset.CountWhile(
      [&](double, std::string_view member) { return range.BelowMin(member); });
  *end = zset.CountWhile(
      [&](double, std::string_view member) { return !range.AboveMax(member); });
  if (*end < *first) *end = *first;
}

// Applies LIMIT offset count to the ranks [first, end) read in `reverse`
// order. Like Redis, a negative offset selects nothing and a negative count
// means no limit.
Ranks Limit(size_t first, size_t end, bool reverse, int64_t offset,
            int64_t count) {
  const size_t n = end - first;
  if (offset < 0 || static_cast<uint64_t>(offset) >= n) return {};
  size_t take = n - static_cast<size_t>(offset);
  if (count >= 0) take = std::min(take, static_cast<size_t>(count));
  const size_t skip = static_cast<size_t>(offset);
  if (reverse) return {end - skip - take, end - skip, true};
  return {first + skip, first + skip + take, false};
}

// ZRANGE and all its older forms. args[key_index] is the source key, then
// come the two bounds and the options. With `store`, args[1] is ZRANGESTORE's
// destination.
void RangeCommand(CommandContext& ctx, size_t key_index, bool store,
                  RangeKind kind, Direction direction) {
  bool with_scores = false;
  int64_t offset = 0, limit = -1;
  bool has_limit = false;
  for (size_t i = key_index + 3; i < ctx.args.size(); ++i) {
    const std::string_view option = ctx.args[i];
    const size_t left = ctx.args.size() - i - 1;
    if (!store && EqualsIgnoreCase(option, "withscores")) {
      with_scores = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      if (!ParseInt64(ctx.args[i + 1], &offset) ||
          !ParseInt64(ctx.args[i + 2], &limit)) {
        ctx.reply.Error(kNotIntegerError);
        return;
      }
      has_limit = true;
      i += 2;
    } else if (direction == Direction::kAuto &&
               EqualsIgnoreCase(option, "rev")) {
      direction = Direction::kReverse;
    } else if (kind == RangeKind::kAuto && EqualsIgnoreCase(option, "bylex")) {
      kind = RangeKind::kLex;
    } else if (kind == RangeKind::kAuto &&
               EqualsIgnoreCase(option, "byscore")) {
      kind = RangeKind::kScore;
    } else {
      ctx.reply.Error(kSyntaxError);
      return;
    }
  }
  const bool reverse = direction == Direction::kReverse;
  if (kind == RangeKind::kAuto) kind = RangeKind::kRank;
  // Redis tests "limit != -1": "LIMIT 0 -1" passes as no limit.
  if (has_limit && limit != -1 && kind == RangeKind::kRank) {
    ctx.reply.Error(
        "ERR syntax error, LIMIT is only supported in combination with either "
        "BYSCORE or BYLEX");
    return;
  }
  if (with_scores && kind == RangeKind::kLex) {
    ctx.reply.Error(
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  // Reversed score and name ranges are given as max, min.
  std::string_view min = ctx.args[key_index + 1];
  std::string_view max = ctx.args[key_index + 2];
  if (reverse && kind != RangeKind::kRank) std::swap(min, max);
  int64_t start = 0, stop = 0;
  ScoreRange score_range;
  LexRange lex_range;
  if (kind == RangeKind::kRank) {
    if (!ParseInt64(min, &start) || !ParseInt64(max, &stop)) {
      ctx.reply.Error(kNotIntegerError);
      return;
    }
  } else if (kind == RangeKind::kScore) {
    if (!ParseScoreRange(min, max, &score_range)) {
      ctx.reply.Error(kScoreRangeError);
      return;
    }
  } else if (!ParseLexRange(min, max, &lex_range)) {
    ctx.reply.Error(kLexRangeError);
    return;
  }

  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[key_index], &zset)) return;
  Ranks ranks;
  if (zset != nullptr) {
    size_t first, end;
    if (kind == RangeKind::kRank) {
      ClampIndexRange(start, stop, zset->size(), &first, &end);
      // Reversed ranks count from the top.
      ranks = reverse ? Ranks{zset->size() - end, zset->size() - first, true}
                      : Ranks{first, end, false};
    } else {
      if (kind == RangeKind::kScore) {
        RanksIn(*zset, score_range, &first, &end);
      } else {
        RanksIn(*zset, lex_range, &first, &end);
      }
      ranks = Limit(first, end, reverse, offset, limit);
    }
  }
  const size_t count = ranks.end - ranks.first;
  if (store) {
    ZSetValue result;
    // Redis sizes the destination up front only for a range by rank.
    if (kind == RangeKind::kRank) result.Reserve(count, 0);
    if (count > 0) {
      zset->ForEachInRanks(ranks.first, ranks.end, ranks.reverse,
                           [&](std::string_view member, double score) {
                             result.Put(member, score);
                           });
    }
    StoreZSet(ctx, ctx.args[1], std::move(result), "zrangestore");
    return;
  }
  // RESP3 pairs each member with its score; RESP2 lists them flat.
  const bool pairs = with_scores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(with_scores && !pairs ? 2 * count : count);
  if (count == 0) return;
  zset->ForEachInRanks(ranks.first, ranks.end, ranks.reverse,
                       [&](std::string_view member, double score) {
                         if (pairs) ctx.reply.ArrayHeader(2);
                         ctx.reply.Bulk(member);
                         if (with_scores) ctx.reply.Double(FormatScore(score));
                       });
}

// Erases the members of ranks [first, end) from the sorted set at args[1],
// if there are any, and the key if none are left, reporting `event` (and
// "del").
void RemoveRanks(CommandContext& ctx, ZSetValue* zset, size_t first, size_t end,
                 std::string_view event) {
  if (end <= first) return;
  zset->EraseRanks(first, end);
  ctx.Notify(kNotifyZset, event, ctx.args[1]);
  if (zset->size() == 0) {
    ctx.DeleteKey(ctx.args[1]);
  }
}

// ZCOUNT, ZLEXCOUNT (`erase` false) and ZREMRANGEBYSCORE, ZREMRANGEBYLEX:
// how many members `range` holds, erasing them if asked (and reporting
// `erase_event`).
template <typename Range>
void CountOrErase(CommandContext& ctx, const Range& range, bool erase,
                  std::string_view erase_event) {
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  size_t first = 0, end = 0;
  if (zset != nullptr) RanksIn(*zset, range, &first, &end);
  if (erase) RemoveRanks(ctx, zset, first, end, erase_event);
  ctx.reply.Integer(static_cast<int64_t>(end - first));
}

void ScoreCountOrErase(CommandContext& ctx, bool erase) {
  ScoreRange range;
  if (!ParseScoreRange(ctx.args[2], ctx.args[3], &range)) {
    ctx.reply.Error(kScoreRangeError);
    return;
  }
  CountOrErase(ctx, range, erase, "zremrangebyscore");
}

void LexCountOrErase(CommandContext& ctx, bool erase) {
  LexRange range;
  if (!ParseLexRange(ctx.args[2], ctx.args[3], &range)) {
    ctx.reply.Error(kLexRangeError);
    return;
  }
  CountOrErase(ctx, range, erase, "zremrangebylex");
}

}  // namespace

void ZRangeCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kAuto, Direction::kAuto);
}
void ZRangeByScoreCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kScore, Direction::kForward);
}
void ZRevRangeCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kRank, Direction::kReverse);
}
void ZRevRangeByScoreCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kScore, Direction::kReverse);
}
void ZRangeByLexCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kLex, Direction::kForward);
}
void ZRevRangeByLexCommand(CommandContext& ctx) {
  RangeCommand(ctx, 1, false, RangeKind::kLex, Direction::kReverse);
}
void ZRangeStoreCommand(CommandContext& ctx) {
  RangeCommand(ctx, 2, true, RangeKind::kAuto, Direction::kAuto);
}

void ZCountCommand(CommandContext& ctx) { ScoreCountOrErase(ctx, false); }
void ZLexCountCommand(CommandContext& ctx) { LexCountOrErase(ctx, false); }
void ZRemRangeByScoreCommand(CommandContext& ctx) {
  ScoreCountOrErase(ctx, true);
}
void ZRemRangeByLexCommand(CommandContext& ctx) { LexCountOrErase(ctx, true); }

void ZRemRangeByRankCommand(CommandContext& ctx) {
  int64_t start, stop;
  if (!ParseInt64(ctx.args[2], &start) || !ParseInt64(ctx.args[3], &stop)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  size_t first = 0, end = 0;
  if (zset != nullptr) ClampIndexRange(start, stop, zset->size(), &first, &end);
  RemoveRanks(ctx, zset, first, end, "zremrangebyrank");
  ctx.reply.Integer(static_cast<int64_t>(end - first));
}

void ZRangeStoreKeys(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() < 3) return;
  positions->push_back(1);
  positions->push_back(2);
}

}  // namespace shardd::kv
