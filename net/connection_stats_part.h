// ConnectionStatsPart: net/'s part of /metrics and /stats (stats_part.h):
// the client connections a service's acceptor counts (ConnectionStats in a
// snapshot). A service that takes client connections includes it in its own
// part.
//
//   ConnectionStatsPart().WriteMetrics(writer);
#ifndef SHARDD_NET_CONNECTION_STATS_PART_H_
#define SHARDD_NET_CONNECTION_STATS_PART_H_

#include <string>

#include "shard/stats/stats_part.h"

namespace shardd::net {

class ConnectionStatsPart final : public stats::StatsPart {
 public:
  void WriteMetrics(stats::PrometheusWriter& w) const override;
  void AppendJson(std::string* out, const stats::ShardStatsSnapshot& s,
                  bool totals) const override;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_CONNECTION_STATS_PART_H_
