// MonotonicNanos: the clock every per-shard duration is measured with, read
// about once per command. It never jumps with wall-clock changes.
//
// Where the CPU's time-stamp counter ticks at one rate in every power state
// (constant_tsc, nonstop_tsc) and the kernel keeps its own time with it
// (clocksource "tsc": it found the CPUs' counters in step), the counter is
// read directly and scaled to nanoseconds, once CalibrateMonotonicClock has
// measured its rate against CLOCK_MONOTONIC: ~11 ns a read on this project's
// test machine against ~26 ns for clock_gettime through the vDSO, which adds
// a sequence lock and the kernel's own scaling. Elsewhere, and before the
// calibration, it is clock_gettime(CLOCK_MONOTONIC). Redis makes the same
// choice (monotonic.c).
//
//   CalibrateMonotonicClock();  // in main, before any thread starts
//   const uint64_t start = MonotonicNanos();
//   ...
//   stats.command_ns.Record(MonotonicNanos() - start);
#ifndef SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
#define SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_

#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <cstdint>
#include <string>

namespace shardd::stats {

namespace clock_internal {

// Counter ticks to nanoseconds: ns = base_ns + ((tsc - base_tsc) * mult) >>
// 32. mult is 0 while the counter is not used. Written once, before any
// thread that reads it exists.
struct TscScale {
  uint64_t base_tsc = 0;
  uint64_t base_ns = 0;
  uint64_t mult = 0;
  uint64_t ticks_per_us = 0;
};
extern TscScale tsc_scale;

inline uint64_t ClockGettimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<uint64_t>(ts.tv_nsec);
}

// The time-stamp counter (0 where there is none: mult then stays 0).
inline uint64_t ReadCounter() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return 0;
#endif
}

}  // namespace clock_internal

inline uint64_t MonotonicNanos() {
  const clock_internal::TscScale& scale = clock_internal::tsc_scale;
  if (scale.mult == 0) return clock_internal::ClockGettimeNanos();
  const uint64_t ticks = clock_internal::ReadCounter() - scale.base_tsc;
  return scale.base_ns +
         static_cast<uint64_t>(
             (static_cast<unsigned __int128>(ticks) * scale.mult) >> 32);
}

// Measures the counter's rate over a few milliseconds and, if the machine
// allows it (see above), makes MonotonicNanos read the counter from then
// on. Call it before any thread that reads the clock starts.
void CalibrateMonotonicClock();

// What MonotonicNanos reads, in the words of Redis's INFO field
// monotonic_clock: "X86 TSC @ 2994 ticks/us" or "POSIX clock_gettime".
std::string MonotonicClockName();

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
