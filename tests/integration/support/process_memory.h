// Memory of another process, read from /proc/<pid>/status, for tests that
// check a server's memory stays bounded.
//
//   std::optional<int64_t> peak = PeakResidentKb(server.pid());
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_MEMORY_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_MEMORY_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace shardd::integration {

// Peak resident set size (VmHWM) in KiB; it only grows, so a check taken
// after the fact still sees a short-lived spike.
std::optional<int64_t> PeakResidentKb(pid_t pid);

// Current resident set size (VmRSS) in KiB.
std::optional<int64_t> ResidentKb(pid_t pid);

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_PROCESS_MEMORY_H_
