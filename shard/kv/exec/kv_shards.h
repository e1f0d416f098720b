// KvShards: the key-value service's state on every shard, as exec/ reaches
// it. Routing, hops, fan-out and blocking need the calling shard's store and
// bookkeeping and the number of shards; nothing else of the service (its
// acceptor, options, INFO), so they depend on this rather than on KvService.
//
//   KvShards shards(shard_count);
//   Store& store = shards.Local().dbs.Db(db);   // on a shard thread
#ifndef SHARDD_SHARD_KV_EXEC_KV_SHARDS_H_
#define SHARDD_SHARD_KV_EXEC_KV_SHARDS_H_

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "aio/log/log_writer.h"
#include "net/output_pool.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/client_registry.h"
#include "shard/kv/exec/hop_pool.h"
#include "shard/kv/exec/key_locks.h"
#include "shard/kv/exec/keyspace_notifier.h"
#include "shard/kv/exec/latency_monitor.h"
#include "shard/kv/exec/log_backlog.h"
#include "shard/kv/exec/slow_log.h"
#include "shard/kv/exec/split_plan.h"
#include "shard/kv/exec/watch_table.h"
#include "shard/kv/persist/shard_rewrite.h"
#include "shard/kv/pubsub/pubsub_registry.h"
#include "shard/kv/store/databases.h"
#include "shard/per_shard.h"
#include "shard/stats/rate_sampler.h"
#include "shard/stats/shard_stats.h"

namespace shardd::kv {

// What one shard owns for this service. Touched only by that shard's thread.
struct KvShard {
  Databases dbs;  // the shard's part of each database (SELECT)
  BlockingState blocking;
  KeyLocks locks;  // keys held by transactions (transaction.h)
  // Steps over several shards started here that lock one shard after
  // another before asking every shard at once again: set when a try was
  // refused (Transaction::LockInFewestRounds).
  uint32_t lock_at_once_backoff = 0;
  WatchTable watches;  // keys clients WATCH (multi_exec.h)
  // This shard's subscribers by channel and pattern; its interest() is the
  // one field other shards read (publish.h).
  PubSubRegistry pubsub;
  KeyspaceNotifier notifier;  // keyspace events, to every shard's pubsub
  // Times a session here waited for keyspace events to drain (INFO).
  uint64_t keyspace_backlog_waits = 0;
  // ... and for the shards' logs to get back under --aof_buffer_limit
  // (log_backlog.h), with those waiting now.
  uint64_t aof_buffer_limit_waits = 0;
  LogBacklogWaiters log_waiters;
  // Sessions here whose command a CLIENT PAUSE holds (counted, as Redis
  // counts them, in INFO's blocked_clients).
  uint64_t paused_clients = 0;
  // Write commands (and parts of split ones) that changed the data here
  // since the start, not counting the log's replay: Redis's
  // rdb_changes_since_last_save, which neither CONFIG RESETSTAT nor a
  // snapshot (shardd takes none) resets.
  uint64_t changes = 0;
  SlowLog slow_log;  // the slow commands this shard ran (SLOWLOG)
  LatencyMonitor latency;  // its latency spikes (LATENCY)
  // The client whose command the next ExecuteHere runs, for the slow log;
  // set just before by whoever knows it, taken (reset to 0) by it.
  uint64_t running_client_id = 0;
  // ExecuteHere runs for a command that is counted elsewhere in INFO
  // commandstats, once, as Redis counts it: a part of a command over
  // several shards (its home counts it), or a blocked client's command
  // served on its key's owner (the client's shard counts it). The slow log
  // and the latency monitor still see each run. Set by a ShardFlag.
  bool counted_elsewhere = false;
  // ExecuteHere runs a read again for a step that already ran it here (a
  // part let go after its try and granted again, transaction.h): the first
  // run had the side effects, which this one does not repeat (its count,
  // keyspace hits and misses, keymiss notifications, slow-log and latency
  // entries). Set by a ShardFlag.
  bool repeating_read = false;
  ClientRegistry clients;  // this shard's connections (CLIENT LIST, KILL)
  std::vector<size_t> key_scratch;  // key positions, for ExecuteHere
  // Key positions for AnyKeyLocked: apart from key_scratch, which
  // ExecuteHere holds while a command runs, so that neither use needs to
  // know whether the other is live.
  std::vector<size_t> lock_check_scratch;
  absl::BitGen random;
  HopPool hop_pool;
  // For the splits it runs on its own thread (RunSplitInThread).
  SplitScratch split_scratch;
  net::OutputPool outputs;  // connections' reply buffers
  stats::CommandStats stats;  // commands, errors and latencies
  stats::RateSampler ops_rate;  // commands a second, sampled every 100 ms
  stats::RateSampler input_rate;     // bytes received a second, likewise
  stats::RateSampler output_rate;    // bytes sent a second
  uint64_t expire_cycle_ns = 0;      // time in the active expiry cycle
  uint64_t expire_cycle_capped = 0;  // cycles that stopped at their cap
  uint32_t expire_next_db = 0;       // where the next cycle starts
  // The shard's append-only log (persist/): started after loading, and only
  // with --appendonly.
  aio::LogWriter log;
  ShardRewrite rewrite;  // a compaction of `log` in progress
  // Sends of write replies under appendfsync always that a check after the
  // durability fence found early (durability_fence.h): must stay 0.
  uint64_t replies_before_durable = 0;
  // Bytes of this shard's log files besides the one it appends to: logs of
  // earlier runs with another shard count (counted on shard 0) at start,
  // its base after a compaction.
  uint64_t older_log_bytes = 0;
  // The shard's log size at start or after its last compaction (Redis's
  // aof_base_size): growth over it starts a compaction.
  uint64_t log_size_at_base = 0;
  // When the last message run here was a hopped command, its end: the next
  // message, if it is one too, starts where that one ended, so that hops
  // drained back to back are timed with one clock read each, as a local
  // batch is (ExecuteHere's clock_ns).
  struct HopClock {
    uint64_t message = 0;  // Reactor::messages_run() of that command
    uint64_t ended_ns = 0;
  } hop_clock;
};

// Sets one of a KvShard's flags for ExecuteHere and RunOnValues
// (counted_elsewhere, repeating_read) for its scope, if `on`, and puts it
// back after. Never
// spans a co_await: the flag is the shard's, not the coroutine's.
//
//   const ShardFlag part(local.counted_elsewhere);
class ShardFlag {
 public:
  explicit ShardFlag(bool& flag, bool on = true) : flag_(flag), before_(flag) {
    flag_ = before_ || on;
  }
  ~ShardFlag() { flag_ = before_; }
  ShardFlag(const ShardFlag&) = delete;
  ShardFlag& operator=(const ShardFlag&) = delete;

