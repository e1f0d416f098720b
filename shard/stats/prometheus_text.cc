#include "shard/stats/prometheus_text.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

constexpr double kQuantiles[] = {0.5, 0.9, 0.99, 0.999};

std::string Seconds(uint64_t ns) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(ns) / 1e9);
  return text;
}

// Label values may hold any byte; the format escapes \, " and newline.
std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  void Family(std::string_view name, std::string_view type,
              std::string_view help) {
    absl::StrAppend(out_, "# HELP ", absl::string_view(name.data(), name.size()),
                    " ", absl::string_view(help.data(), help.size()), "\n",
                    "# TYPE ", absl::string_view(name.data(), name.size()), " ",
                    absl::string_view(type.data(), type.size()), "\n");
  }

  // `labels` is the inside of the braces, already escaped.
  void Sample(std::string_view name, std::string_view labels,
              std::string_view value) {
    absl::StrAppend(out_, absl::string_view(name.data(), name.size()), "{",
                    absl::string_view(labels.data(), labels.size()), "} ",
                    absl::string_view(value.data(), value.size()), "\n");
  }

 private:
  std::string* out_;
};

std::string ShardLabel(const ShardStatsSnapshot& s) {
  return absl::StrCat("shard=\"", s.shard, "\"");
}

// Command names in a stable order, for readable and diffable output.
std::vector<std::string_view> SortedCommands(const ShardStats& stats) {
  std::vector<std::string_view> names;
  for (const auto& entry : stats.commands) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

void PerShard(Writer& w, absl::Span<const ShardStatsSnapshot> shards,
              std::string_view name, std::string_view type,
              std::string_view help,
              const std::function<std::string(const ShardStatsSnapshot&)>& value) {
  w.Family(name, type, help);
  for (const ShardStatsSnapshot& s : shards) {
    w.Sample(name, ShardLabel(s), value(s));
  }
}

void PerCommand(Writer& w, absl::Span<const ShardStatsSnapshot> shards,
                std::string_view name, std::string_view help,
                const std::function<std::string(const CommandCounters&)>& value) {
  w.Family(name, "counter", help);
  for (const ShardStatsSnapshot& s : shards) {
    for (std::string_view command : SortedCommands(s.stats)) {
      w.Sample(name,
               absl::StrCat(ShardLabel(s), ",command=\"",
                            EscapeLabelValue(command), "\""),
               value(s.stats.commands.at(command)));
    }
  }
}

void PerPeer(Writer& w, absl::Span<const ShardStatsSnapshot> shards,
             std::string_view name, std::string_view help,
             std::string_view type,
             const std::function<uint64_t(const PeerCounters&)>& value) {
  w.Family(name, type, help);
  for (const ShardStatsSnapshot& s : shards) {
    for (size_t peer = 0; peer < s.stats.peers.size(); ++peer) {
      if (peer == s.shard) continue;
      w.Sample(name, absl::StrCat(ShardLabel(s), ",peer=\"", peer, "\""),
               absl::StrCat(value(s.stats.peers[peer])));
    }
  }
}

void Summary(Writer& w, absl::Span<const ShardStatsSnapshot> shards,
             std::string_view name, std::string_view help,
             const LatencyHistogram ShardStats::*histogram) {
  w.Family(name, "summary", help);
  const std::string sum = std::string(name) + "_sum";
  const std::string count = std::string(name) + "_count";
  for (const ShardStatsSnapshot& s : shards) {
    const LatencyHistogram& h = s.stats.*histogram;
    for (double q : kQuantiles) {
      w.Sample(name, absl::StrCat(ShardLabel(s), ",quantile=\"", q, "\""),
               Seconds(h.Percentile(q * 100)));
    }
    w.Sample(sum, ShardLabel(s), Seconds(h.sum()));
    w.Sample(count, ShardLabel(s), absl::StrCat(h.count()));
  }
}

std::string Count(uint64_t v) { return absl::StrCat(v); }

}  // namespace

