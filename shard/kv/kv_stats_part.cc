#include "shard/kv/kv_stats_part.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/connection_stats_part.h"
#include "shard/stats/stats_json.h"

namespace shardd::kv {
namespace {

using stats::CommandCounters;
using stats::PrometheusWriter;
using stats::ShardStats;

void AppendCommands(std::string* out, const ShardStats& stats) {
  std::vector<std::string_view> names;
  for (const auto& entry : stats.commands) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  out->append(",\"commands\":{");
  for (size_t i = 0; i < names.size(); ++i) {
    const CommandCounters& c = stats.commands.at(names[i]);
    if (i > 0) out->push_back(',');
    stats::AppendJsonString(out, names[i]);
    absl::StrAppend(out, ":{\"calls\":", c.calls, ",\"failed\":", c.failed,
                    ",\"total_ns\":", c.total_ns, "}");
  }
  out->append("}");
}

}  // namespace

void KvStatsPart::WriteMetrics(PrometheusWriter& w) const {
  net::ConnectionStatsPart().WriteMetrics(w);
  w.PerCommand("shardd_commands_total",
               "Commands executed on the shard, by command.",
               [](const CommandCounters& c) { return absl::StrCat(c.calls); });
  w.PerCommand("shardd_command_failures_total",
               "Commands that replied with an error, by command.",
               [](const CommandCounters& c) { return absl::StrCat(c.failed); });
  w.PerCommand("shardd_command_seconds_total",
               "Time spent executing commands, by command.",
               [](const CommandCounters& c) {
                 return PrometheusWriter::Seconds(c.total_ns);
               });
  w.Counter("shardd_errors_total", "Error replies of any kind.",
            &ShardStats::errors);
  w.Counter("shardd_hops_refused_total",
            "Commands from other shards refused for lack of their "
            "connection's reply credit, to run when sent again.",
            &ShardStats::hops_refused);
  w.Counter("shardd_hops_in_thread_total",
            "Commands run at once for a connection of a shard on the same "
            "thread, in place of a hop.",
            &ShardStats::hops_in_thread);
  w.Gauge("shardd_hops_outstanding_high",
          "The most replies from other shards one connection awaited at "
          "once (a batch stops at 1024).",
          [](const auto& s) { return s.stats.hops_outstanding_high; });
  w.Counter("shardd_transactions_started_total", "MULTI blocks begun.",
            &ShardStats::transactions_started);
  w.Counter("shardd_transactions_committed_total",
            "EXECs that ran their commands.",
            &ShardStats::transactions_committed);
  w.Counter("shardd_transactions_aborted_total",
            "EXECs that did not run (a watched key changed, or queueing "
            "failed) and DISCARDs.",
            &ShardStats::transactions_aborted);
  w.Counter("shardd_lock_waits_total",
            "Commands and transactions that queued for a key another held.",
            &ShardStats::lock_waits);
  w.Counter("shardd_lock_tries_refused_total",
            "Parts of multi-shard steps, sent to every owner at once, that "
            "found a key or the shard held or waited for.",
            &ShardStats::lock_tries_refused);
  w.Gauge("shardd_lock_waiting",
          "Commands and transactions waiting for keys owned by the shard.",
          [](const auto& s) { return s.lock_waiting; });
  w.Gauge("shardd_blocked_clients",
          "Clients connected to the shard waiting in a blocking command.",
          [](const auto& s) { return s.blocked_clients; });
  w.Gauge("shardd_keys", "Keys owned by the shard.",
          [](const auto& s) { return s.keys; });
  w.Gauge("shardd_expiring_keys", "Keys with a time to live.",
          [](const auto& s) { return s.expires; });
  w.Counter("shardd_aof_records_total",
            "Writes appended to the shard's log.", &ShardStats::aof_records);
  w.Counter("shardd_aof_writes_total",
            "Write system calls to the log, each a group commit.",
            &ShardStats::aof_writes);
  w.Counter("shardd_aof_written_bytes_total", "Bytes written to the log.",
            &ShardStats::aof_bytes_written);
  w.Counter("shardd_aof_fsyncs_total", "fdatasync calls on the log.",
            &ShardStats::aof_fsyncs);
  w.Counter("shardd_aof_write_errors_total",
            "Failed writes and syncs of the log (each retried).",
            &ShardStats::aof_write_errors);
  w.Counter("shardd_aof_buffer_limit_waits_total",
            "Times a connection here waited before its next commands for "
            "a log over --aof_buffer_limit to get back under it.",
            &ShardStats::aof_buffer_limit_waits);
  w.Counter("shardd_aof_replies_before_durable_total",
            "Replies to writes sent under appendfsync always before the "
            "log held them durably (must stay 0).",
            &ShardStats::aof_replies_before_durable);
  w.Gauge("shardd_aof_size_bytes", "The shard's log, with what is buffered.",
          [](const auto& s) { return s.stats.aof_current_size; });
  w.Gauge("shardd_aof_buffered_bytes", "Appended to the log, not yet written.",
          [](const auto& s) { return s.stats.aof_buffer_length; });
  w.Gauge("shardd_aof_failing",
          "1 while the log's last write or sync failed (writes get "
          "-MISCONF).",
          [](const auto& s) { return s.stats.aof_failing; });
  w.Summary("shardd_aof_fsync_duration_seconds",
            "One log write with its fdatasync, or one fdatasync.",
            &ShardStats::aof_fsync_ns);
  w.Summary("shardd_command_duration_seconds",
            "Execution time of one command on its owner shard.",
            &ShardStats::command_ns);
  w.Summary("shardd_request_duration_seconds",
            "Time from receiving a request to sending its reply.",
            &ShardStats::request_ns);
}

void KvStatsPart::AppendJson(std::string* out,
                             const stats::ShardStatsSnapshot& s,
                             bool totals) const {
  net::ConnectionStatsPart().AppendJson(out, s, totals);
  const ShardStats& st = s.stats;
  // One field a line.
  // clang-format off
  absl::StrAppend(out, ",\"commands_total\":", st.TotalCommands(),
                  ",\"errors\":", st.errors,
                  ",\"hops_refused\":", st.hops_refused,
                  ",\"hops_outstanding_high\":", st.hops_outstanding_high,
                  ",\"hops_in_thread\":", st.hops_in_thread,
                  ",\"transactions_started\":", st.transactions_started,
                  ",\"transactions_committed\":", st.transactions_committed,
                  ",\"transactions_aborted\":", st.transactions_aborted,
                  ",\"lock_waits\":", st.lock_waits,
                  ",\"lock_tries_refused\":", st.lock_tries_refused,
                  ",\"lock_waiting\":", s.lock_waiting,
                  ",\"blocked_clients\":", s.blocked_clients,
                  ",\"keys\":", s.keys,
                  ",\"expires\":", s.expires,
                  ",\"aof_records\":", st.aof_records,
                  ",\"aof_writes\":", st.aof_writes,
                  ",\"aof_bytes_written\":", st.aof_bytes_written,
                  ",\"aof_fsyncs\":", st.aof_fsyncs,
                  ",\"aof_write_errors\":", st.aof_write_errors,
                  ",\"aof_failing\":", st.aof_failing,
                  ",\"aof_size\":", st.aof_current_size,
                  ",\"aof_buffered\":", st.aof_buffer_length,
                  ",\"aof_buffer_limit_waits\":", st.aof_buffer_limit_waits,
                  ",\"aof_replies_before_durable\":",
                  st.aof_replies_before_durable,
                  ",\"aof_rewrite_walking\":", st.aof_rewrite_walking,
                  ",\"aof_rewrite_peak_bytes\":", st.aof_rewrite_peak_bytes,
                  ",\"aof_rewrites\":", st.aof_rewrites);
  // clang-format on
  stats::AppendJsonLatency(out, "aof_fsync_ns", st.aof_fsync_ns);
  stats::AppendJsonLatency(out, "command_ns", st.command_ns);
  stats::AppendJsonLatency(out, "request_ns", st.request_ns);
  AppendCommands(out, st);
}

}  // namespace shardd::kv
