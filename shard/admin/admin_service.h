// AdminService: the HTTP admin endpoint, served by one shard. It answers
//   GET /metrics  Prometheus text (prometheus_text.h), one series per shard
//   GET /stats    JSON (stats_json.h): {"shards": [...], "totals": {...}}
//   GET /healthz  200 "ok"
// 404 for other paths and 405 for other methods, over keep-alive HTTP/1.1,
// with its own connection cap (503 past it) and header and idle timeouts.
// For each request it asks every shard for a snapshot (InvokeOn), so it needs
// no shared counters and knows nothing about the services: they supply a
// SnapshotFn, which runs on each shard in turn, and the StatsParts that
// render their counters.
//
//   AdminService admin(options, shard_count, [&] { return TakeSnapshot(); },
//                      {kv.stats_part()});
//   RETURN_IF_ERROR(admin.Prepare());           // before the shards start
//   shards.Start([&](Reactor& r) { admin.StartOnShard(r); });
#ifndef SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_
#define SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/acceptor.h"
#include "net/http/request_parser.h"
#include "shard/admin/admin_stats_part.h"
#include "shard/reactor.h"
#include "shard/service.h"
#include "shard/stats/shard_stats.h"
#include "shard/stats/stats_part.h"
#include "shard/task.h"

namespace shardd::admin {

// Runs on the shard being asked and returns that shard's snapshot.
using SnapshotFn = std::function<stats::ShardStatsSnapshot()>;

struct AdminOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 9100;  // 0 picks a free port
  uint32_t max_clients = 128;
  int tcp_keepalive_seconds = 300;
  // A request's line and headers must arrive within this time of its first
  // byte (or of the connection); else 408 and close (slowloris).
  absl::Duration header_timeout = absl::Seconds(10);
  // A keep-alive connection with no request for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  // When set, /metrics and /stats need "Authorization: Bearer <token>"
  // (else 401); /healthz, which tells nothing, never does.
  std::string token;
};

class AdminService final : public Service {
 public:
  // `parts`: how the services' counters show in /metrics and /stats, after
  // the runtime's (see stats_part.h).
  AdminService(AdminOptions options, uint32_t shard_count,
               SnapshotFn snapshot,
               std::vector<const stats::StatsPart*> parts);

  std::string_view name() const override { return "admin"; }
  // Opens the listening socket; port() is known afterwards.
  absl::Status Prepare() override;
  // On every shard's thread: shard 0 accepts and serves.
  void StartOnShard(Reactor& reactor) override;
  // Its own connections (admin_stats_part.h), apart from the clients'.
  void AddStats(stats::ShardStatsSnapshot& snapshot) const override;
  const stats::StatsPart* stats_part() const override { return &stats_part_; }

  uint16_t port() const { return acceptor_.port(); }

 private:
  Task<void> ServeConnection(net::Connection connection);
  // The full response to `request`, keep-alive as the request allows.
  Task<std::string> Respond(const http::Request& request);
  // The request carries --admin_token, or none is set.
  bool Authorized(const http::Request& request) const;
  Task<std::vector<stats::ShardStatsSnapshot>> GatherSnapshots();

  const AdminOptions options_;
  const uint32_t shard_count_;
  const SnapshotFn snapshot_;
  const AdminStatsPart stats_part_;
  const std::vector<const stats::StatsPart*> parts_;  // stats_part_ last
  net::Acceptor acceptor_;
};

}  // namespace shardd::admin

#endif  // SHARDD_SHARD_ADMIN_ADMIN_SERVICE_H_
