// Service: what a service (KV, admin, files) gives the runtime. shardd_main
// builds a list of services, prepares each before the shards start (where a
// failure, such as a port in use, can still stop the process cleanly), then
// starts each on every shard. A service adopts its connections from a
// net::Acceptor, owns its per-shard state in PerShard<T>, and writes its own
// part of a shard's statistics.
//
//   std::vector<Service*> services = {&kv, &admin};
//   for (Service* s : services) RETURN_IF_ERROR(s->Prepare());
//   shards.Start([&](Reactor& r) { for (Service* s : services) s->StartOnShard(r); });
#ifndef SHARDD_SHARD_SERVICE_H_
#define SHARDD_SHARD_SERVICE_H_

#include <string_view>

#include "absl/status/status.h"
#include "shard/reactor.h"
#include "shard/stats/shard_stats.h"
#include "shard/stats/stats_part.h"

namespace shardd {

class Service {
 public:
  virtual ~Service() = default;

  // For log lines: "kv", "admin".
  virtual std::string_view name() const = 0;

  // On the main thread before the shards start: open listening sockets and
  // anything else that may fail.
  virtual absl::Status Prepare() = 0;

  // On each shard's thread, once, before its loop runs. The service stops
  // with the shard: its I/O is cancelled and its tasks wind down.
  virtual void StartOnShard(Reactor& reactor) = 0;

  // On the shard `snapshot` describes: adds this service's counters.
  virtual void AddStats(stats::ShardStatsSnapshot& snapshot) const = 0;

  // How /metrics and /stats show those counters; null: they show nothing.
  virtual const stats::StatsPart* stats_part() const { return nullptr; }
};

}  // namespace shardd

#endif  // SHARDD_SHARD_SERVICE_H_
