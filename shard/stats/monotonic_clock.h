// MonotonicNanos: the clock every per-shard duration is measured with.
// CLOCK_MONOTONIC is served by the vDSO (no system call, ~20 ns), never jumps
// with wall-clock changes, and is the same clock on every CPU.
//
//   const uint64_t start = MonotonicNanos();
//   ...
//   stats.command_ns.Record(MonotonicNanos() - start);
#ifndef SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
#define SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_

#include <time.h>

#include <cstdint>

namespace shardd::stats {

inline uint64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
