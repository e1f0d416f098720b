#include "shard/kv/stats_snapshot.h"

namespace shardd::kv {

stats::ShardStatsSnapshot SnapshotThisShard(const KvService& service) {
  Reactor& reactor = *Reactor::Current();
  stats::ShardStatsSnapshot snapshot;
  snapshot.shard = reactor.shard_id();
  static_cast<stats::RuntimeStats&>(snapshot.stats) = reactor.stats();
  service.AddStats(snapshot);
  return snapshot;
}

}  // namespace shardd::kv
