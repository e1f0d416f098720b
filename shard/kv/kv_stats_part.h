// KvStatsPart: the KV service's part of /metrics and /stats (stats_part.h):
// its client connections (net/'s part), then its commands, errors, keys,
// refused hops and latencies.
//
//   const stats::StatsPart* part = kv.stats_part();
#ifndef SHARDD_SHARD_KV_KV_STATS_PART_H_
#define SHARDD_SHARD_KV_KV_STATS_PART_H_

#include <string>

#include "shard/stats/stats_part.h"

namespace shardd::kv {

class KvStatsPart final : public stats::StatsPart {
 public:
  void WriteMetrics(stats::PrometheusWriter& w) const override;
  void AppendJson(std::string* out, const stats::ShardStatsSnapshot& s,
                  bool totals) const override;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_KV_STATS_PART_H_
