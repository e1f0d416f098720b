#include "shard/sched_policy.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd {

std::optional<SchedPolicy> ParseSchedPolicy(std::string_view name) {
  if (name == "inherit") return SchedPolicy::kInherit;
  if (name == "other") return SchedPolicy::kOther;
  if (name == "batch") return SchedPolicy::kBatch;
  return std::nullopt;
}

absl::Status UseSchedPolicy(SchedPolicy policy) {
  if (policy == SchedPolicy::kInherit) return absl::OkStatus();
  const bool batch = policy == SchedPolicy::kBatch;
  const sched_param param{.sched_priority = 0};
  if (sched_setscheduler(0, batch ? SCHED_BATCH : SCHED_OTHER, &param) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot use ", batch ? "SCHED_BATCH" : "SCHED_OTHER", ": ",
                     std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace shardd
