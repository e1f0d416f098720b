// Renders per-shard snapshots as the JSON document GET /stats returns:
//
//   {"shards": [{"shard": 0, "connections": 3, ...}, ...],
//    "totals": {"shard": <count>, "connections": 12, ...}}
//
// Every shard object and the totals object have the same fields (numbers,
// plus "commands": {"get": {"calls":..,"failed":..,"total_ns":..}} and, per
// shard, "peers": [{"shard": j, "messages_sent": ..}, ...]). Durations are in
// nanoseconds, memory in bytes.
//
//   std::string body = RenderStatsJson(snapshots);
#ifndef SHARDD_SHARD_STATS_STATS_JSON_H_
#define SHARDD_SHARD_STATS_STATS_JSON_H_

#include <string>

#include "absl/types/span.h"
#include "shard/stats/shard_stats.h"

namespace shardd::stats {

std::string RenderStatsJson(absl::Span<const ShardStatsSnapshot> shards);

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_STATS_JSON_H_
