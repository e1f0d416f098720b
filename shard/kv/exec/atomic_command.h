// RunAtomically: runs one keyed command as a single atomic, isolated step
// whatever shards its keys live on, by holding its keys locked
// (transaction.h) while it runs. The router sends here every command whose
// keys span shards, and any command that meets a locked key (it waits its
// turn in the key's FIFO); blocked clients retry through here too.
//
//   std::string reply = co_await RunAtomically(shards, spec, args, positions);
//
// Two ways to run, by the command's Merge:
//  - split (MGET, MSET, DEL, EXISTS, ...): each owner runs its part of the
//    command as soon as it holds its keys, and the parts' replies are
//    merged at home. Running a part before the later owners are locked is
//    safe: its keys stay locked until every part has run, so no one sees
//    them in between.
//  - whole (RENAME, SMOVE, SINTERSTORE, MSETNX, LMOVE, ...): each owner
//    hands over its keys' values (moved, not copied) when it holds them;
//    the command's ordinary handler runs at home on a scratch store of
//    those values; each value goes back to its owner's store (moved again)
//    at release. A value crosses between shards at most once each way.
#ifndef SHARDD_SHARD_KV_EXEC_ATOMIC_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_ATOMIC_COMMAND_H_

#include <cstddef>
#include <string>
#include <vector>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/persist/log_block.h"
#include "shard/task.h"

namespace shardd::kv {

// `key_positions` are the indices of the keys in `args`; `db` is the
// client's database.
// Replies are written in `protocol`, the client's. The command is counted
// in INFO commandstats unless `counted` is false (a blocking command's
// tries: it is counted once, when it has its reply).
Task<std::string> RunAtomically(KvShards& shards, const CommandSpec& spec,
                                CommandArgs args, uint32_t db,
                                std::vector<size_t> key_positions,
                                resp::Protocol protocol, bool counted = true);

// Whether RunAtomically runs `spec` as parts, each owner's share of its
// keys, whose replies are merged (MGET, MSET, DEL, EXISTS, ...).
bool IsSplit(const CommandSpec& spec);

// Runs a split command now, part after part, where every owner of its keys
// runs on the calling thread (Reactor::ThreadMate) and none holds any of
// them: nothing else runs on the thread meanwhile, so no lock is needed
// for the step to be atomic. Appends the merged reply to `out`. `owners`
// are the owners of the keys at `key_positions`; `clock_ns` is as
// ExecuteHere's.
void RunSplitInThread(KvShards& shards, const CommandSpec& spec,
                      CommandArgs args, uint32_t db,
                      const std::vector<size_t>& key_positions,
                      const std::vector<uint32_t>& owners,
                      resp::Protocol protocol, uint64_t* clock_ns,
                      std::string* out);

// Runs a whole-keyspace command (DBSIZE, FLUSHALL, KEYS, SCAN) on each of
// `shard_ids` (ascending) as one atomic step: each shard is locked whole
// (KeyLocks::AcquireShard; shared with other readers if the command only
// reads) while the command runs there, and the parts' replies are merged
// as the command's Merge says.
Task<std::string> RunOnWholeShards(KvShards& shards, const CommandSpec& spec,
                                   CommandArgs args, uint32_t db,
                                   std::vector<uint32_t> shard_ids,
                                   resp::Protocol protocol);

// Whether a command reads or writes a shard's whole keyspace.
inline bool WholeShard(const CommandSpec& spec) {
  return spec.keys == KeyLayout::kEveryShard ||
         spec.keys == KeyLayout::kScanCursor;
}

// The same for a command whose keys the caller already holds locked (a
// command queued in a MULTI, run by EXEC): no locking, and each owner runs
// its part through the mailbox at once. Each shard's share of a write is
// logged as the next piece of `log`, the EXEC's transaction (log_block.h).
Task<std::string> RunHeld(KvShards& shards, const CommandSpec& spec,
                          CommandArgs args, uint32_t db,
                          std::vector<size_t> key_positions, TxLog* log,
                          resp::Protocol protocol);

// Whether a keyed command must wait its turn on this shard: one of its
// keys is held or waited for.
bool AnyKeyLocked(KvShard& local, const CommandSpec& spec, CommandArgs args);
// The same, at the cost of one check while nothing is locked here.
inline bool MustWaitForLocks(KvShard& local, const CommandSpec& spec,
                             CommandArgs args) {
  return !local.locks.empty() && AnyKeyLocked(local, spec, args);
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_ATOMIC_COMMAND_H_
