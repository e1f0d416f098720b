#include "shard/kv/exec/atomic_command.h"

#include <optional>
#include <string_view>
#include <utility>

#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/reply_merger.h"
#include "shard/kv/exec/transaction.h"
#include "shard/kv/store/store.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

bool IsSplit(const CommandSpec& spec) {
  return spec.merge == Merge::kSumIntegers ||
         spec.merge == Merge::kArrayByKey || spec.merge == Merge::kAllOk;
}

// What the hooks need on the owners, lent by the waiting step.
struct SplitStep {
  KvShards* shards;
  const CommandSpec* spec;
  // Per shard: its part of the command (the whole command when one shard
  // owns every key).
  std::vector<std::vector<std::string_view>> part_args;
};

void RunPart(void* context, Transaction::Part& part) {
  SplitStep& step = *static_cast<SplitStep*>(context);
  ExecuteHere(*step.shards, *step.spec, step.part_args[part.shard()],
              &part.reply);
}

void TakeValues(void* context, Transaction::Part& part) {
  KvShards& shards = *static_cast<KvShards*>(context);
  Store& store = shards.Local().store;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (size_t i = 0; i < part.keys().size(); ++i) {
    const std::string_view key = part.keys()[i];
    Entry* entry = store.Find(key, now_ms);
    if (entry == nullptr) continue;
    part.values[i].emplace(std::move(*entry));
    store.Erase(key, now_ms);
  }
}

Task<std::string> RunSplit(KvShards& shards, const CommandSpec& spec,
                           CommandArgs args,
                           const std::vector<size_t>& key_positions) {
  std::vector<std::string_view> keys;
  for (size_t position : key_positions) keys.push_back(args[position]);
  Transaction tx(shards, keys);
  const uint32_t shard_count = shards.shard_count();
  SplitStep step{&shards, &spec, std::vector<std::vector<std::string_view>>(
                                     shard_count)};
  const bool one_owner = tx.parts().size() == 1;
  // A value follows each key of an MSET-like command and travels with it.
  const size_t stride = spec.keys == KeyLayout::kPairs ? 2 : 1;
  // Per part, the client-order index of each key it carries (kArrayByKey).
  std::vector<std::vector<size_t>> positions_by_part(tx.parts().size());
  if (one_owner) {
    step.part_args[tx.parts()[0]->shard()].assign(args.begin(), args.end());
  } else {
    std::vector<size_t> part_of_shard(shard_count, 0);
    for (size_t p = 0; p < tx.parts().size(); ++p) {
      part_of_shard[tx.parts()[p]->shard()] = p;
    }
    for (size_t position : key_positions) {
      const uint32_t owner = ShardSet::OwnerOf(args[position], shard_count);
      std::vector<std::string_view>& part = step.part_args[owner];
      if (part.empty()) part.push_back(args[0]);
      for (size_t j = 0; j < stride; ++j) part.push_back(args[position + j]);
      positions_by_part[part_of_shard[owner]].push_back((position - 1) /
                                                        stride);
    }
  }
  co_await tx.Lock(RunPart, &step, /*release_at_grant=*/one_owner);
  std::vector<std::string> replies;
  for (Transaction::Part* part : tx.parts()) {
    replies.push_back(std::move(part->reply));
  }
  tx.Release();
  if (one_owner) co_return std::move(replies[0]);
  std::string reply;
  ReplyMerger merger;
  merger.Merge(spec, replies, positions_by_part, key_positions.size(),
               shards.Local().random, &reply);
  co_return reply;
}

Task<std::string> RunWhole(KvShards& shards, const CommandSpec& spec,
                           CommandArgs args,
                           const std::vector<size_t>& key_positions) {
  std::vector<std::string_view> keys;
  for (size_t position : key_positions) keys.push_back(args[position]);
  Transaction tx(shards, keys);
  co_await tx.Lock(TakeValues, &shards);

  // The handler runs on the values as they were handed over.
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  Store scratch;
  for (Transaction::Part* part : tx.parts()) {
    for (size_t i = 0; i < part->keys().size(); ++i) {
      if (!part->values[i].has_value()) continue;
      scratch.Put(part->keys()[i], std::move(*part->values[i]));
      part->values[i].reset();
    }
  }
  std::string reply;
  resp::ReplyWriter writer(&reply);
  CommandContext ctx{scratch, writer, args, now_ms,
                     Reactor::Current()->shard_id(), shards.shard_count(),
                     &shards.Local().random};
  const uint64_t started_ns = stats::MonotonicNanos();
  spec.handler(ctx);
  shards.Local().stats.CountCommand(
      spec.name, stats::MonotonicNanos() - started_ns,
      !reply.empty() && reply[0] == '-');

  // Every value goes back to its owner, as the handler left it.
  const bool wrote = (spec.flags & kWrite) != 0;
  for (Transaction::Part* part : tx.parts()) {
    part->wrote = wrote;
    for (size_t i = 0; i < part->keys().size(); ++i) {
      Entry* entry = scratch.Find(part->keys()[i], now_ms);
      if (entry != nullptr) part->values[i].emplace(std::move(*entry));
    }
  }
  tx.Release();
  co_return reply;
}

}  // namespace

bool AnyKeyLocked(const KeyLocks& locks, const CommandSpec& spec,
                  CommandArgs args) {
  if (spec.keys == KeyLayout::kFirst) {
    return args.size() > 1 && locks.Queued(args[1]);
  }
  std::vector<size_t> positions;
  FindKeyPositions(spec, args, &positions);
  for (size_t position : positions) {
    if (locks.Queued(args[position])) return true;
  }
  return false;
}

Task<std::string> RunAtomically(KvShards& shards, const CommandSpec& spec,
                                CommandArgs args,
                                std::vector<size_t> key_positions) {
  if (IsSplit(spec)) {
    co_return co_await RunSplit(shards, spec, args, key_positions);
  }
  // A command that cannot be split runs whole on one owner when that
  // owner has every key; else on its values, gathered.
  const uint32_t shard_count = shards.shard_count();
  const uint32_t first = ShardSet::OwnerOf(args[key_positions[0]], shard_count);
  for (size_t position : key_positions) {
    if (ShardSet::OwnerOf(args[position], shard_count) != first) {
      co_return co_await RunWhole(shards, spec, args, key_positions);
    }
  }
  co_return co_await RunSplit(shards, spec, args, key_positions);
}

}  // namespace shardd::kv
