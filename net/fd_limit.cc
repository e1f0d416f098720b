#include "net/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace shardd::net {

absl::StatusOr<uint32_t> FitClientsToFdLimit(uint32_t clients,
                                             uint32_t reserved,
                                             std::string* note) {
  note->clear();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return absl::InternalError(
        absl::StrCat("getrlimit(RLIMIT_NOFILE): ", std::strerror(errno)));
  }
  const rlim_t wanted = static_cast<rlim_t>(clients) + reserved;
  if (limit.rlim_cur >= wanted) return clients;
  std::string raise_error;
  const rlim_t target = std::min(wanted, limit.rlim_max);
  if (target > limit.rlim_cur) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit.rlim_cur = target;
    } else {
      raise_error = std::strerror(errno);
    }
  }
  if (limit.rlim_cur >= wanted) return clients;
  if (limit.rlim_cur <= reserved) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the open-files limit (ulimit -n) is ", limit.rlim_cur,
        ", too low: shardd needs ", reserved,
        " descriptors for itself plus one per client"));
  }
  const uint32_t fit = static_cast<uint32_t>(limit.rlim_cur - reserved);
  *note = absl::StrCat(
      "shardd: maxclients ", clients, " needs ", wanted,
      " open files but the limit is ", limit.rlim_cur, " (hard limit ",
      limit.rlim_max, raise_error.empty() ? "" : "; raising failed: ",
      raise_error, "); maxclients has been reduced to ", fit);
  return fit;
}

}  // namespace shardd::net
