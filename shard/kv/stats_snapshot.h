// The KV service's part of a shard's statistics snapshot (what the admin
// endpoint's SnapshotFn returns): its store's key counts, connection counts
// and the shard's counters. Call it on the shard being described.
//
//   stats::ShardStatsSnapshot s = kv::SnapshotThisShard(service);
#ifndef SHARDD_SHARD_KV_STATS_SNAPSHOT_H_
#define SHARDD_SHARD_KV_STATS_SNAPSHOT_H_

#include "shard/kv/kv_service.h"
#include "shard/stats/shard_stats.h"

namespace shardd::kv {

stats::ShardStatsSnapshot SnapshotThisShard(const KvService& service);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STATS_SNAPSHOT_H_
