// AdminStatsPart: the admin endpoint's own part of /metrics and /stats
// (stats_part.h): its connections, open, accepted, refused past
// --admin_maxclients and closed by a timeout.
#ifndef SHARDD_SHARD_ADMIN_ADMIN_STATS_PART_H_
#define SHARDD_SHARD_ADMIN_ADMIN_STATS_PART_H_

#include <string>

#include "shard/stats/stats_part.h"

namespace shardd::admin {

class AdminStatsPart final : public stats::StatsPart {
 public:
  void WriteMetrics(stats::PrometheusWriter& w) const override;
  void AppendJson(std::string* out, const stats::ShardStatsSnapshot& s,
                  bool totals) const override;
};

}  // namespace shardd::admin

#endif  // SHARDD_SHARD_ADMIN_ADMIN_STATS_PART_H_
