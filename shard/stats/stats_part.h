// StatsPart: one owner's part of what /metrics and /stats show. The runtime
// writes its loop, ring and mailbox figures; net/ its connections; a service
// its own (the KV service: commands, keys, latencies). The admin endpoint
// renders the runtime's part and then each service's, knowing none of them.
//
//   class MyPart final : public StatsPart { ... };
//   std::string text = RenderPrometheusText(snapshots, {&my_part});
#ifndef SHARDD_SHARD_STATS_STATS_PART_H_
#define SHARDD_SHARD_STATS_STATS_PART_H_

#include <string>

#include "shard/stats/prometheus_writer.h"
#include "shard/stats/shard_stats.h"

namespace shardd::stats {

class StatsPart {
 public:
  virtual ~StatsPart() = default;

  // Its metric families, every shard's sample in each.
  virtual void WriteMetrics(PrometheusWriter& out) const = 0;

  // Its fields of one /stats object, each appended as `,"name":value`.
  // `totals`: the object sums every shard (per-peer detail is left out).
  virtual void AppendJson(std::string* out, const ShardStatsSnapshot& s,
                          bool totals) const = 0;
};

// The runtime's part: loop, io_uring, mailboxes, and the shard's arena.
const StatsPart& RuntimeStatsPart();

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_STATS_PART_H_
