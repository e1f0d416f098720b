// Renders per-shard snapshots in the Prometheus text exposition format 0.0.4
// (what GET /metrics returns): the runtime's families (stats_part.h), then
// each part's. Every series carries a shard="<i>" label; per-command series
// add command="<name>", per-peer ones peer="<j>". Totals are left to PromQL
// (sum without (shard) ...). Latencies are summaries with quantiles 0.5,
// 0.9, 0.99, 0.999, in seconds.
//
//   std::string body = RenderPrometheusText(snapshots, {&kv_part});
#ifndef SHARDD_SHARD_STATS_PROMETHEUS_TEXT_H_
#define SHARDD_SHARD_STATS_PROMETHEUS_TEXT_H_

#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "shard/stats/shard_stats.h"
#include "shard/stats/stats_part.h"

namespace shardd::stats {

// The Content-Type of the rendered text.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusText(absl::Span<const ShardStatsSnapshot> shards,
                                 absl::Span<const StatsPart* const> parts);

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_PROMETHEUS_TEXT_H_
