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

std::optional<TscScale> ScaleBetween(Pair first, Pair second) {
  if (second.tsc <= first.tsc || second.ns <= first.ns) return std::nullopt;
  const uint64_t ticks = second.tsc - first.tsc;
  const uint64_t ns = second.ns - first.ns;
  const auto ticks_per_us =
      static_cast<uint64_t>(static_cast<unsigned __int128>(ticks) * 1000 / ns);
  if (ticks_per_us < 100 || ticks_per_us > 10'000) return std::nullopt;
  return TscScale{.base_tsc = second.tsc,
                  .base_ns = second.ns,
                  .mult = static_cast<uint64_t>(
                      (static_cast<unsigned __int128>(ns) << 32) / ticks),
                  .ticks_per_us = ticks_per_us};
}

}  // namespace clock_internal

#if defined(__x86_64__)
namespace {

using clock_internal::ClockGettimeNanos;
using clock_internal::Pair;
using clock_internal::ReadCounter;

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The CPU's flags say its counter is invariant, and the kernel trusts it.
bool CounterUsable() {
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

// The middle of the tightest of a few brackets of a clock_gettime, so that
// a preemption in one does not skew the rate.
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
  if (const auto scale = clock_internal::ScaleBetween(first, second)) {
    clock_internal::tsc_scale = *scale;
  }
}
#else
void CalibrateMonotonicClock() {}
#endif

std::string MonotonicClockName() {
  const clock_internal::TscScale& scale = clock_internal::tsc_scale;
  if (scale.mult == 0) return "POSIX clock_gettime";
  return absl::StrCat("X86 TSC @ ", scale.ticks_per_us, " ticks/us");
}

}  // namespace shardd::stats
