// CPU time of another process, read from /proc/<pid>/stat, for tests that
// check a server stays near idle while something is thrown at it.
//
//   std::optional<absl::Duration> before = ProcessCpuTime(server.pid());
//   ...  // the workload
//   EXPECT_LT(*ProcessCpuTime(server.pid()) - *before, absl::Seconds(1));
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_CPU_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_CPU_H_

#include <sys/types.h>

#include <optional>

#include "absl/time/time.h"

namespace shardd::integration {

// User plus system CPU time used so far by all threads of `pid` (utime and
// stime of /proc/<pid>/stat), or nullopt if the process is gone.
std::optional<absl::Duration> ProcessCpuTime(pid_t pid);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_CPU_H_
