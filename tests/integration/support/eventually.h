// Eventually: polls a condition until it holds or a timeout passes, for
// tests that wait on something the server does asynchronously.
//
//   EXPECT_TRUE(Eventually(absl::Seconds(10), [&] { return Closed(); }));
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_EVENTUALLY_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_EVENTUALLY_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace shardd::integration {

// Polls `condition` every 20 ms until it holds or `timeout` passes.
inline bool Eventually(absl::Duration timeout,
                       const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_EVENTUALLY_H_
