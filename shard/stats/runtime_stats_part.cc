// The runtime's part of /metrics and /stats (stats_part.h).
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "shard/stats/stats_part.h"

namespace shardd::stats {
namespace {

void AppendPeers(std::string* out, const ShardStatsSnapshot& s) {
  out->append(",\"peers\":[");
  bool first = true;
  for (size_t peer = 0; peer < s.stats.peers.size(); ++peer) {
    if (peer == s.shard) continue;
    const PeerCounters& p = s.stats.peers[peer];
    if (!first) out->push_back(',');
    first = false;
    absl::StrAppend(out, "{\"shard\":", peer,
                    ",\"messages_sent\":", p.messages_sent,
                    ",\"messages_received\":", p.messages_received,
                    ",\"wakeups_sent\":", p.wakeups_sent,
                    ",\"mailbox_depth\":", p.mailbox_depth,
                    ",\"mailbox_depth_high\":", p.mailbox_depth_high, "}");
  }
  out->append("]");
}

class Runtime final : public StatsPart {
 public:
  void WriteMetrics(PrometheusWriter& w) const override {
    w.PerPeer("shardd_messages_sent_total",
              "Cross-shard messages sent to the peer shard.", "counter",
              [](const PeerCounters& p) { return p.messages_sent; });
    w.PerPeer("shardd_messages_received_total",
              "Cross-shard messages received from the peer shard.", "counter",
              [](const PeerCounters& p) { return p.messages_received; });
    w.PerPeer("shardd_wakeups_sent_total",
              "Times the peer shard had announced it was going to sleep when "
              "messages for it were published, and was woken.",
              "counter", [](const PeerCounters& p) { return p.wakeups_sent; });
    w.PerPeer("shardd_mailbox_depth",
              "Messages to the peer shard not yet consumed.", "gauge",
              [](const PeerCounters& p) { return p.mailbox_depth; });
    w.PerPeer("shardd_mailbox_depth_high",
              "Largest mailbox depth to the peer shard observed.", "gauge",
              [](const PeerCounters& p) { return p.mailbox_depth_high; });
    w.Counter("shardd_loop_turns_total", "Event loop iterations.",
              &ShardStats::loop_turns);
    w.Counter("shardd_loop_sleeps_total",
              "Times the loop waited in the kernel for work.",
              &ShardStats::sleeps);
    w.Counter("shardd_receive_buffer_shortages_total",
              "Receives that found every shared receive buffer in use.",
              &ShardStats::receive_buffer_shortages);
    w.PerShard("shardd_busy_seconds_total", "counter",
               "Time the loop spent working (not waiting for I/O).",
               [](const ShardStatsSnapshot& s) {
                 return PrometheusWriter::Seconds(s.stats.busy_ns);
               });
    w.PerShard("shardd_idle_seconds_total", "counter",
               "Time the loop spent waiting in io_uring_enter.",
               [](const ShardStatsSnapshot& s) {
                 return PrometheusWriter::Seconds(s.stats.idle_ns);
               });
    w.Counter("shardd_uring_submissions_total",
              "Submission queue entries handed to the kernel.",
              &ShardStats::uring_submissions);
    w.Counter("shardd_uring_completions_total",
              "Completion queue entries reaped.",
              &ShardStats::uring_completions);
    w.Gauge("shardd_uring_in_flight", "io_uring operations not yet completed.",
            [](const auto& s) { return s.stats.UringInFlight(); });
    w.Gauge("shardd_memory_allocated_bytes",
            "Bytes in live allocations of the shard's jemalloc arena.",
            [](const auto& s) { return s.memory.allocated; });
    w.Gauge("shardd_memory_active_bytes",
            "Bytes in pages of the shard's arena holding live allocations.",
            [](const auto& s) { return s.memory.active; });
    w.Gauge("shardd_memory_resident_bytes",
            "Bytes the shard's arena keeps resident (an upper bound).",
            [](const auto& s) { return s.memory.resident; });
  }

  void AppendJson(std::string* out, const ShardStatsSnapshot& s,
                  bool totals) const override {
    const ShardStats& st = s.stats;
    char utilisation[32];
    std::snprintf(utilisation, sizeof(utilisation), "%.6f", st.Utilisation());
    absl::StrAppend(out, ",\"messages_sent\":", st.MessagesSent(),
                    ",\"messages_received\":", st.MessagesReceived(),
                    ",\"mailbox_depth\":", st.MailboxDepth(),
                    ",\"mailbox_depth_high\":", st.MailboxDepthHigh(),
                    ",\"loop_turns\":", st.loop_turns,
                    ",\"sleeps\":", st.sleeps,
                    ",\"busy_ns\":", st.busy_ns, ",\"idle_ns\":", st.idle_ns,
                    ",\"utilisation\":", utilisation,
                    ",\"uring_submissions\":", st.uring_submissions,
                    ",\"uring_completions\":", st.uring_completions,
                    ",\"receive_buffer_shortages\":",
                    st.receive_buffer_shortages,
                    ",\"uring_in_flight\":", st.UringInFlight(),
                    ",\"memory_allocated\":", s.memory.allocated,
                    ",\"memory_active\":", s.memory.active,
                    ",\"memory_resident\":", s.memory.resident);
    if (!totals) AppendPeers(out, s);
  }
};

}  // namespace

const StatsPart& RuntimeStatsPart() {
  static const Runtime* const part = new Runtime();
  return *part;
}

}  // namespace shardd::stats
