#include "shard/stats/monotonic_clock.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

using clock_internal::ScaledNanos;

// Before the calibration, and after it where the counter cannot be used,
// the clock is clock_gettime's; after it where it can, it is the counter's
// at a plausible rate. Either way it measures what clock_gettime measures:
// over 50 ms the two agree within 0.1% (a wrong scale, or ticks taken for
// nanoseconds, is off by far more).
TEST(MonotonicClockTest, CalibratedClockKeepsTimeWithClockGettime) {
  EXPECT_EQ(MonotonicClockName(), "POSIX clock_gettime");
  CalibrateMonotonicClock();
  const std::string name = MonotonicClockName();
  if (absl::StartsWith(name, "X86 TSC @ ")) {
    EXPECT_TRUE(absl::EndsWith(name, " ticks/us")) << name;
  } else {
    EXPECT_EQ(name, "POSIX clock_gettime");
  }
  // Three tries: a preemption between the two clocks' readings at either
  // end would skew one.
  double ratio = 0;
  for (int attempt = 0; attempt < 3 && std::abs(ratio - 1.0) > 0.001;
       ++attempt) {
    const uint64_t ours_from = MonotonicNanos();
    const uint64_t theirs_from = clock_internal::ClockGettimeNanos();
    absl::SleepFor(absl::Milliseconds(50));
    const uint64_t ours = MonotonicNanos() - ours_from;
    const uint64_t theirs = clock_internal::ClockGettimeNanos() - theirs_from;
    ASSERT_GE(theirs, 50'000'000u);
    ratio = static_cast<double>(ours) / static_cast<double>(theirs);
  }
  EXPECT_NEAR(ratio, 1.0, 0.001) << name;
  // And its readings on one thread never go back.
  uint64_t last = MonotonicNanos();
  for (int i = 0; i < 1'000'000; ++i) {
    const uint64_t now = MonotonicNanos();
    ASSERT_GE(now, last);
    last = now;
  }
}

using clock_internal::Pair;
using clock_internal::ScaleBetween;
using clock_internal::TscScale;

// The scale from two readings 5 ms apart of a counter at `hz`.
std::optional<TscScale> ScaleAt(uint64_t hz) {
  const uint64_t ticks = hz / 200;  // in 5 ms
  return ScaleBetween({.tsc = 1'000'000, .ns = 7'000'000'000},
                      {.tsc = 1'000'000 + ticks, .ns = 7'005'000'000});
}

TEST(MonotonicClockTest, ScaleTurnsTicksIntoNanoseconds) {
  for (const uint64_t hz : {100'000'000ull, 2'596'000'000ull, 3'000'000'000ull,
                            10'000'000'000ull}) {
    const std::optional<TscScale> scale = ScaleAt(hz);
    ASSERT_TRUE(scale.has_value()) << hz;
    EXPECT_EQ(scale->ticks_per_us, hz / 1'000'000);
    // The second reading is its own time; an hour of ticks later, an hour
    // later (within the fixed point's rounding: a few parts in a billion).
    EXPECT_EQ(ScaledNanos(*scale, scale->base_tsc), 7'005'000'000u);
    const uint64_t hour = 3'600ull * 1'000'000'000;
    const uint64_t later =
        ScaledNanos(*scale, scale->base_tsc + hz * 3'600) - 7'005'000'000;
    EXPECT_NEAR(static_cast<double>(later) / static_cast<double>(hour), 1.0,
                1e-8)
        << hz;
  }
}

TEST(MonotonicClockTest, ScaleHoldsOverCenturies) {
  // 2^62 ticks at 3 GHz: 48 years; the product needs all 128 bits' room.
  const std::optional<TscScale> scale = ScaleAt(3'000'000'000);
  ASSERT_TRUE(scale.has_value());
  const uint64_t ticks = uint64_t{1} << 62;
  const double expected = static_cast<double>(ticks) / 3.0;
  const double got = static_cast<double>(
      ScaledNanos(*scale, scale->base_tsc + ticks) - scale->base_ns);
  EXPECT_NEAR(got / expected, 1.0, 1e-8);
}

TEST(MonotonicClockTest, RatesFromALongSpan) {
  // 100 days at 3 GHz: ticks * 1000 needs more than 64 bits.
  const uint64_t ns = 100ull * 86'400 * 1'000'000'000;
  const std::optional<TscScale> scale =
      ScaleBetween({.tsc = 0, .ns = 1}, {.tsc = ns * 3, .ns = 1 + ns});
  ASSERT_TRUE(scale.has_value());
  EXPECT_EQ(scale->ticks_per_us, 3'000u);
}

TEST(MonotonicClockTest, ImplausibleRatesAreRefused) {
  EXPECT_FALSE(ScaleAt(99'000'000).has_value());
  EXPECT_FALSE(ScaleAt(10'001'000'000).has_value());
  // A counter or a clock that did not move forward.
  EXPECT_FALSE(ScaleBetween({.tsc = 5, .ns = 10}, {.tsc = 5, .ns = 20}));
  EXPECT_FALSE(ScaleBetween({.tsc = 5, .ns = 10}, {.tsc = 9, .ns = 10}));
  EXPECT_FALSE(ScaleBetween({.tsc = 9, .ns = 10}, {.tsc = 5, .ns = 20}));
}

}  // namespace
}  // namespace shardd::stats