 private:
  bool& flag_;
  const bool before_;
};

class KvShards {
 public:
  explicit KvShards(uint32_t shard_count)
      : shard_count_(shard_count), shards_(shard_count) {
    for (uint32_t s = 0; s < shard_count; ++s) {
      shards_.On(s).notifier.Bind(this, s);
    }
  }

  uint32_t shard_count() const { return shard_count_; }
  // 0, 1, ... shard_count() - 1: what a command over the whole keyspace
  // locks (Transaction::WholeShards).
  std::vector<uint32_t> AllShards() const {
    std::vector<uint32_t> all(shard_count_);
    for (uint32_t s = 0; s < shard_count_; ++s) all[s] = s;
    return all;
  }
  // notify-keyspace-events (keyspace_event.h bits); 0: off, and then a
  // write pays one relaxed load for it.
  uint32_t keyspace_events() const {
    return keyspace_events_.load(std::memory_order_relaxed);
  }
  std::atomic<uint32_t>& mutable_keyspace_events() { return keyspace_events_; }
  // CLIENT PAUSE: until when (wall clock ms; 0: not paused), and whether
  // every command waits or only writes. Set by any shard, read by every
  // session before each command.
  int64_t pause_end_ms() const {
    return pause_end_ms_.load(std::memory_order_acquire);
  }
  bool pause_all() const { return pause_all_.load(std::memory_order_relaxed); }
  // As Redis: a pause still running ends at the later of the two ends
  // and holds the more of the two modes.
  void Pause(int64_t end_ms, bool all, int64_t now_ms) {
    absl::MutexLock lock(&pause_mu_);
    const int64_t current = pause_end_ms_.load(std::memory_order_relaxed);
    if (current > now_ms) {
      all = all || pause_all_.load(std::memory_order_relaxed);
      end_ms = std::max(end_ms, current);
    }
    pause_all_.store(all, std::memory_order_relaxed);
    pause_end_ms_.store(end_ms, std::memory_order_release);
  }
  // A pause that ended by itself stops costing each command a check.
  void ClearEndedPause(int64_t end_ms) {
    absl::MutexLock lock(&pause_mu_);
    if (pause_end_ms_.load(std::memory_order_relaxed) != end_ms) return;
    pause_end_ms_.store(0, std::memory_order_release);
    pause_all_.store(false, std::memory_order_relaxed);
  }
  void Unpause() {
    absl::MutexLock lock(&pause_mu_);
    pause_end_ms_.store(0, std::memory_order_release);
    pause_all_.store(false, std::memory_order_relaxed);
  }