std::string RenderPrometheusText(absl::Span<const ShardStatsSnapshot> shards) {
  std::string out;
  Writer w(&out);
  auto counter = [&](std::string_view name, std::string_view help,
                     uint64_t ShardStats::*field) {
    PerShard(w, shards, name, "counter", help,
             [field](const ShardStatsSnapshot& s) { return Count(s.stats.*field); });
  };
  auto gauge = [&](std::string_view name, std::string_view help,
                   const std::function<uint64_t(const ShardStatsSnapshot&)>& v) {
    PerShard(w, shards, name, "gauge", help,
             [&v](const ShardStatsSnapshot& s) { return Count(v(s)); });
  };

  gauge("shardd_connections", "Client connections open on the shard.",
        [](const auto& s) { return s.stats.connections_current; });
  counter("shardd_connections_accepted_total",
          "Client connections the shard has served.",
          &ShardStats::connections_accepted);
  counter("shardd_connections_closed_total",
          "Client connections the shard has closed.",
          &ShardStats::connections_closed);
  counter("shardd_connections_rejected_total",
          "Connections refused because --maxclients was reached.",
          &ShardStats::connections_rejected);
  counter("shardd_connections_timed_out_total",
          "Client connections closed after --timeout seconds idle.",
          &ShardStats::connections_timed_out);
  counter("shardd_connections_output_limited_total",
          "Client connections closed for holding more reply bytes than "
          "--client_output_limit.",
          &ShardStats::connections_output_limited);
  counter("shardd_hops_refused_total",
          "Commands from other shards refused for lack of their connection's "
          "reply credit, to run when sent again.",
          &ShardStats::hops_refused);
  counter("shardd_accept_fd_exhausted_total",
          "Accepts that failed because no file descriptor was free.",
          &ShardStats::accept_fd_exhausted);
  PerCommand(w, shards, "shardd_commands_total",
             "Commands executed on the shard, by command.",
             [](const CommandCounters& c) { return Count(c.calls); });
  PerCommand(w, shards, "shardd_command_failures_total",
             "Commands that replied with an error, by command.",
             [](const CommandCounters& c) { return Count(c.failed); });
  PerCommand(w, shards, "shardd_command_seconds_total",
             "Time spent executing commands, by command.",
             [](const CommandCounters& c) { return Seconds(c.total_ns); });
  counter("shardd_errors_total", "Error replies of any kind.",
          &ShardStats::errors);
  counter("shardd_received_bytes_total", "Bytes received from clients.",
          &ShardStats::bytes_in);
  counter("shardd_sent_bytes_total", "Bytes sent to clients.",
          &ShardStats::bytes_out);
  PerPeer(w, shards, "shardd_messages_sent_total",
          "Cross-shard messages sent to the peer shard.", "counter",
          [](const PeerCounters& p) { return p.messages_sent; });
  PerPeer(w, shards, "shardd_messages_received_total",
          "Cross-shard messages received from the peer shard.", "counter",
          [](const PeerCounters& p) { return p.messages_received; });
  PerPeer(w, shards, "shardd_mailbox_depth",
          "Messages to the peer shard not yet consumed.", "gauge",
          [](const PeerCounters& p) { return p.mailbox_depth; });
  PerPeer(w, shards, "shardd_mailbox_depth_high",
          "Largest mailbox depth to the peer shard observed.", "gauge",
          [](const PeerCounters& p) { return p.mailbox_depth_high; });
  counter("shardd_loop_turns_total", "Event loop iterations.",
          &ShardStats::loop_turns);
  PerShard(w, shards, "shardd_busy_seconds_total", "counter",
           "Time the loop spent working (not waiting for I/O).",
           [](const ShardStatsSnapshot& s) { return Seconds(s.stats.busy_ns); });
  PerShard(w, shards, "shardd_idle_seconds_total", "counter",
           "Time the loop spent waiting in io_uring_enter.",
           [](const ShardStatsSnapshot& s) { return Seconds(s.stats.idle_ns); });
  counter("shardd_uring_submissions_total",
          "Submission queue entries handed to the kernel.",
          &ShardStats::uring_submissions);
  counter("shardd_uring_completions_total", "Completion queue entries reaped.",
          &ShardStats::uring_completions);
  gauge("shardd_uring_in_flight", "io_uring operations not yet completed.",
        [](const auto& s) { return s.stats.UringInFlight(); });
  gauge("shardd_keys", "Keys owned by the shard.",
        [](const auto& s) { return s.keys; });
  gauge("shardd_expiring_keys", "Keys with a time to live.",
        [](const auto& s) { return s.expires; });
  gauge("shardd_memory_allocated_bytes",
        "Bytes in live allocations of the shard's jemalloc arena.",
        [](const auto& s) { return s.memory.allocated; });
  gauge("shardd_memory_active_bytes",
        "Bytes in pages of the shard's arena holding live allocations.",
        [](const auto& s) { return s.memory.active; });
  gauge("shardd_memory_resident_bytes",
        "Bytes the shard's arena keeps resident (an upper bound).",
        [](const auto& s) { return s.memory.resident; });
  Summary(w, shards, "shardd_command_duration_seconds",
          "Execution time of one command on its owner shard.",
          &ShardStats::command_ns);
  Summary(w, shards, "shardd_request_duration_seconds",
          "Time from receiving a request to sending its reply.",
          &ShardStats::request_ns);
  return out;
}

}  // namespace shardd::stats
