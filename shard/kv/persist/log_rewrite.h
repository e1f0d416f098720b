// LogRewriter: compaction of the logs without fork and without stopping a
// loop (BGREWRITEAOF, or automatically as the logs grow). The result is one
// generation (aio/log/manifest.h) with, per shard, a base that recreates
// every key as it was at one instant, and the writes since then.
//
//   0. Each log syncs what it holds (LogWriter::SyncSoon), so that the
//      sync each old file needs before its log switches at the cut (2)
//      covers only what came meanwhile, not up to everysec's second.
//   1. Files for a new generation (a log and a base per shard); the
//      manifest names its logs after the old ones: from now on a crash
//      replays the old logs, then the new.
//   2. One cut for all shards: a transaction locks every shard whole
//      (exec/transaction.h), so no cross-shard write is half before it; on
//      each shard, as it is granted, the log turns to the new file
//      (LogWriter::Rotate) and the store snapshots its keys
//      (Store::BeginRewrite). A transaction is thus wholly in the old logs
//      or wholly in the new, and compacting the old ones away leaves no
//      piece of one orphaned.
//   3. Each shard walks its keys, a slice per loop turn, writing the
//      commands that recreate each into its base; a write to a key the walk
//      has not reached first writes the key's old state there
//      (shard_rewrite.h). The base is synced.
//   4. The manifest names the new generation with its bases alone; the old
//      files are removed.
//
// Memory: a pointer per key for the snapshot, plus the base records not yet
// written (written every 64 KiB); the peak is reported (INFO
// aof_rewrite_peak_bytes).
//
//   LogRewriter rewriter(shards, log_dir, manifest);
//   if (!rewriter.Start()) ... already running ...
#ifndef SHARDD_SHARD_KV_PERSIST_LOG_REWRITE_H_
#define SHARDD_SHARD_KV_PERSIST_LOG_REWRITE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "aio/log/manifest.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

class LogRewriter {
 public:
  LogRewriter(KvShards& shards, std::string log_dir, aio::Manifest manifest);

  // On a shard: starts a compaction there unless one runs; true if started.
  bool Start();

  bool running() const { return running_.load(std::memory_order_acquire); }
  uint64_t rewrites() const { return rewrites_.load(); }
  bool last_failed() const { return last_failed_.load(); }
  // Compactions that failed since the last that worked.
  uint64_t failures_in_a_row() const { return failures_in_a_row_.load(); }
  void ResetFailuresInARow() { failures_in_a_row_.store(0); }  // RESETSTAT
  // How long the last compaction took, in seconds (-1: none yet).
  int64_t last_seconds() const { return last_seconds_.load(); }

 private:
  Task<void> Run();
  // Steps 1-4 (above); 0 or -errno.
  Task<int> Rewrite();

  KvShards& shards_;
  const std::string log_dir_;
  aio::Manifest manifest_;  // the current one; only a running Run() touches it
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> rewrites_{0};
  std::atomic<bool> last_failed_{false};
  std::atomic<uint64_t> failures_in_a_row_{0};
  std::atomic<int64_t> last_seconds_{-1};
};

// On a shard, once its log has turned to a new file and its store has
// taken its snapshot: writes the base into `base_fd` (then closed), a slice
// per loop turn. 0 or -errno.
Task<int> WriteBase(KvShards& shards, int base_fd);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_LOG_REWRITE_H_