  // slowlog-log-slower-than (microseconds; negative: off) and
  // slowlog-max-len, and the next entry's id.
  std::atomic<int64_t>& mutable_slowlog_threshold_us() {
    return slowlog_threshold_us_;
  }
  std::atomic<uint64_t>& mutable_slowlog_max_len() { return slowlog_max_len_; }
  int64_t slowlog_threshold_us() const {
    return slowlog_threshold_us_.load(std::memory_order_relaxed);
  }
  uint64_t slowlog_max_len() const {
    return slowlog_max_len_.load(std::memory_order_relaxed);
  }
  // latency-monitor-threshold (milliseconds; 0: off).
  std::atomic<int64_t>& mutable_latency_threshold_ms() {
    return latency_threshold_ms_;
  }
  int64_t latency_threshold_ms() const {
    return latency_threshold_ms_.load(std::memory_order_relaxed);
  }
  uint64_t NextSlowLogId() {
    return slowlog_next_id_.fetch_add(1, std::memory_order_relaxed);
  }

  // MONITOR connections over every shard: while there are none, a command
  // pays one relaxed load for them.
  uint32_t monitors() const {
    return monitors_.load(std::memory_order_relaxed);
  }
  void AddMonitors(int32_t delta) {
    monitors_.fetch_add(static_cast<uint32_t>(delta),
                        std::memory_order_relaxed);
  }

  // Logs (one per shard) over --aof_buffer_limit: while any is, sessions
  // start no commands (log_backlog.h). Written by the log writers, read
  // by every session before each batch.
  uint32_t logs_behind() const {
    return logs_behind_.load(std::memory_order_relaxed);
  }
  std::atomic<uint32_t>& mutable_logs_behind() { return logs_behind_; }

  // --keyspace_events_backlog, set before the shards start.
  uint64_t keyspace_backlog_limit() const { return keyspace_backlog_limit_; }
  void set_keyspace_backlog_limit(uint64_t bytes) {
    keyspace_backlog_limit_ = bytes;
  }
  // --client_output_limit_pubsub, set before the shards start.
  const PubSubLimits& pubsub_limits() const { return pubsub_limits_; }
  void set_pubsub_limits(const PubSubLimits& limits) {
    pubsub_limits_ = limits;
  }
  KvShard& Local() { return shards_.Local(); }
  // Shard `shard`'s state: on that shard, or before start and after stop.
  const KvShard& On(uint32_t shard) const { return shards_.On(shard); }
  KvShard& On(uint32_t shard) { return shards_.On(shard); }

 private:
  const uint32_t shard_count_;  // read for every command routed
  PubSubLimits pubsub_limits_;
  std::atomic<uint32_t> keyspace_events_{0};
  std::atomic<int64_t> slowlog_threshold_us_{10000};
  std::atomic<uint64_t> slowlog_max_len_{128};
  std::atomic<uint64_t> slowlog_next_id_{0};
  std::atomic<int64_t> latency_threshold_ms_{0};
  std::atomic<uint32_t> monitors_{0};
  std::atomic<uint32_t> logs_behind_{0};
  uint64_t keyspace_backlog_limit_ = uint64_t{8} << 20;
  absl::Mutex pause_mu_;  // orders Pause and Unpause
  std::atomic<int64_t> pause_end_ms_{0};
  std::atomic<bool> pause_all_{false};
  PerShard<KvShard> shards_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_KV_SHARDS_H_
