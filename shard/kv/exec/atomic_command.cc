#include "shard/kv/exec/atomic_command.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "shard/invoke_on.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/held_values.h"
#include "shard/kv/exec/reply_merger.h"
#include "shard/kv/exec/split_plan.h"
#include "shard/kv/exec/transaction.h"
#include "shard/kv/persist/log_block.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

// Should a discovering command under whole-shard locks still find a key it
// reads unheld (it cannot: nothing else runs), it does not run.
constexpr std::string_view kReadKeysMovedError =
    "ERR the keys this command reads changed while it ran";

bool OneOwner(CommandArgs args, const std::vector<size_t>& key_positions,
              uint32_t shard_count) {
  const uint32_t first = ShardSet::OwnerOf(args[key_positions[0]], shard_count);
  for (size_t position : key_positions) {
    if (ShardSet::OwnerOf(args[position], shard_count) != first) return false;
  }
  return true;
}

bool Writes(const CommandSpec& spec) { return (spec.flags & kWrite) != 0; }

// The reply of a plan whose parts ran elsewhere: a lone part's changes
// hands, several are merged.
std::string MergedReply(KvShards& shards, SplitPlan& plan,
                        std::vector<std::string>& replies, size_t key_count,
                        MergeScratch* scratch) {
  if (const std::optional<uint32_t> lone = LonePart(plan)) {
    return std::move(replies[*lone]);
  }
  size_t bytes = 0;
  for (uint32_t s = 0; s < plan.part_args.size(); ++s) {
    if (!plan.part_args[s].empty()) bytes += replies[s].size();
  }
  std::string reply;
  reply.reserve(bytes);
  MergeSplit(shards, plan, replies, key_count, scratch, &reply);
  return reply;
}

void RunPart(void* context, Transaction::Part& part) {
  const SplitPlan& plan = *static_cast<SplitPlan*>(context);
  RunPlannedPart(plan, part.shard(), /*clock_ns=*/nullptr, &part.reply);
}

// What TakePartValues is lent.
struct TakeFrom {
  KvShards* shards;
  HeldKeys dbs;
};

void TakePartValues(void* context, Transaction::Part& part) {
  const TakeFrom& from = *static_cast<TakeFrom*>(context);
  part.epoch = TakeValues(*from.shards, from.dbs, part.keys(), &part.values);
}

std::vector<std::string_view> KeysAt(CommandArgs args,
                                     const std::vector<size_t>& positions) {
  std::vector<std::string_view> keys;
  for (size_t position : positions) keys.push_back(args[position]);
  return keys;
}

// `counted` as RunAtomically's.
Task<std::string> RunSplit(KvShards& shards, const CommandSpec& spec,
                           CommandArgs args, uint32_t db,
                           const std::vector<size_t>& key_positions,
                           resp::Protocol protocol, bool counted) {
  const uint64_t started_ns = stats::MonotonicNanos();
  const PooledSplitScratch pooled(shards.Local().hop_pool);
  SplitScratch& scratch = *pooled;
  SplitPlan& plan = scratch.plan;
  PlanSplit(shards, spec, args, db, key_positions, protocol, {}, &plan);
  Transaction tx(shards, plan.keys, plan.owners);
  // Each part writes its reply into a buffer of the scratch's, lent to it
  // and taken back, so that a warm scratch's replies need no allocation.
  std::vector<std::string>& replies = scratch.replies;
  replies.resize(shards.shard_count());
  for (Transaction::Part* part : tx.parts()) {
    part->reply.swap(replies[part->shard()]);
  }
  // Each part runs as its owner grants it.
  co_await tx.LockInFewestRounds(RunPart, &plan, /*hooks_read=*/!Writes(spec));
  for (Transaction::Part* part : tx.parts()) {
    replies[part->shard()].swap(part->reply);
  }
  tx.Release();
  std::string reply =
      MergedReply(shards, plan, replies, key_positions.size(), &scratch.merge);
  if (counted) shards.Local().stats.CountReplied(spec.name, started_ns, reply);
  co_return reply;
}

}  // namespace

