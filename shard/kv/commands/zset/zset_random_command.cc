// ZRANDMEMBER: members picked at random, each with the same chance, as
// HRANDFIELD picks fields: a positive count gives that many distinct ones, a
// negative count that many with repeats allowed.
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "absl/random/random.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/random_pick.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/zset/zset_handlers.h"
#include "shard/kv/commands/zset/zset_score.h"

namespace shardd::kv {
namespace {

constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();

// The member at `rank`, with its score if asked (RESP3: as a pair).
void ReplyMemberAt(CommandContext& ctx, const ZSetValue& zset, size_t rank,
                   bool with_scores) {
  zset.ForEachInRanks(rank, rank + 1, /*reverse=*/false,
                      [&](std::string_view member, double score) {
                        if (with_scores && ctx.reply.resp3()) {
                          ctx.reply.ArrayHeader(2);
                        }
                        ctx.reply.Bulk(member);
                        if (with_scores) ctx.reply.Double(FormatScore(score));
                      });
}

// ZRANDMEMBER key count [WITHSCORES].
void RandomMembersWithCount(CommandContext& ctx) {
  int64_t count;
  if (!ParseRandomCount(ctx.args[2], ctx.reply, &count)) return;
  const bool with_scores = ctx.args.size() == 4;
  if (ctx.args.size() > 4 ||
      (with_scores && !EqualsIgnoreCase(ctx.args[3], "withscores"))) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  // Twice as many replies must still fit a long.
  if (with_scores && (count > kMaxCount / 2 || count < -(kMaxCount / 2))) {
    ctx.reply.Error("ERR value is out of range");
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  if (zset == nullptr || count == 0) {
    ctx.reply.ArrayHeader(0);
    return;
  }
  if (!WithinPickLimit(count, ctx.reply)) return;
  const size_t per_member = with_scores && !ctx.reply.resp3() ? 2 : 1;
  absl::BitGenRef gen(*ctx.random);
  const size_t size = zset->size();
  if (count < 0) {  // -count members, repeats allowed
    const uint64_t picks = 0 - static_cast<uint64_t>(count);
    ctx.reply.ArrayHeader(picks * per_member);
    for (uint64_t i = 0; i < picks; ++i) {
      ReplyMemberAt(ctx, *zset, absl::Uniform<size_t>(gen, 0, size),
                    with_scores);
    }
    return;
  }
  // Distinct ranks; for a count past the size all of them, highest first,
  // as Redis 7.0 lists them.
  const std::vector<size_t> ranks = PickDistinct<size_t>(
      size, static_cast<size_t>(count),
      [size] {
        std::vector<size_t> all(size);
        std::iota(all.rbegin(), all.rend(), size_t{0});
        return all;
      },
      [size, &gen] { return absl::Uniform<size_t>(gen, 0, size); }, gen);
  ctx.reply.ArrayHeader(ranks.size() * per_member);
  for (const size_t rank : ranks) ReplyMemberAt(ctx, *zset, rank, with_scores);
}

}  // namespace

void ZRandMemberCommand(CommandContext& ctx) {
  if (ctx.args.size() >= 3) {
    RandomMembersWithCount(ctx);
    return;
  }
  ZSetValue* zset;
  if (!FindValue(ctx, ctx.args[1], &zset)) return;
  if (zset == nullptr) {
    ctx.reply.NullBulk();
    return;
  }
  absl::BitGenRef gen(*ctx.random);
  ReplyMemberAt(ctx, *zset, absl::Uniform<size_t>(gen, 0, zset->size()),
                /*with_scores=*/false);
}

}  // namespace shardd::kv
