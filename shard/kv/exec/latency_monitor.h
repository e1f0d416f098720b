// LatencyMonitor: one shard's latency spikes (Redis's LATENCY): while
// latency-monitor-threshold is above 0, a command that takes at least that
// many milliseconds is a sample of the event "command" ("fast-command" for
// one flagged fast). Each event keeps its last 160 seconds with a sample
// (the largest of a second) and its largest ever, as Redis does; LATENCY
// merges the shards' (latency_command.h).
//
//   if (threshold_ms > 0 && took_ms >= threshold_ms) {
//     shard.latency.Add("command", now_s, took_ms);
//   }
#ifndef SHARDD_SHARD_KV_EXEC_LATENCY_MONITOR_H_
#define SHARDD_SHARD_KV_EXEC_LATENCY_MONITOR_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "absl/container/btree_map.h"

namespace shardd::kv {

class LatencyMonitor {
 public:
  struct Sample {
    int64_t unix_seconds = 0;
    uint64_t millis = 0;
  };
  struct Series {
    std::deque<Sample> samples;  // oldest first, one per second at most
    uint64_t max_millis = 0;
  };

  // Redis's LATENCY_TS_LEN.
  static constexpr size_t kSamplesKept = 160;

  void Add(std::string_view event, int64_t unix_seconds, uint64_t millis);
  // Forgets `event` (all if empty); whether there was anything to forget.
  bool Reset(std::string_view event);
  const absl::btree_map<std::string, Series>& events() const { return events_; }

 private:
  absl::btree_map<std::string, Series> events_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_LATENCY_MONITOR_H_
