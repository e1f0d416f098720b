// PrometheusWriter: appends metric families in the Prometheus text format
// 0.0.4, one sample per shard (label shard="<i>"), for whichever owner of
// counters writes them (the runtime, net/'s connections, a service). Each
// family is written whole, so families from different owners never
// interleave.
//
//   PrometheusWriter w(&body, snapshots);
//   w.Counter("shardd_loop_turns_total", "Event loop iterations.",
//             &ShardStats::loop_turns);
#ifndef SHARDD_SHARD_STATS_PROMETHEUS_WRITER_H_
#define SHARDD_SHARD_STATS_PROMETHEUS_WRITER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/types/span.h"
#include "shard/stats/shard_stats.h"

namespace shardd::stats {

class PrometheusWriter {
 public:
  PrometheusWriter(std::string* out,
                   absl::Span<const ShardStatsSnapshot> shards)
      : out_(out), shards_(shards) {}

  // A counter read from every shard's snapshot.
  void Counter(std::string_view name, std::string_view help,
               uint64_t ShardStats::*field);
  void Gauge(std::string_view name, std::string_view help,
             const std::function<uint64_t(const ShardStatsSnapshot&)>& value);
  // A family of type `type` whose value is already text (e.g. seconds).
  void PerShard(
      std::string_view name, std::string_view type, std::string_view help,
      const std::function<std::string(const ShardStatsSnapshot&)>& value);
  // A counter per shard and label value, each read from its own field
  // (e.g. label method, {"GET", &ShardStats::files_get}, ...).
  using LabeledField = std::pair<std::string_view, uint64_t ShardStats::*>;
  void CounterByLabel(std::string_view name, std::string_view help,
                      std::string_view label,
                      absl::Span<const LabeledField> fields);
  // A counter per shard and command name (label command="<name>").
  void PerCommand(std::string_view name, std::string_view help,
                  const std::function<std::string(const CommandCounters&)>&
                      value);
  // A family per shard and peer shard (label peer="<j>").
  void PerPeer(std::string_view name, std::string_view help,
               std::string_view type,
               const std::function<uint64_t(const PeerCounters&)>& value);
  // A summary with quantiles 0.5, 0.9, 0.99, 0.999 in seconds.
  void Summary(std::string_view name, std::string_view help,
               const LatencyHistogram ShardStats::*histogram);

  // Nanoseconds as seconds, as the format wants durations.
  static std::string Seconds(uint64_t ns);

 private:
  void Family(std::string_view name, std::string_view type,
              std::string_view help);
  // `labels` is the inside of the braces, already escaped.
  void Sample(std::string_view name, std::string_view labels,
              std::string_view value);

  std::string* out_;
  absl::Span<const ShardStatsSnapshot> shards_;
};

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_PROMETHEUS_WRITER_H_
