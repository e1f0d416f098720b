#include "shard/stats/monotonic_clock.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace shardd::stats {

namespace clock_internal {
TscScale tsc_scale;
}  // namespace clock_internal

namespace {

using clock_internal::ClockGettimeNanos;
using clock_internal::ReadCounter;

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The CPU's flags say its counter is invariant, and the kernel trusts it.
bool CounterUsable() {
#if !defined(__x86_64__)
  return false;
#endif
  bool constant = false;
  bool nonstop = false;
  // (Debian's Abseil splits into its own absl::string_view.)
  const std::string cpuinfo = ReadFile("/proc/cpuinfo");
  for (absl::string_view line : absl::StrSplit(cpuinfo, '\n')) {
    if (!absl::ConsumePrefix(&line, "flags")) continue;
    for (absl::string_view flag : absl::StrSplit(line, ' ')) {
      constant = constant || flag == "constant_tsc";
      nonstop = nonstop || flag == "nonstop_tsc";
    }
    break;  // every CPU lists the same flags
  }
  const std::string source = ReadFile(
      "/sys/devices/system/clocksource/clocksource0/current_clocksource");
  return constant && nonstop && absl::StripAsciiWhitespace(source) == "tsc";
}

// A counter reading and the CLOCK_MONOTONIC time it was taken at: the middle
// of the tightest of a few brackets, so that a preemption in one does not
// skew the rate.
struct Pair {
  uint64_t tsc;
  uint64_t ns;
};

Pair ReadPair() {
  Pair best{};
  uint64_t best_width = UINT64_MAX;
  for (int i = 0; i < 16; ++i) {
    const uint64_t before = ReadCounter();
    const uint64_t ns = ClockGettimeNanos();
    const uint64_t after = ReadCounter();
    if (after - before < best_width) {
      best_width = after - before;
      best = {before + (after - before) / 2, ns};
    }
  }
  return best;
}

}  // namespace

void CalibrateMonotonicClock() {
  if (!CounterUsable()) return;
  const Pair first = ReadPair();
  // Long enough that the brackets' width (tens of ns) is a few parts in a
  // million of it; short enough for a start-up.
  absl::SleepFor(absl::Milliseconds(5));
  const Pair second = ReadPair();
  if (second.tsc <= first.tsc || second.ns <= first.ns) return;
  const uint64_t ticks = second.tsc - first.tsc;
  const uint64_t ns = second.ns - first.ns;
  const uint64_t ticks_per_us = ticks * 1000 / ns;
  // Outside 100 MHz .. 10 GHz the measurement went wrong.
  if (ticks_per_us < 100 || ticks_per_us > 10'000) return;
  clock_internal::tsc_scale = {
      .base_tsc = second.tsc,
      .base_ns = second.ns,
      .mult = static_cast<uint64_t>((static_cast<unsigned __int128>(ns) << 32) /
                                    ticks),
      .ticks_per_us = ticks_per_us};
}

std::string MonotonicClockName() {
  const clock_internal::TscScale& scale = clock_internal::tsc_scale;
  if (scale.mult == 0) return "POSIX clock_gettime";
  return absl::StrCat("X86 TSC @ ", scale.ticks_per_us, " ticks/us");
}

}  // namespace shardd::stats
