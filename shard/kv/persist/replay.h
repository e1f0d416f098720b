// Recovery at start: every shard replays its share of the logs, in
// parallel, before any client is accepted.
//
// The logs come in generations (aio/log/manifest.h), replayed one after
// another; within a generation each key's history is in one file, so the
// files are replayed in parallel, file i by shard i mod N. Each record goes
// through an ordinary CommandRouter, as a pipelining client's command
// would: to its key's owner under the current shard count, so the count may
// change between runs, and a record whose keys now span shards runs as one
// atomic step. Replies are dropped, as Redis's loader drops them. A
// FLUSHALL in a file deletes only the keys whose history that file holds:
// the other files' keys were flushed by their own FLUSHALL records, in
// their own place in their own history.
//
// The files are read twice. The first pass checks every file, finds
// where a torn tail starts (a crash mid-write: the file is cut back to its
// last whole record, or to the start of a transaction block left open, with
// one line on stderr, as Redis's aof-load-truncated) and notes each
// transaction block (records.h). The second applies the records, leaving
// out the blocks of transactions that are not whole in the logs: a
// transaction is recovered all or nothing. Corruption anywhere but the tail
// stops the start with the file and the offset.
//
//   Recovery recovery(shards, server, log_dir, manifest);
//   absl::Status s = co_await recovery.RunOnShard();   // on every shard
#ifndef SHARDD_SHARD_KV_PERSIST_REPLAY_H_
#define SHARDD_SHARD_KV_PERSIST_REPLAY_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "aio/log/manifest.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/shard_barrier.h"
#include "shard/task.h"

namespace shardd::kv {

class Recovery {
 public:
  Recovery(KvShards& shards, ServerView& server, std::string log_dir,
           aio::Manifest manifest);

  // On every shard, concurrently: replays the shard's share of every
  // generation. Every shard returns the first error any of them met.
  Task<absl::Status> RunOnShard();

  // Totals over every shard, once all have finished.
  uint64_t records() const { return records_.load(); }
  uint64_t skipped_blocks() const { return skipped_blocks_.load(); }

 private:
  // What the first pass saw of one transaction in one shard's files.
  struct TxSeen {
    uint32_t total = 0;
    std::vector<uint32_t> indices;
  };
  using TxTable = absl::flat_hash_map<std::string, TxSeen>;

  Task<absl::Status> Scan(const std::string& path, TxTable* table);
  // Replays file `index` of a generation of `files`.
  Task<absl::Status> Apply(const std::string& path, uint32_t index,
                           uint32_t files);
  // SWAPDB `a` `b` in file `index` of `files`: only the keys whose history
  // that file holds change places (every file has the record).
  Task<void> SwapKeysOf(uint32_t index, uint32_t files, uint32_t a, uint32_t b);
  // A FLUSHALL or FLUSHDB in file `index`: deletes, on every shard, the
  // keys whose history that file holds (those its shard owned), and no
  // others; of database `db` (FLUSHDB), or of every one (nullopt).
  Task<void> FlushKeysOf(uint32_t index, uint32_t files,
                         std::optional<uint32_t> db);
  // Whether every block of transaction `id` is in the logs (after the
  // first pass, on any shard).
  bool Whole(std::string_view id) const;
  void Fail(const absl::Status& status);

  KvShards& shards_;
  ServerView& server_;
  const std::string log_dir_;
  const aio::Manifest manifest_;
  ShardBarrier barrier_;
  std::vector<TxTable> tables_;  // per shard, over every generation
  std::atomic<bool> failed_{false};
  absl::Status error_;  // the first failure, set once failed_ flips
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> skipped_blocks_{0};
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_REPLAY_H_