void RunSplitInThread(KvShards& shards, const CommandSpec& spec,
                      CommandArgs args, uint32_t db,
                      const std::vector<size_t>& key_positions,
                      const std::vector<uint32_t>& owners,
                      resp::Protocol protocol, uint64_t* clock_ns,
                      std::string* out) {
  const uint64_t started_ns = clock_ns != nullptr && *clock_ns != 0
                                  ? *clock_ns
                                  : stats::MonotonicNanos();
  KvShard& home_shard = shards.Local();
  // The shard's scratch, unless a split is already using it further up
  // the stack.
  SplitScratch spare;
  SplitScratch& scratch =
      home_shard.split_scratch.in_use ? spare : home_shard.split_scratch;
  scratch.in_use = true;
  SplitPlan& plan = scratch.plan;
  PlanSplit(shards, spec, args, db, key_positions, protocol, owners, &plan);
  Reactor& home = *Reactor::Current();
  scratch.replies.resize(shards.shard_count());
  for (uint32_t s = 0; s < plan.part_args.size(); ++s) {
    if (plan.part_args[s].empty()) continue;
    Reactor::Visit visit(*home.ThreadMate(s));
    if (s != home.shard_id()) ++shards.Local().stats.hops_in_thread;
    RunPlannedPart(plan, s, clock_ns, &scratch.replies[s]);
  }
  const size_t before = out->size();
  MergeSplit(shards, plan, scratch.replies, key_positions.size(),
             &scratch.merge, out);
  const uint64_t ended_ns = home_shard.stats.CountReplied(
      spec.name, started_ns, std::string_view(*out).substr(before));
  // The next command starts where this one's count ended.
  if (clock_ns != nullptr) *clock_ns = ended_ns;
  TrimSplitScratch(&scratch);
  scratch.in_use = false;
}

namespace {

// Locks `keys`, runs the command at home on their values and puts them
// back. Nullopt if the command would read a key not among them (it did
// not run). `counted` as RunAtomically's.
Task<std::optional<std::string>> RunWhole(KvShards& shards,
                                          const CommandSpec& spec,
                                          CommandArgs args, uint32_t db,
                                          std::vector<std::string_view> keys,
                                          resp::Protocol protocol,
                                          bool counted = true) {
  Transaction tx(shards, keys);
  TakeFrom from{&shards,
                HeldKeys::For(spec, args, db, shards.Local().dbs.count())};
  co_await tx.Lock(TakePartValues, &from);
  std::vector<HeldValues> held;
  for (Transaction::Part* part : tx.parts()) {
    held.push_back({part->keys(), &part->values});
  }
  WriteEffect effect;
  std::optional<std::string> reply;
  {
    const ShardFlag uncounted(shards.Local().counted_elsewhere,
                              /*on=*/!counted);
    reply = RunOnValues(shards, spec, args, db, held, protocol, &effect);
  }
  // Each owner logs what its keys now hold, all as one transaction.
  const TxLog log = effect.wrote
                        ? TxLog::Make(Reactor::Current()->shard_id(),
                                      static_cast<uint32_t>(tx.parts().size()))
                        : TxLog{};
  // Back in place before the reply, so that what the client does next, on
  // any connection, finds them there.
  uint32_t index = 0;
  for (Transaction::Part* part : tx.parts()) {
    co_await InvokeOn(
        part->shard(), [&shards, &log, &from, part, &effect, index] {
          PutValues(shards, from.dbs, part->keys(), &part->values, part->epoch,
                    effect, effect.wrote ? &log : nullptr, index);
        });
    ++index;
  }
  tx.Release();
  co_return reply;
}

// Appends to `keys` those of `found` it does not have yet. (A SORT's
// patterns may name a key per element: hashed, not searched.)
template <typename Keys>
void AddDistinct(const Keys& found, std::vector<std::string_view>* keys) {
  absl::flat_hash_set<std::string_view> seen(keys->begin(), keys->end());
  for (std::string_view key : found) {
    if (seen.insert(key).second) keys->push_back(key);
  }
}

// The keys the command reads beyond those its arguments name, as its
// source's owner (the first key's) sees them now.
Task<std::vector<std::string>> DiscoverKeys(KvShards& shards,
                                            const CommandSpec& spec,
                                            CommandArgs args, uint32_t db,
                                            size_t source_position) {
  const uint32_t owner =
      ShardSet::OwnerOf(args[source_position], shards.shard_count());
  co_return co_await InvokeOn(owner, [&shards, &spec, args, db] {
    std::vector<std::string> keys;
    spec.discovery->find(shards.Local().dbs.Db(db), args,
                         absl::ToUnixMillis(absl::Now()), &keys);
    return keys;
  });
}

// RunHeld for a command each owner runs its part of (or one owner all of).
Task<std::string> RunHeldSplit(KvShards& shards, const CommandSpec& spec,
                               CommandArgs args, uint32_t db,
                               const std::vector<size_t>& key_positions,
                               TxLog* log, resp::Protocol protocol) {
  const uint32_t shard_count = shards.shard_count();
  const uint64_t started_ns = stats::MonotonicNanos();
  const PooledSplitScratch pooled(shards.Local().hop_pool);
  SplitPlan& plan = (*pooled).plan;
  PlanSplit(shards, spec, args, db, key_positions, protocol, {}, &plan);
  // Each part is a piece of the caller's transaction instead.
  plan.tx = TxLog{};
  // (Each part's reply is made on its owner and moved here: the pooled
  // reply buffers would not be reused.)
  std::vector<std::string> replies(shard_count);
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (plan.part_args[s].empty()) continue;
    const TxLog* piece = log != nullptr && Writes(spec) ? log : nullptr;
    const uint32_t index = piece != nullptr ? log->next_index++ : 0;
    replies[s] = co_await InvokeOn(s, [&plan, s, piece, index] {
      std::string reply;
      const ShardFlag part(plan.shards->Local().counted_elsewhere);
      if (piece == nullptr) {
        ExecuteHere(*plan.shards, *plan.spec, plan.part_args[s], plan.db,
                    &reply, plan.protocol);
      } else {
        LogBlock block(plan.shards->Local().log, piece, index);
        ExecuteHere(*plan.shards, *plan.spec, plan.part_args[s], plan.db,
                    &reply, plan.protocol);
      }
      return reply;
    });
  }
  std::string reply = MergedReply(shards, plan, replies, key_positions.size(),
                                  &(*pooled).merge);
  shards.Local().stats.CountReplied(spec.name, started_ns, reply);
  co_return reply;
}

