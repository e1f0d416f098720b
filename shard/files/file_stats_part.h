// FileStatsPart: the file service's part of /metrics and /stats
// (stats_part.h): requests by method and status class, connections, bytes
// on the wire and on the disk, fsyncs, and request latency.
#ifndef SHARDD_SHARD_FILES_FILE_STATS_PART_H_
#define SHARDD_SHARD_FILES_FILE_STATS_PART_H_

#include <string>

#include "shard/stats/stats_part.h"

namespace shardd::files {

class FileStatsPart final : public stats::StatsPart {
 public:
  void WriteMetrics(stats::PrometheusWriter& w) const override;
  void AppendJson(std::string* out, const stats::ShardStatsSnapshot& s,
                  bool totals) const override;
};

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_FILE_STATS_PART_H_
