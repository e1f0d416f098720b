#include "shard/stats/stats_json.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"

namespace shardd::stats {
namespace {

// Command names are plain ASCII today; escaping keeps the document valid
// whatever a name holds.
void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out->append(escaped);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendLatency(std::string* out, std::string_view name,
                   const LatencyHistogram& h) {
  absl::StrAppend(out, "\"", absl::string_view(name.data(), name.size()),
                  "\":{\"count\":", h.count(), ",\"sum\":", h.sum(),
                  ",\"p50\":", h.Percentile(50), ",\"p90\":", h.Percentile(90),
                  ",\"p99\":", h.Percentile(99),
                  ",\"p999\":", h.Percentile(99.9), ",\"max\":", h.max(), "}");
}

void AppendCommands(std::string* out, const ShardStats& stats) {
  std::vector<std::string_view> names;
  for (const auto& entry : stats.commands) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  out->append("\"commands\":{");
  for (size_t i = 0; i < names.size(); ++i) {
    const CommandCounters& c = stats.commands.at(names[i]);
    if (i > 0) out->push_back(',');
    AppendJsonString(out, names[i]);
    absl::StrAppend(out, ":{\"calls\":", c.calls, ",\"failed\":", c.failed,
                    ",\"total_ns\":", c.total_ns, "}");
  }
  out->append("}");
}

void AppendPeers(std::string* out, const ShardStatsSnapshot& s) {
  out->append("\"peers\":[");
  bool first = true;
  for (size_t peer = 0; peer < s.stats.peers.size(); ++peer) {
    if (peer == s.shard) continue;
    const PeerCounters& p = s.stats.peers[peer];
    if (!first) out->push_back(',');
    first = false;
    absl::StrAppend(out, "{\"shard\":", peer,
                    ",\"messages_sent\":", p.messages_sent,
                    ",\"messages_received\":", p.messages_received,
                    ",\"mailbox_depth\":", p.mailbox_depth,
                    ",\"mailbox_depth_high\":", p.mailbox_depth_high, "}");
  }
  out->append("]");
}

void AppendSnapshot(std::string* out, const ShardStatsSnapshot& s,
                    bool with_peers) {
  const ShardStats& st = s.stats;
  char utilisation[32];
  std::snprintf(utilisation, sizeof(utilisation), "%.6f", st.Utilisation());
  absl::StrAppend(
      out, "{\"shard\":", s.shard, ",\"connections\":", st.connections_current,
      ",\"connections_accepted\":", st.connections_accepted,
      ",\"connections_closed\":", st.connections_closed,
      ",\"connections_rejected\":", st.connections_rejected,
      ",\"connections_timed_out\":", st.connections_timed_out,
      ",\"connections_output_limited\":", st.connections_output_limited,
      ",\"accept_fd_exhausted\":", st.accept_fd_exhausted,
      ",\"hops_refused\":", st.hops_refused,
      ",\"commands_total\":", st.TotalCommands(), ",\"errors\":", st.errors,
      ",\"bytes_in\":", st.bytes_in, ",\"bytes_out\":", st.bytes_out,
      ",\"messages_sent\":", st.MessagesSent(),
      ",\"messages_received\":", st.MessagesReceived(),
      ",\"mailbox_depth\":", st.MailboxDepth(),
      ",\"mailbox_depth_high\":", st.MailboxDepthHigh(),
      ",\"loop_turns\":", st.loop_turns, ",\"busy_ns\":", st.busy_ns,
      ",\"idle_ns\":", st.idle_ns, ",\"utilisation\":", utilisation,
      ",\"uring_submissions\":", st.uring_submissions,
      ",\"uring_completions\":", st.uring_completions,
      ",\"uring_in_flight\":", st.UringInFlight(), ",\"keys\":", s.keys,
      ",\"expires\":", s.expires,
      ",\"memory_allocated\":", s.memory.allocated,
      ",\"memory_active\":", s.memory.active,
      ",\"memory_resident\":", s.memory.resident, ",");
  AppendLatency(out, "command_ns", st.command_ns);
  out->push_back(',');
  AppendLatency(out, "request_ns", st.request_ns);
  out->push_back(',');
  AppendCommands(out, st);
  if (with_peers) {
    out->push_back(',');
    AppendPeers(out, s);
  }
  out->push_back('}');
}

}  // namespace

std::string RenderStatsJson(absl::Span<const ShardStatsSnapshot> shards) {
  std::string out = "{\"shards\":[";
  for (size_t i = 0; i < shards.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendSnapshot(&out, shards[i], /*with_peers=*/true);
  }
  out.append("],\"totals\":");
  AppendSnapshot(&out, SumSnapshots(shards), /*with_peers=*/false);
  out.append("}\n");
  return out;
}

}  // namespace shardd::stats
