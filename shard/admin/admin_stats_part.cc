#include "shard/admin/admin_stats_part.h"

#include "absl/strings/str_cat.h"

namespace shardd::admin {

using stats::ShardStats;

void AdminStatsPart::WriteMetrics(stats::PrometheusWriter& w) const {
  w.Gauge("shardd_admin_connections", "Open admin endpoint connections.",
          [](const auto& s) { return s.stats.admin_connections_current; });
  w.Counter("shardd_admin_connections_accepted_total",
            "Admin endpoint connections accepted.",
            &ShardStats::admin_connections_accepted);
  w.Counter("shardd_admin_connections_rejected_total",
            "Admin endpoint connections refused with a 503: "
            "--admin_maxclients reached.",
            &ShardStats::admin_connections_rejected);
  w.Counter("shardd_admin_connections_timed_out_total",
            "Admin endpoint connections closed by the header or idle "
            "timeout.",
            &ShardStats::admin_connections_timed_out);
}

void AdminStatsPart::AppendJson(std::string* out,
                                const stats::ShardStatsSnapshot& s,
                                bool) const {
  const ShardStats& a = s.stats;
  absl::StrAppend(
      out, ",\"admin\":{\"connections\":", a.admin_connections_current,
      ",\"connections_accepted\":", a.admin_connections_accepted,
      ",\"connections_rejected\":", a.admin_connections_rejected,
      ",\"connections_timed_out\":", a.admin_connections_timed_out, "}");
}

}  // namespace shardd::admin
