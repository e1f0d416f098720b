#include "shard/stats/prometheus_text.h"

#include "shard/stats/prometheus_writer.h"

namespace shardd::stats {

std::string RenderPrometheusText(absl::Span<const ShardStatsSnapshot> shards,
                                 absl::Span<const StatsPart* const> parts) {
  std::string out;
  PrometheusWriter writer(&out, shards);
  RuntimeStatsPart().WriteMetrics(writer);
  for (const StatsPart* part : parts) part->WriteMetrics(writer);
  return out;
}

}  // namespace shardd::stats
