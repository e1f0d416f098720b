// Renders per-shard snapshots as the JSON document GET /stats returns:
//
//   {"shards": [{"shard": 0, "messages_sent": 3, ...}, ...],
//    "totals": {"shard": <count>, "messages_sent": 12, ...}}
//
// Each object holds the runtime's fields (stats_part.h) and then each part's
// (a service's: "connections", "commands_total", "commands": {"get":
// {"calls":..,"failed":..,"total_ns":..}}, ...); a shard's object also has
// "peers": [{"shard": j, "messages_sent": ..}, ...]. Durations are in
// nanoseconds, memory in bytes.
//
//   std::string body = RenderStatsJson(snapshots, {&kv_part});
#ifndef SHARDD_SHARD_STATS_STATS_JSON_H_
#define SHARDD_SHARD_STATS_STATS_JSON_H_

#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "shard/stats/shard_stats.h"
#include "shard/stats/stats_part.h"

namespace shardd::stats {

std::string RenderStatsJson(absl::Span<const ShardStatsSnapshot> shards,
                            absl::Span<const StatsPart* const> parts);

// Pieces for the parts: a string with JSON's escapes, and a latency
// histogram as ,"name":{"count":..,"sum":..,"p50":..,...} in nanoseconds.
void AppendJsonString(std::string* out, std::string_view s);
void AppendJsonLatency(std::string* out, std::string_view name,
                       const LatencyHistogram& h);

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_STATS_JSON_H_
