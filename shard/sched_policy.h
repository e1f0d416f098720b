// The scheduling policy shardd's threads run under (--sched_policy). Under
// SCHED_BATCH a shard woken while another task has its CPU (a client,
// another process) waits for that task to block or use up its slice
// instead of preempting it: where CPUs are shared, each wake-up finds more
// work and fewer switches happen (docs/architecture.md, "The loop").
//
//   std::optional<SchedPolicy> policy = ParseSchedPolicy(FLAGS_sched_policy);
//   if (!policy) ...;                              // a usage error
//   RETURN_IF_ERROR(UseSchedPolicy(*policy));      // before any thread starts
#ifndef SHARDD_SHARD_SCHED_POLICY_H_
#define SHARDD_SHARD_SCHED_POLICY_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"

namespace shardd {

// Keep the policy the process was started with (chrt, systemd's
// CPUSchedulingPolicy=), or set SCHED_OTHER or SCHED_BATCH.
enum class SchedPolicy { kInherit, kOther, kBatch };

// "inherit", "other" or "batch"; nullopt for anything else.
std::optional<SchedPolicy> ParseSchedPolicy(std::string_view name);

// Sets `policy` on the calling thread (Linux keeps a policy per thread):
// called by main before any other thread exists, every thread shardd
// starts, and each io_uring worker a shard's thread starts, inherits it.
absl::Status UseSchedPolicy(SchedPolicy policy);

}  // namespace shardd

#endif  // SHARDD_SHARD_SCHED_POLICY_H_
