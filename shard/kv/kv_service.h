// KvService: the Redis-protocol key-value service on top of the shard
// runtime. It owns each shard's state (exec/kv_shards.h: the Store and its
// bookkeeping) and an acceptor (net/acceptor.h) that gives it connections;
// each shard serves its connections (resp_session.h) and expires its keys.
// To the session commands (CONFIG, INFO, ...) it is the ServerView.
//
//   KvService kv(options, shard_count);
//   RETURN_IF_ERROR(kv.Prepare());              // before the shards start
//   shards.Start([&](Reactor& r) { kv.StartOnShard(r); });
#ifndef SHARDD_SHARD_KV_KV_SERVICE_H_
#define SHARDD_SHARD_KV_KV_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "aio/log/log_writer.h"
#include "aio/log/manifest.h"
#include "net/acceptor.h"
#include "net/resp/request_parser.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/key_prefetcher.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/kv_config.h"
#include "shard/kv/kv_stats_part.h"
#include "shard/kv/persist/log_rewrite.h"
#include "shard/kv/persist/replay.h"
#include "shard/kv/pubsub/pubsub_limits.h"
#include "shard/per_shard.h"
#include "shard/reactor.h"
#include "shard/service.h"
#include "shard/shard_barrier.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::kv {

struct KvOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 6379;
  bool balance_connections = true;
  uint32_t max_clients = 10000;  // over all shards, as Redis's maxclients
  uint32_t databases = 16;       // Redis's databases: SELECT 0 .. n - 1
  // Descriptors shardd keeps besides the clients' (logs, rings, listeners,
  // admin and file service): CONFIG SET maxclients raises the process's
  // limit to the new value plus these, as Redis raises it.
  uint64_t fds_besides_clients = 64;
  // Clients the rings' tables of registered sockets hold together: CONFIG
  // SET maxclients up to this needs no more descriptors (0: none).
  uint64_t registered_socket_capacity = 0;
  // net::AcceptorOptions::register_sockets.
  bool register_sockets = false;
  // The --flagfile shardd started with, which CONFIG REWRITE rewrites (""
  // for none).
  std::string flagfile;
  int tcp_keepalive_seconds = 300;  // Redis's tcp-keepalive
  int idle_timeout_seconds = 0;     // Redis's timeout; 0: never
  // Redis's proto-max-bulk-len: the largest single argument.
  size_t proto_max_bulk_len = 512u << 20;
  // Redis's client-query-buffer-limit: the largest whole request.
  size_t client_query_buffer_limit = size_t{1} << 30;
  // Reply bytes one client may hold before it is disconnected (the hard
  // limit of Redis's normal class); 0: no limit.
  size_t client_output_limit = 0;
  // The same for subscribed clients, with Redis's pubsub class defaults.
  PubSubLimits client_output_limit_pubsub;
  // Redis's requirepass (empty: none) and protected-mode: with no password,
  // protected mode refuses clients from anywhere but 127.0.0.1 and ::1.
  std::string requirepass;
  bool protected_mode = true;
  // Redis's notify-keyspace-events, as bits (store/keyspace_event.h).
  uint32_t notify_keyspace_events = 0;
  // Redis's slowlog-log-slower-than (microseconds; negative: off) and
  // slowlog-max-len.
  int64_t slowlog_log_slower_than = 10000;
  uint64_t slowlog_max_len = 128;
  // Redis's latency-monitor-threshold (milliseconds; 0: off).
  int64_t latency_monitor_threshold = 0;
  // Bytes of keyspace events that may wait for one shard before sessions
  // stop starting commands (exec/keyspace_notifier.h).
  uint64_t keyspace_events_backlog = uint64_t{8} << 20;
  // Redis's enable-debug-command (yes or no; Redis also has "local").
  bool enable_debug_command = false;
  // Redis's appendonly and appendfsync; the logs live in <data_dir>/aof.
  bool append_only = true;
  aio::FsyncPolicy fsync_policy = aio::FsyncPolicy::kEverySec;
  // Bytes a shard's log may hold appended but not yet written before
  // sessions stop starting commands (exec/log_backlog.h).
  uint64_t aof_buffer_limit = uint64_t{64} << 20;
  std::string data_dir = "./shardd-data";
  // Redis's auto-aof-rewrite-percentage and -min-size: a shard's log that
  // grew by this many percent over its size after the last compaction (or
  // at start), and is at least this big, starts a compaction (0: never).
  uint32_t auto_rewrite_percentage = 100;
  uint64_t auto_rewrite_min_size = uint64_t{64} << 20;
};

class KvService final : public Service, public ServerView {
 public:
  KvService(KvOptions options, uint32_t shard_count);

