#include "net/connection_stats_part.h"

#include "absl/strings/str_cat.h"

namespace shardd::net {

using stats::ShardStats;

void ConnectionStatsPart::WriteMetrics(stats::PrometheusWriter& w) const {
  w.Gauge("shardd_connections", "Client connections open on the shard.",
          [](const auto& s) { return s.stats.connections_current; });
  w.Counter("shardd_connections_accepted_total",
            "Client connections the shard has served.",
            &ShardStats::connections_accepted);
  w.Counter("shardd_connections_closed_total",
            "Client connections the shard has closed.",
            &ShardStats::connections_closed);
  w.Counter("shardd_connections_rejected_total",
            "Connections refused because --maxclients was reached.",
            &ShardStats::connections_rejected);
  w.Counter("shardd_connections_timed_out_total",
            "Client connections closed after --timeout seconds idle.",
            &ShardStats::connections_timed_out);
  w.Counter("shardd_connections_output_limited_total",
            "Client connections closed for holding more reply bytes than "
            "--client_output_limit.",
            &ShardStats::connections_output_limited);
  w.Counter("shardd_accept_fd_exhausted_total",
            "Accepts that failed because no file descriptor was free.",
            &ShardStats::accept_fd_exhausted);
  w.Counter("shardd_received_bytes_total", "Bytes received from clients.",
            &ShardStats::bytes_in);
  w.Counter("shardd_sent_bytes_total", "Bytes sent to clients.",
            &ShardStats::bytes_out);
}

void ConnectionStatsPart::AppendJson(std::string* out,
                                     const stats::ShardStatsSnapshot& s,
                                     bool /*totals*/) const {
  const ShardStats& st = s.stats;
  absl::StrAppend(out, ",\"connections\":", st.connections_current,
                  ",\"connections_accepted\":", st.connections_accepted,
                  ",\"connections_closed\":", st.connections_closed,
                  ",\"connections_rejected\":", st.connections_rejected,
                  ",\"connections_timed_out\":", st.connections_timed_out,
                  ",\"connections_output_limited\":",
                  st.connections_output_limited,
                  ",\"accept_fd_exhausted\":", st.accept_fd_exhausted,
                  ",\"bytes_in\":", st.bytes_in, ",\"bytes_out\":", st.bytes_out);
}

}  // namespace shardd::net