// RunHeld for a command that runs whole at home on the values of `keys`
// (distinct), which come over and go back.
Task<std::string> RunHeldWhole(KvShards& shards, const CommandSpec& spec,
                               CommandArgs args, uint32_t db,
                               const std::vector<std::string_view>& all_keys,
                               TxLog* log, resp::Protocol protocol) {
  const uint32_t shard_count = shards.shard_count();
  std::vector<std::vector<std::string_view>> keys(shard_count);
  std::vector<std::vector<std::optional<Entry>>> values(shard_count);
  for (std::string_view key : all_keys) {
    keys[ShardSet::OwnerOf(key, shard_count)].push_back(key);
  }
  std::vector<uint64_t> epochs(shard_count);
  std::vector<HeldValues> held;
  const HeldKeys dbs =
      HeldKeys::For(spec, args, db, shards.Local().dbs.count());
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (keys[s].empty()) continue;
    epochs[s] = co_await InvokeOn(s, [&shards, &keys, &values, &dbs, s] {
      return TakeValues(shards, dbs, keys[s], &values[s]);
    });
    held.push_back({keys[s], &values[s]});
  }
  WriteEffect effect;
  std::optional<std::string> reply =
      RunOnValues(shards, spec, args, db, held, protocol, &effect);
  for (uint32_t s = 0; s < shard_count; ++s) {
    if (keys[s].empty()) continue;
    const TxLog* piece = effect.wrote ? log : nullptr;
    const uint32_t index = piece != nullptr ? log->next_index++ : 0;
    co_await InvokeOn(
        s, [&shards, &keys, &values, &epochs, &dbs, s, &effect, piece, index] {
          PutValues(shards, dbs, keys[s], &values[s], epochs[s], effect, piece,
                    index);
        });
  }
  // Under whole shards the keys read cannot have moved on; should they
  // have, the command did not run, and says so.
  if (!reply.has_value()) {
    std::string error;
    resp::ReplyWriter(&error, protocol).Error(kReadKeysMovedError);
    co_return error;
  }
  co_return *std::move(reply);
}

// A command whose source's values name more keys (SORT ... BY/GET), over
// several shards. The keys found on the source's owner are locked with the
// command's own; the source cannot change while it is locked, so if the
// held values still name only held keys the command runs. Otherwise the
// source changed between the look and the lock, and the second try holds
// every shard whole, under which nothing changes.
Task<std::string> RunDiscovering(KvShards& shards, const CommandSpec& spec,
                                 CommandArgs args, uint32_t db,
                                 const std::vector<size_t>& key_positions,
                                 resp::Protocol protocol) {
  const std::vector<std::string> found =
      co_await DiscoverKeys(shards, spec, args, db, key_positions[0]);
  std::vector<std::string_view> keys = KeysAt(args, key_positions);
  AddDistinct(found, &keys);
  std::optional<std::string> reply =
      co_await RunWhole(shards, spec, args, db, std::move(keys), protocol);
  if (reply.has_value()) co_return *std::move(reply);
  Transaction tx(shards, Transaction::WholeShards{shards.AllShards()});
  co_await tx.Lock(nullptr, nullptr);
  TxLog log = TxLog::Make(Reactor::Current()->shard_id(), /*total=*/0);
  std::string held_reply =
      co_await RunHeld(shards, spec, args, db, key_positions, &log, protocol);
  if (log.next_index > 0) CloseTxLog(shards.Local().log, log);
  tx.Release();
  co_return held_reply;
}

}  // namespace

