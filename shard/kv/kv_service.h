// KvService: the Redis-protocol key-value service on top of the shard
// runtime. It owns one Store per shard and an acceptor (net/acceptor.h) that
// gives it connections; each shard serves its connections (resp_session.h)
// and expires its keys.
//
//   KvService kv(options, shard_count);
//   RETURN_IF_ERROR(kv.Prepare());              // before the shards start
//   shards.Start([&](Reactor& r) { kv.StartOnShard(r); });
#ifndef SHARDD_SHARD_KV_KV_SERVICE_H_
#define SHARDD_SHARD_KV_KV_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/acceptor.h"
#include "net/resp/request_parser.h"
#include "absl/random/random.h"
#include "shard/kv/blocking.h"
#include "shard/kv/kv_stats_part.h"
#include "shard/kv/remote_command_pool.h"
#include "shard/kv/store.h"
#include "shard/per_shard.h"
#include "shard/reactor.h"
#include "shard/service.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::kv {

struct KvOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 6379;
  bool balance_connections = true;
  uint32_t max_clients = 10000;  // over all shards, as Redis's maxclients
  int tcp_keepalive_seconds = 300;  // Redis's tcp-keepalive
  int idle_timeout_seconds = 0;     // Redis's timeout; 0: never
  // Redis's proto-max-bulk-len: the largest single argument.
  size_t proto_max_bulk_len = 512u << 20;
  // Redis's client-query-buffer-limit: the largest whole request.
  size_t client_query_buffer_limit = size_t{1} << 30;
  // Reply bytes one client may hold before it is disconnected (the hard
  // limit of Redis's normal class); 0: no limit.
  size_t client_output_limit = 0;
};

// What one shard owns for this service. Touched only by that shard's thread.
struct KvShard {
  Store store;
  BlockingState blocking;
  absl::BitGen random;
  RemoteCommandPool command_pool;
  stats::CommandStats stats;  // commands, errors and latencies
};

class KvService final : public Service {
 public:
  KvService(KvOptions options, uint32_t shard_count);

  std::string_view name() const override { return "kv"; }
  // Opens the listening sockets (one per shard); port() is known afterwards.
  absl::Status Prepare() override;
  // On shard `reactor`'s thread: starts accepting and the expiry cycle.
  void StartOnShard(Reactor& reactor) override;
  // Connections, traffic, commands, keys and expires of the calling shard.
  void AddStats(stats::ShardStatsSnapshot& snapshot) const override;
  const stats::StatsPart* stats_part() const override { return &stats_part_; }

  uint16_t port() const { return acceptor_.port(); }
  uint32_t shard_count() const { return shard_count_; }
  KvShard& Local() { return shards_.Local(); }
  KvShard& ShardState(uint32_t shard) { return shards_.On(shard); }
  const KvOptions& options() const { return options_; }
  const resp::ParseLimits& parse_limits() const { return parse_limits_; }

  // What INFO reports about the calling shard: by default the runtime's
  // counters and this service's; the server adds process-level parts (e.g.
  // the shard's jemalloc arena) by installing its own source.
  using SnapshotSource = std::function<stats::ShardStatsSnapshot()>;
  void SetSnapshotSource(SnapshotSource source) {
    snapshot_source_ = std::move(source);
  }
  stats::ShardStatsSnapshot SnapshotHere() const { return snapshot_source_(); }
  absl::Time start_time() const { return start_time_; }

 private:
  Task<void> ExpireLoop();

  const KvOptions options_;
  const uint32_t shard_count_;
  resp::ParseLimits parse_limits_;
  PerShard<KvShard> shards_;
  net::Acceptor acceptor_;
  KvStatsPart stats_part_;
  const absl::Time start_time_;
  SnapshotSource snapshot_source_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_KV_SERVICE_H_
