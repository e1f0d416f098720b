#include "shard/kv/exec/split_plan.h"

#include <optional>
#include <type_traits>
#include <utility>

#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"

namespace shardd::kv {
namespace {

bool Writes(const CommandSpec& spec) { return (spec.flags & kWrite) != 0; }

}  // namespace

void PlanBlocks(SplitPlan& plan) {
  uint32_t parts = 0;
  for (const auto& part : plan.part_args) parts += part.empty() ? 0 : 1;
  if (parts < 2 || !Writes(*plan.spec)) return;
  plan.tx = TxLog::Make(Reactor::Current()->shard_id(), parts);
  plan.block_index.assign(plan.part_args.size(), 0);
  for (size_t s = 0; s < plan.part_args.size(); ++s) {
    if (!plan.part_args[s].empty()) plan.block_index[s] = plan.tx.next_index++;
  }
}

void PlanSplit(KvShards& shards, const CommandSpec& spec, CommandArgs args,
               uint32_t db, const std::vector<size_t>& key_positions,
               resp::Protocol protocol, const std::vector<uint32_t>& owners,
               SplitPlan* plan) {
  const uint32_t shard_count = shards.shard_count();
  plan->shards = &shards;
  plan->spec = &spec;
  plan->protocol = protocol;
  plan->db = db;
  plan->part_args.resize(shard_count);
  plan->positions.resize(shard_count);
  for (std::vector<std::string_view>& part : plan->part_args) part.clear();
  for (std::vector<size_t>& positions : plan->positions) positions.clear();
  plan->keys.clear();
  plan->owners.clear();
  plan->tx = TxLog{};
  plan->block_index.clear();
  plan->keys.reserve(key_positions.size());
  plan->owners.reserve(key_positions.size());
  bool one_owner = true;
  for (size_t i = 0; i < key_positions.size(); ++i) {
    const std::string_view key = args[key_positions[i]];
    plan->keys.push_back(key);
    plan->owners.push_back(owners.empty() ? ShardSet::OwnerOf(key, shard_count)
                                          : owners[i]);
    one_owner = one_owner && plan->owners.back() == plan->owners.front();
  }
  if (one_owner) {
    plan->part_args[plan->owners.front()].assign(args.begin(), args.end());
    return;
  }
  // A value follows each key of an MSET-like command and travels with it.
  const size_t stride = spec.keys == KeyLayout::kPairs ? 2 : 1;
  for (size_t i = 0; i < key_positions.size(); ++i) {
    const size_t position = key_positions[i];
    std::vector<std::string_view>& part = plan->part_args[plan->owners[i]];
    if (part.empty()) part.push_back(args[0]);
    for (size_t j = 0; j < stride; ++j) part.push_back(args[position + j]);
    plan->positions[plan->owners[i]].push_back((position - 1) / stride);
  }
  PlanBlocks(*plan);
}

std::optional<uint32_t> LonePart(const SplitPlan& plan) {
  std::optional<uint32_t> lone;
  for (uint32_t s = 0; s < plan.part_args.size(); ++s) {
    if (plan.part_args[s].empty()) continue;
    if (lone.has_value()) return std::nullopt;
    lone = s;
  }
  return lone;
}

void RunPlannedPart(const SplitPlan& plan, uint32_t shard, uint64_t* clock_ns,
                    std::string* reply) {
  KvShard& local = plan.shards->Local();
  // The command's home counts it once, when its parts are merged.
  const ShardFlag part(local.counted_elsewhere);
  reply->clear();
  if (plan.tx.id.empty()) {
    ExecuteHere(*plan.shards, *plan.spec, plan.part_args[shard], plan.db, reply,
                plan.protocol, clock_ns);
  } else {
    LogBlock block(local.log, &plan.tx, plan.block_index[shard]);
    ExecuteHere(*plan.shards, *plan.spec, plan.part_args[shard], plan.db, reply,
                plan.protocol, clock_ns);
  }
}

void MergeSplit(KvShards& shards, SplitPlan& plan,
                std::vector<std::string>& replies_by_shard, size_t key_count,
                MergeScratch* scratch, std::string* out) {
  if (const std::optional<uint32_t> lone = LonePart(plan)) {
    out->append(replies_by_shard[*lone]);
    return;
  }
  size_t parts = 0;
  for (const auto& part : plan.part_args) parts += part.empty() ? 0 : 1;
  // Swapped in and back out: no buffer is copied or lost.
  auto swap_parts = [&] {
    size_t part = 0;
    for (size_t s = 0; s < plan.part_args.size(); ++s) {
      if (plan.part_args[s].empty()) continue;
      scratch->replies[part].swap(replies_by_shard[s]);
      scratch->positions[part].swap(plan.positions[s]);
      ++part;
    }
  };
  scratch->replies.resize(parts);
  scratch->positions.resize(parts);
  swap_parts();
  scratch->merger.Merge(*plan.spec, scratch->replies, scratch->positions,
                        key_count, shards.Local().random, plan.protocol, out);
  swap_parts();
}

PooledSplitScratch::PooledSplitScratch(HopPool& pool)
    : pool_(pool), scratch_(pool.splits.Take()) {
  if (scratch_ == nullptr) scratch_ = new SplitScratch();
}

PooledSplitScratch::~PooledSplitScratch() {
  TrimSplitScratch(scratch_);
  pool_.splits.Give(scratch_);
}

void TrimSplitScratch(SplitScratch* scratch) {
  // As a pooled hop batch (hop_batch.cc): what one huge command needed is
  // not kept.
  constexpr size_t kRetainedEntries = 256;
  constexpr size_t kRetainedBytes = 4 * 1024;
  auto trim = [](auto& buffer, size_t most) {
    if (buffer.capacity() > most)
      std::remove_reference_t<decltype(buffer)>().swap(buffer);
  };
  for (auto& part : scratch->plan.part_args) trim(part, kRetainedEntries);
  for (auto& positions : scratch->plan.positions)
    trim(positions, kRetainedEntries);
  for (auto& positions : scratch->merge.positions)
    trim(positions, kRetainedEntries);
  trim(scratch->plan.keys, kRetainedEntries);
  trim(scratch->plan.owners, kRetainedEntries);
  for (std::string& reply : scratch->replies) trim(reply, kRetainedBytes);
  for (std::string& reply : scratch->merge.replies) trim(reply, kRetainedBytes);
  scratch->merge.merger.Trim(kRetainedEntries);
}

}  // namespace shardd::kv
