#include "shard/kv/stats_snapshot.h"

namespace shardd::kv {

stats::ShardStatsSnapshot SnapshotThisShard(KvService& service) {
  Reactor& reactor = *Reactor::Current();
  const KvShard& shard = service.Local();
  stats::ShardStatsSnapshot snapshot;
  snapshot.shard = reactor.shard_id();
  snapshot.stats = reactor.stats();
  snapshot.keys = shard.store.KeyCount();
  snapshot.expires = shard.store.ExpiringKeyCount();
  return snapshot;
}

}  // namespace shardd::kv
