// AdminService: the HTTP admin endpoint, served by one shard. It answers
//   GET /metrics  Prometheus text (prometheus_text.h), one series per shard
//   GET /stats    JSON (stats_json.h): {"shards": [...], "totals": {...}}
//   GET /healthz  200 "ok"
// 404 for other paths and 405 for other methods, over keep-alive HTTP/1.1.
// For each request it asks every shard for a snapshot (InvokeOn), so it needs
// no shared counters and knows nothing about the services: they supply a
// SnapshotFn, which runs on each shard in turn.
//
//   AdminService admin(options, shard_count, [&] { return TakeSnapshot(); });
//   RETURN_IF_ERROR(admin.Listen());            // before the shards start
//   shards.Start([&](Reactor& r) { admin.StartOnShard(r); });
#ifndef SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_
#define SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "net/http/request_parser.h"
#include "net/listener.h"
#include "shard/reactor.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::admin {

// Runs on the shard being asked and returns that shard's snapshot.
using SnapshotFn = std::function<stats::ShardStatsSnapshot()>;

struct AdminOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 9100;  // 0 picks a free port
  uint32_t serving_shard = 0;
};

class AdminService {
 public:
  AdminService(AdminOptions options, uint32_t shard_count,
               SnapshotFn snapshot);

  // Opens the listening socket; port() is known afterwards.
  absl::Status Listen();
  uint16_t port() const { return listener_->port(); }

  // On every shard's thread: the serving shard starts accepting.
  void StartOnShard(Reactor& reactor);

 private:
  Task<void> AcceptLoop(int listen_fd);
  Task<void> ServeConnection(int fd);
  // The full response to `request`, keep-alive as the request allows.
  Task<std::string> Respond(const http::Request& request);
  Task<std::vector<stats::ShardStatsSnapshot>> GatherSnapshots();

  const AdminOptions options_;
  const uint32_t shard_count_;
  const SnapshotFn snapshot_;
  std::optional<net::ListenerGroup> listener_;
};

}  // namespace shardd::admin

#endif  // SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_
