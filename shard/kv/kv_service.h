// KvService: the Redis-protocol key-value service on top of the shard
// runtime. It owns one Store per shard, one listening socket per shard, and
// the policy that spreads connections; each shard accepts, serves its
// connections (resp_session.h) and expires its keys.
//
//   KvService kv(options, shard_count);
//   RETURN_IF_ERROR(kv.Listen());               // before the shards start
//   shards.Start([&](Reactor& r) { kv.StartOnShard(r); });
#ifndef SHARDD_SHARD_KV_KV_SERVICE_H_
#define SHARDD_SHARD_KV_KV_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/connection_balancer.h"
#include "net/listener.h"
#include "net/resp/request_parser.h"
#include "shard/kv/blocking.h"
#include "shard/kv/store.h"
#include "shard/reactor.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::kv {

struct KvOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 6379;
  bool balance_connections = true;
  uint32_t max_clients = 10000;       // over all shards, as Redis's maxclients
  size_t max_request_bytes = 512u << 20;  // one request, in the input buffer
};

// What one shard owns for this service. Touched only by that shard's thread.
struct KvShard {
  Store store;
  BlockingState blocking;
};

class KvService {
 public:
  KvService(KvOptions options, uint32_t shard_count);

  // Opens the listening sockets (one per shard); port() is known afterwards.
  absl::Status Listen();
  uint16_t port() const { return listeners_->port(); }

  // On shard `reactor`'s thread: starts accepting and the expiry cycle.
  void StartOnShard(Reactor& reactor);

  // Serves `fd` on the calling shard (or closes it if the shard is stopping).
  void AdoptConnection(int fd);

  uint32_t shard_count() const { return shard_count_; }
  KvShard& Local() { return *shards_[Reactor::Current()->shard_id()]; }
  KvShard& ShardState(uint32_t shard) { return *shards_[shard]; }
  const KvOptions& options() const { return options_; }
  const resp::ParseLimits& parse_limits() const { return parse_limits_; }
  net::ConnectionBalancer& balancer() { return balancer_; }

  // What INFO and the admin endpoint report about the calling shard. By
  // default the KV service's own view; the server adds process-level parts
  // (e.g. the shard's jemalloc arena) by installing its own source.
  using SnapshotSource = std::function<stats::ShardStatsSnapshot()>;
  void SetSnapshotSource(SnapshotSource source) {
    snapshot_source_ = std::move(source);
  }
  stats::ShardStatsSnapshot SnapshotHere() const { return snapshot_source_(); }
  absl::Time start_time() const { return start_time_; }

 private:
  Task<void> AcceptLoop(int listen_fd);
  Task<void> ExpireLoop();

  const KvOptions options_;
  const uint32_t shard_count_;
  resp::ParseLimits parse_limits_;
  std::vector<std::unique_ptr<KvShard>> shards_;
  std::optional<net::ListenerGroup> listeners_;
  net::ConnectionBalancer balancer_;
  const absl::Time start_time_;
  SnapshotSource snapshot_source_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_KV_SERVICE_H_
