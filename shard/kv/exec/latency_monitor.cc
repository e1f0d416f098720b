#include "shard/kv/exec/latency_monitor.h"

#include <algorithm>

namespace shardd::kv {

void LatencyMonitor::Add(std::string_view event, int64_t unix_seconds,
                         uint64_t millis) {
  Series& series = events_[std::string(event)];
  series.max_millis = std::max(series.max_millis, millis);
  if (!series.samples.empty() &&
      series.samples.back().unix_seconds == unix_seconds) {
    Sample& last = series.samples.back();
    last.millis = std::max(last.millis, millis);
    return;
  }
  series.samples.push_back({unix_seconds, millis});
  if (series.samples.size() > kSamplesKept) series.samples.pop_front();
}

bool LatencyMonitor::Reset(std::string_view event) {
  if (event.empty()) {
    const bool any = !events_.empty();
    events_.clear();
    return any;
  }
  const auto it = events_.find(std::string(event));
  if (it == events_.end()) return false;
  events_.erase(it);
  return true;
}

}  // namespace shardd::kv
