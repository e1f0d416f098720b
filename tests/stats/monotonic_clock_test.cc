#include "shard/stats/monotonic_clock.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

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
  const uint64_t ours_from = MonotonicNanos();
  const uint64_t theirs_from = clock_internal::ClockGettimeNanos();
  absl::SleepFor(absl::Milliseconds(50));
  const uint64_t ours = MonotonicNanos() - ours_from;
  const uint64_t theirs = clock_internal::ClockGettimeNanos() - theirs_from;
  ASSERT_GE(theirs, 50'000'000u);
  const double ratio = static_cast<double>(ours) / static_cast<double>(theirs);
  EXPECT_NEAR(ratio, 1.0, 0.001)
      << name << ": " << ours << " ns against " << theirs << " ns";
  // And its readings on one thread never go back.
  uint64_t last = MonotonicNanos();
  for (int i = 0; i < 1'000'000; ++i) {
    const uint64_t now = MonotonicNanos();
    ASSERT_GE(now, last);
    last = now;
  }
}

}  // namespace
}  // namespace shardd::stats
