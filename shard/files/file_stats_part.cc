#include "shard/files/file_stats_part.h"

#include "absl/strings/str_cat.h"
#include "shard/stats/stats_json.h"

namespace shardd::files {

using stats::ShardStats;

void FileStatsPart::WriteMetrics(stats::PrometheusWriter& w) const {
  static constexpr stats::PrometheusWriter::LabeledField kMethods[] = {
      {"GET", &ShardStats::files_get},
      {"HEAD", &ShardStats::files_head},
      {"PUT", &ShardStats::files_put},
      {"DELETE", &ShardStats::files_delete},
      {"other", &ShardStats::files_other},
  };
  static constexpr stats::PrometheusWriter::LabeledField kClasses[] = {
      {"2xx", &ShardStats::files_2xx},
      {"3xx", &ShardStats::files_3xx},
      {"4xx", &ShardStats::files_4xx},
      {"5xx", &ShardStats::files_5xx},
  };
  w.CounterByLabel("shardd_files_requests_total",
                   "File service requests, by method.", "method", kMethods);
  w.CounterByLabel("shardd_files_responses_total",
                   "File service responses, by status class.", "class",
                   kClasses);
  w.Gauge("shardd_files_connections", "Open file service connections.",
          [](const auto& s) { return s.stats.files_connections_current; });
  w.Counter("shardd_files_connections_accepted_total",
            "File service connections accepted.",
            &ShardStats::files_connections_accepted);
  w.Counter("shardd_files_received_bytes_total",
            "Bytes received from file service clients.",
            &ShardStats::files_bytes_in);
  w.Counter("shardd_files_sent_bytes_total",
            "Bytes sent to file service clients.",
            &ShardStats::files_bytes_out);
  w.Counter("shardd_files_disk_read_bytes_total",
            "Bytes the file service read from files.",
            &ShardStats::files_disk_read_bytes);
  w.Counter("shardd_files_disk_written_bytes_total",
            "Bytes the file service wrote to files.",
            &ShardStats::files_disk_written_bytes);
  w.Counter("shardd_files_fsyncs_total",
            "fsyncs of files and directories by the file service.",
            &ShardStats::files_fsyncs);
  w.Counter("shardd_files_replies_before_durable_total",
            "PUT replies sent before the data and the rename were durable "
            "(must stay 0).",
            &ShardStats::files_replies_before_durable);
  w.Summary("shardd_files_request_duration_seconds",
            "Time from a file request's head to its response sent.",
            &ShardStats::files_request_ns);
}

void FileStatsPart::AppendJson(std::string* out,
                               const stats::ShardStatsSnapshot& s,
                               bool) const {
  const ShardStats& f = s.stats;
  absl::StrAppend(
      out, ",\"files\":{\"requests\":", f.FileRequests(), ",\"get\":",
      f.files_get, ",\"head\":", f.files_head, ",\"put\":", f.files_put,
      ",\"delete\":", f.files_delete, ",\"other\":", f.files_other,
      ",\"2xx\":", f.files_2xx, ",\"3xx\":", f.files_3xx, ",\"4xx\":",
      f.files_4xx, ",\"5xx\":", f.files_5xx,
      ",\"connections\":", f.files_connections_current,
      ",\"connections_accepted\":", f.files_connections_accepted,
      ",\"bytes_in\":", f.files_bytes_in, ",\"bytes_out\":", f.files_bytes_out,
      ",\"disk_read_bytes\":", f.files_disk_read_bytes,
      ",\"disk_written_bytes\":", f.files_disk_written_bytes,
      ",\"fsyncs\":", f.files_fsyncs,
      ",\"replies_before_durable\":", f.files_replies_before_durable);
  stats::AppendJsonLatency(out, "request_ns", f.files_request_ns);
  out->append("}");
}

}  // namespace shardd::files
