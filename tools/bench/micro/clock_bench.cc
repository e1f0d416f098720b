// One read of the per-command clock (shard/stats/monotonic_clock.h): the
// time-stamp counter scaled, as shardd reads it after calibrating, against
// clock_gettime(CLOCK_MONOTONIC) through the vDSO, as it reads it where the
// counter cannot be used.
//
//   build/release/tools/clock_bench
#include <cstdint>

#include "benchmark/benchmark.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::stats {
namespace {

void CalibratedClock(benchmark::State& state) {
  // Once: Google Benchmark enters this function again for each run.
  static const bool calibrated = [] {
    CalibrateMonotonicClock();
    return true;
  }();
  benchmark::DoNotOptimize(calibrated);
  state.SetLabel(MonotonicClockName());
  for (auto _ : state) benchmark::DoNotOptimize(MonotonicNanos());
}

void ClockGettime(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(clock_internal::ClockGettimeNanos());
  }
}

BENCHMARK(CalibratedClock);
BENCHMARK(ClockGettime);

}  // namespace
}  // namespace shardd::stats

BENCHMARK_MAIN();