bool IsSplit(const CommandSpec& spec) {
  return spec.merge == Merge::kSumIntegers ||
         spec.merge == Merge::kArrayByKey || spec.merge == Merge::kAllOk;
}

bool AnyKeyLocked(KvShard& local, const CommandSpec& spec, CommandArgs args) {
  const KeyLocks& locks = local.locks;
  if (spec.keys == KeyLayout::kFirst) {
    return args.size() > 1 && locks.Queued(args[1]);
  }
  // A command over the shard's whole keyspace waits for every lock.
  if (WholeShard(spec)) return !locks.empty();
  std::vector<size_t>& positions = local.lock_check_scratch;
  positions.clear();
  FindKeyPositions(spec, args, &positions);
  const bool locked = std::any_of(
      positions.begin(), positions.end(),
      [&](size_t position) { return locks.Queued(args[position]); });
  // What one huge command needed is not kept.
  constexpr size_t kRetainedPositions = 256;
  if (positions.capacity() > kRetainedPositions) {
    std::vector<size_t>().swap(positions);
  }
  return locked;
}

Task<std::string> RunAtomically(KvShards& shards, const CommandSpec& spec,
                                CommandArgs args, uint32_t db,
                                std::vector<size_t> key_positions,
                                resp::Protocol protocol, bool counted) {
  // (No blocking command discovers keys: a discovering command is always
  // counted.)
  if (DiscoversKeys(spec, args, shards.shard_count())) {
    co_return co_await RunDiscovering(shards, spec, args, db, key_positions,
                                      protocol);
  }
  // A command that cannot be split runs whole on one owner when that owner
  // has every key, else on its values gathered at home. (Its keys are all
  // it reads: nothing to discover, so it always runs.)
  if (IsSplit(spec) || OneOwner(args, key_positions, shards.shard_count())) {
    co_return co_await RunSplit(shards, spec, args, db, key_positions, protocol,
                                counted);
  }
  co_return *co_await RunWhole(shards, spec, args, db,
                               KeysAt(args, key_positions), protocol, counted);
}

Task<std::string> RunOnWholeShards(KvShards& shards, const CommandSpec& spec,
                                   CommandArgs args, uint32_t db,
                                   std::vector<uint32_t> shard_ids,
                                   resp::Protocol protocol) {
  const uint64_t started_ns = stats::MonotonicNanos();
  Transaction tx(shards, Transaction::WholeShards{
                             shard_ids, Writes(spec) ? ShardMode::kExclusive
                                                     : ShardMode::kShared});
  SplitPlan plan{
      &shards,
      &spec,
      std::vector<std::vector<std::string_view>>(shards.shard_count()),
      {}};
  plan.protocol = protocol;
  plan.db = db;
  for (uint32_t s : shard_ids)
    plan.part_args[s].assign(args.begin(), args.end());
  PlanBlocks(plan);
  co_await tx.LockInFewestRounds(RunPart, &plan, /*hooks_read=*/!Writes(spec));
  std::vector<std::string> replies;
  for (Transaction::Part* part : tx.parts()) {
    replies.push_back(std::move(part->reply));
  }
  tx.Release();
  std::string reply;
  if (replies.size() == 1) {
    reply = std::move(replies[0]);
  } else {
    ReplyMerger merger;
    merger.Merge(spec, replies, {}, 0, shards.Local().random, protocol, &reply);
  }
  shards.Local().stats.CountReplied(spec.name, started_ns, reply);
  co_return reply;
}

Task<std::string> RunHeld(KvShards& shards, const CommandSpec& spec,
                          CommandArgs args, uint32_t db,
                          std::vector<size_t> key_positions, TxLog* log,
                          resp::Protocol protocol) {
  const uint32_t shard_count = shards.shard_count();
  // The keys a discovering command reads stay put: the caller holds every
  // shard whole for it (RunDiscovering, or the EXEC around it).
  if (DiscoversKeys(spec, args, shard_count)) {
    const std::vector<std::string> found =
        co_await DiscoverKeys(shards, spec, args, db, key_positions[0]);
    std::vector<std::string_view> keys;
    AddDistinct(found, &keys);
    AddDistinct(KeysAt(args, key_positions), &keys);
    co_return co_await RunHeldWhole(shards, spec, args, db, keys, log,
                                    protocol);
  }
  if (IsSplit(spec) || OneOwner(args, key_positions, shard_count)) {
    co_return co_await RunHeldSplit(shards, spec, args, db, key_positions, log,
                                    protocol);
  }
  std::vector<std::string_view> keys;
  AddDistinct(KeysAt(args, key_positions), &keys);
  co_return co_await RunHeldWhole(shards, spec, args, db, keys, log, protocol);
}

}  // namespace shardd::kv
