#include "shard/timer.h"

#include <algorithm>

namespace shardd {

SleepAwaiter::SleepAwaiter(absl::Duration duration)
    : spec_{}, io_(PrepareTimeout{&spec_}) {
  const int64_t nanos = std::max<int64_t>(0, absl::ToInt64Nanoseconds(duration));
  spec_.tv_sec = nanos / 1'000'000'000;
  spec_.tv_nsec = nanos % 1'000'000'000;
}

}  // namespace shardd