  std::string_view name() const override { return "kv"; }
  // Opens the listening sockets (one per shard), so port() is known
  // afterwards, and the logs.
  absl::Status Prepare() override;
  // On shard `reactor`'s thread: replays the logs (persist/replay.h), then,
  // once every shard has, starts accepting, logging and the expiry cycle.
  void StartOnShard(Reactor& reactor) override;
  // On the main thread after StartOnShard on every shard: waits until
  // every shard serves, or returns why loading failed.
  absl::Status WaitUntilServing();
  // After the shards have stopped: writes and syncs what every log still
  // holds (a clean stop loses nothing, whatever the fsync policy).
  void FlushLogs();
  // Connections, traffic, commands, keys and expires of the calling shard.
  void AddStats(stats::ShardStatsSnapshot& snapshot) const override;
  const stats::StatsPart* stats_part() const override { return &stats_part_; }

  KvShards& shards() { return shards_; }
  KvShard& Local() { return shards_.Local(); }
  // The calling shard's look-ahead for pipelined batches: scratch space,
  // shared by its connections instead of held by each.
  KeyPrefetcher& LocalPrefetcher() { return prefetchers_.Local(); }
  const KvOptions& options() const { return options_; }
  // As CONFIG SET left proto-max-bulk-len.
  resp::ParseLimits parse_limits() const {
    resp::ParseLimits limits;
    limits.max_bulk_bytes = config_.proto_max_bulk_len();
    return limits;
  }

  // What INFO reports about the calling shard: by default the runtime's
  // counters and this service's; the server adds process-level parts (e.g.
  // the shard's jemalloc arena) by installing its own source.
  using SnapshotSource = std::function<stats::ShardStatsSnapshot()>;
  void SetSnapshotSource(SnapshotSource source) {
    snapshot_source_ = std::move(source);
  }
  // The bytes every shard's allocator holds (their jemalloc arenas),
  // sampled every 10 s for INFO's used_memory_peak (which each INFO
  // samples too); without a probe the peak is that of the INFO calls.
  void SetMemoryProbe(std::function<uint64_t()> probe) {
    memory_probe_ = std::move(probe);
  }

  // ServerView.
  uint16_t port() const override { return acceptor_.port(); }
  uint32_t shard_count() const override { return shards_.shard_count(); }
  uint32_t databases() const override { return options_.databases; }
  uint32_t max_clients() const override { return acceptor_.max_clients(); }
  absl::Time start_time() const override { return start_time_; }
  std::vector<ConfigParameter> ConfigParameters() const override;
  Task<std::vector<stats::ShardStatsSnapshot>> SnapshotEveryShard() override;
  const std::vector<const CommandSpec*>& Commands() const override;
  const CommandSpec* FindCommand(std::string_view name) const override;
  std::string StartLogRewrite() override;
  bool DebugCommandEnabled() const override {
    return options_.enable_debug_command;
  }
  void RequestShutdown() override;
  void ResetStats() override;
  // The counters CONFIG RESETSTAT clears, on the calling shard.
  void ResetStatsHere();
  void SetActiveExpire(bool on) override {
    active_expire_.store(on, std::memory_order_relaxed);
  }
  std::string RewriteConfig() override { return config_.Rewrite(); }
  const std::string& ConfigFile() const override { return options_.flagfile; }
  Task<std::string> RunSlowLog(CommandArgs args,
                               resp::Protocol protocol) override;
  Task<std::string> RunLatency(CommandArgs args,
                               resp::Protocol protocol) override;
  Task<PubSubCounts> CountSubscriptions() override;
  Task<std::optional<uint64_t>> MemoryUsage(std::string_view key, uint32_t db,
                                            size_t samples) override;
  Task<std::optional<std::string>> DebugObject(std::string_view key,
                                               uint32_t db) override;
  uint64_t MemoryPeak(uint64_t used_now) override;
  std::string SetConfig(CommandArgs pairs) override {
    return config_.Set(pairs);
  }
  bool PasswordRequired() const override { return config_.password_required(); }
  bool PasswordMatches(std::string_view user,
                       std::string_view password) const override {
    return config_.PasswordMatches(user, password);
  }
  // What CONFIG SET changes while the shards run.
  const KvConfig& config() const { return config_; }

 private:
  Task<void> ExpireLoop();
  // Starts a compaction if this shard's log grew enough (auto_rewrite_*).
  void MaybeRewriteLogs();
  Task<void> LoadThenServe(Reactor& reactor);
  void ServingOnShard(const absl::Status& status);

  const KvOptions options_;
  KvShards shards_;
  KvConfig config_;
  std::atomic<bool> active_expire_{true};  // DEBUG SET-ACTIVE-EXPIRE
  std::function<uint64_t()> memory_probe_;
  std::atomic<uint64_t> memory_peak_{0};  // of every shard's arena bytes
  PerShard<KeyPrefetcher> prefetchers_;
  net::Acceptor acceptor_;
  KvStatsPart stats_part_;
  const absl::Time start_time_;
  SnapshotSource snapshot_source_;
  aio::OpenLogs logs_;  // with append_only, from Prepare()
  std::unique_ptr<Recovery> recovery_;
  std::unique_ptr<LogRewriter> rewriter_;  // with append_only
  std::unique_ptr<ShardBarrier> loaded_;
  std::atomic<uint32_t> serving_shards_{0};
  absl::Mutex status_mutex_;
  absl::Status load_status_;  // the first shard's failure
  absl::Notification serving_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_KV_SERVICE_H_
