// SplitPlan: a command over keys of several shards (MGET, MSET, DEL,
// EXISTS, ...) cut into each owner's part, and the parts' replies merged
// back into the client's (atomic_command.h runs the parts).
//
//   SplitPlan plan;
//   PlanSplit(shards, spec, args, db, key_positions, protocol, {}, &plan);
//   ... each owner s: RunPlannedPart(plan, s, clock_ns, &replies[s]) ...
//   std::string reply;
//   MergeSplit(shards, plan, replies, key_count, &merge, &reply);
//
// A plan, its replies and the merge's scratch keep their buffers from one
// command to the next when reused (SplitScratch: each shard's own for the
// splits it runs on one thread, which then allocate nothing once warm, and
// a pool of them, hop_pool.h, for splits across threads).
#ifndef SHARDD_SHARD_KV_EXEC_SPLIT_PLAN_H_
#define SHARDD_SHARD_KV_EXEC_SPLIT_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/reply_merger.h"
#include "shard/kv/persist/log_block.h"

namespace shardd::kv {

class KvShards;
struct HopPool;

struct SplitPlan {
  KvShards* shards = nullptr;
  const CommandSpec* spec = nullptr;
  // Per shard: its part of the command (empty: none); the whole command
  // when one shard owns every key.
  std::vector<std::vector<std::string_view>> part_args;
  // Per shard, the client-order index of each key its part carries
  // (kArrayByKey).
  std::vector<std::vector<size_t>> positions;
  // Each key and its owner, in the client's order (for a Transaction).
  std::vector<std::string_view> keys;
  std::vector<uint32_t> owners;
  // A write over several shards: each part is one block of `tx` (the
  // part's index in block_index, by shard).
  TxLog tx;
  std::vector<uint32_t> block_index;
  resp::Protocol protocol = resp::Protocol::kResp2;  // the client's
  uint32_t db = 0;                                   // and its database
};

// What MergeSplit gathers the parts into, kept between merges.
struct MergeScratch {
  std::vector<std::string> replies;
  std::vector<std::vector<size_t>> positions;
  ReplyMerger merger;
};

// A plan, replies and merge scratch, kept for reuse: a shard's own for the
// splits it runs on its own thread (RunSplitInThread, `in_use` while one
// runs: a split may start another further up the stack), or from its
// HopPool for one that runs across threads.
struct SplitScratch {
  SplitPlan plan;
  std::vector<std::string> replies;  // by shard
  MergeScratch merge;
  bool in_use = false;
};

// A SplitScratch from a shard's pool (hop_pool.h), for a split that runs
// across threads; given back trimmed (TrimSplitScratch) when it goes.
class PooledSplitScratch {
 public:
  explicit PooledSplitScratch(HopPool& pool);
  ~PooledSplitScratch();
  PooledSplitScratch(const PooledSplitScratch&) = delete;
  PooledSplitScratch& operator=(const PooledSplitScratch&) = delete;
  SplitScratch& operator*() const { return *scratch_; }

 private:
  HopPool& pool_;
  SplitScratch* scratch_;
};

// Fills `plan` (its buffers reused) for `args`, whose keys are at
// `key_positions`; `owners`, if not empty, are their owners.
void PlanSplit(KvShards& shards, const CommandSpec& spec, CommandArgs args,
               uint32_t db, const std::vector<size_t>& key_positions,
               resp::Protocol protocol, const std::vector<uint32_t>& owners,
               SplitPlan* plan);

// Numbers the parts of a split write that has more than one: each part
// is then one block of plan.tx. (PlanSplit calls it.)
void PlanBlocks(SplitPlan& plan);

// The one shard with a part, if only one has.
std::optional<uint32_t> LonePart(const SplitPlan& plan);

// Runs the plan's part for the calling shard (inside its block, if any),
// into `reply` (cleared first). `clock_ns` as ExecuteHere's.
void RunPlannedPart(const SplitPlan& plan, uint32_t shard, uint64_t* clock_ns,
                    std::string* reply);

// Appends to `out` the parts' replies (by shard; only shards with a part)
// as one. They lend their buffers to `scratch` meanwhile.
void MergeSplit(KvShards& shards, SplitPlan& plan,
                std::vector<std::string>& replies_by_shard, size_t key_count,
                MergeScratch* scratch, std::string* out);

// Drops the buffers a large command grew in `scratch`, after its use.
void TrimSplitScratch(SplitScratch* scratch);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_SPLIT_PLAN_H_
