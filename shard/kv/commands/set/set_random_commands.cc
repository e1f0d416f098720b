// SPOP and SRANDMEMBER: members picked at random, removed or not.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/random_pick.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/set/set_handlers.h"

namespace shardd::kv {
namespace {

// Below this many remaining members per popped one, SPOP rebuilds the set
// from the members it keeps instead of removing the popped ones one by one
// (Redis's SPOP_MOVE_STRATEGY_MUL). The rebuilt set starts compact, so this
// decides the encoding afterwards just as in Redis.
constexpr uint64_t kRebuildFactor = 5;

// The set at args[1] for SPOP or SRANDMEMBER with `count`, or null once
// the reply is written: WRONGTYPE, or nothing for a missing key or a zero
// count (an empty set for SPOP, `pops`; an empty array for SRANDMEMBER, as
// Redis 7.0 answers in RESP3).
SetValue* SetForCount(CommandContext& ctx, int64_t count, bool pops) {
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return nullptr;
  if (set == nullptr || count == 0) {
    if (pops) {
      ctx.reply.SetHeader(0);
      ctx.changed_nothing = true;
    } else {
      ctx.reply.ArrayHeader(0);
    }
    return nullptr;
  }
  return set;
}

// The set at args[1] for SPOP or SRANDMEMBER without a count, or null once
// the reply is written: a syntax error for arguments past the count,
// WRONGTYPE, or nil for a missing key.
SetValue* SetForOneMember(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(kSyntaxError);
    return nullptr;
  }
  SetValue* set;
  if (!FindValue(ctx, ctx.args[1], &set)) return nullptr;
  if (set == nullptr) ctx.reply.NullBulk();
  return set;
}

// SPOP key count.
void PopCount(CommandContext& ctx) {
  int64_t count;
  if (!ParseInt64(ctx.args[2], &count) || count < 0) {
    ctx.reply.Error("ERR value is out of range, must be positive");
    return;
  }
  SetValue* set = SetForCount(ctx, count, /*pops=*/true);
  if (set == nullptr) return;
  const size_t size = set->size();
  // One "spop" for all the members, whatever the count.
  ctx.Notify(kNotifySet, "spop", ctx.args[1]);
  if (static_cast<uint64_t>(count) >= size) {  // the whole set
    ctx.reply.SetHeader(size);
    set->ForEach([&ctx](std::string_view member) { ctx.reply.Bulk(member); });
    ctx.DeleteKey(ctx.args[1]);
    return;
  }
  // Seeding from absl's pool takes ~130 ns, so no generator is kept.
  absl::BitGenRef gen(*ctx.random);
  const size_t remaining = size - static_cast<size_t>(count);
  ctx.reply.SetHeader(static_cast<size_t>(count));
  if (remaining * kRebuildFactor > static_cast<uint64_t>(count)) {
    for (int64_t i = 0; i < count; ++i) {
      const std::string member = set->RandomMember(gen);
      set->Remove(member);
      ctx.reply.Bulk(member);
    }
    return;
  }
  SetValue kept;
  for (const std::string& member : PickDistinct<std::string>(
           size, remaining, [set] { return set->Members(); },
           [set, &gen] { return set->RandomMember(gen); }, gen)) {
    kept.Add(member);
  }
  set->ForEach([&](std::string_view member) {
    if (!kept.Contains(member)) ctx.reply.Bulk(member);
  });
  *set = std::move(kept);
}

// SRANDMEMBER key count.
void RandomMembersWithCount(CommandContext& ctx) {
  int64_t count;
  if (!ParseRandomCount(ctx.args[2], ctx.reply, &count)) return;
  SetValue* set = SetForCount(ctx, count, /*pops=*/false);
  if (set == nullptr) return;
  if (!WithinPickLimit(count, ctx.reply)) return;
  absl::BitGenRef gen(*ctx.random);
  if (count < 0) {  // -count members, repeats allowed
    const uint64_t picks = 0 - static_cast<uint64_t>(count);
    ctx.reply.ArrayHeader(picks);
    for (uint64_t i = 0; i < picks; ++i) ctx.reply.Bulk(set->RandomMember(gen));
    return;
  }
  const std::vector<std::string> picked = PickDistinct<std::string>(
      set->size(), static_cast<size_t>(count), [set] { return set->Members(); },
      [set, &gen] { return set->RandomMember(gen); }, gen);
  ctx.reply.ArrayHeader(picked.size());
  for (const std::string& member : picked) ctx.reply.Bulk(member);
}

}  // namespace

void SPopCommand(CommandContext& ctx) {
  if (ctx.args.size() == 3) {
    PopCount(ctx);
    return;
  }
  SetValue* set = SetForOneMember(ctx);
  if (set == nullptr) return;
  absl::BitGenRef gen(*ctx.random);
  const std::string member = set->RandomMember(gen);
  set->Remove(member);
  ctx.Notify(kNotifySet, "spop", ctx.args[1]);
  ctx.reply.Bulk(member);
  if (set->size() == 0) {
    ctx.DeleteKey(ctx.args[1]);
  }
}

void SRandMemberCommand(CommandContext& ctx) {
  if (ctx.args.size() == 3) {
    RandomMembersWithCount(ctx);
    return;
  }
  SetValue* set = SetForOneMember(ctx);
  if (set == nullptr) return;
  absl::BitGenRef gen(*ctx.random);
  ctx.reply.Bulk(set->RandomMember(gen));
}

}  // namespace shardd::kv
