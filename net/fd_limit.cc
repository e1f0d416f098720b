#include "net/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd::net {

uint64_t RaiseFdLimitToward(uint64_t wanted, std::string* error) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    if (error != nullptr) *error = std::strerror(errno);
    return 0;
  }
  const rlim_t target = std::min<rlim_t>(wanted, limit.rlim_max);
  if (target > limit.rlim_cur) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit.rlim_cur = target;
    } else if (error != nullptr) {
      *error = std::strerror(errno);
    }
  }
  return limit.rlim_cur;
}

absl::Status FitClientsToFdLimit(std::vector<ClientCap>& caps,
                                 uint32_t reserved, std::string* note) {
  note->clear();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return absl::InternalError(
        absl::StrCat("getrlimit(RLIMIT_NOFILE): ", std::strerror(errno)));
  }
  rlim_t for_clients = 0;
  for (const ClientCap& cap : caps) {
    for_clients += static_cast<rlim_t>(cap.clients) * cap.fds_per_client;
  }
  const rlim_t wanted = for_clients + reserved;
  if (limit.rlim_cur >= wanted) return absl::OkStatus();
  std::string raise_error;
  limit.rlim_cur = RaiseFdLimitToward(wanted, &raise_error);
  if (limit.rlim_cur >= wanted) return absl::OkStatus();
  if (limit.rlim_cur <= reserved) {
    return absl::FailedPreconditionError(
        absl::StrCat("the open-files limit (ulimit -n) is ", limit.rlim_cur,
                     ", too low: shardd needs ", reserved,
                     " descriptors for itself plus those of its clients"));
  }
  // Each cap gets its share of what is left, in the proportions asked for.
  const rlim_t available = limit.rlim_cur - reserved;
  std::string reduced;
  for (size_t i = 0; i < caps.size(); ++i) {
    ClientCap& cap = caps[i];
    if (cap.fds_per_client == 0) continue;  // holds no descriptor
    const absl::string_view name(cap.name.data(), cap.name.size());
    const rlim_t share =
        available * cap.clients * cap.fds_per_client / for_clients;
    cap.clients = static_cast<uint32_t>(share / cap.fds_per_client);
    if (i == 0) {
      cap.clients = std::max<uint32_t>(cap.clients, 1);
      absl::StrAppend(&reduced, name, " has been reduced to ",
                      cap.clients);
    } else {
      absl::StrAppend(&reduced,
                      reduced.empty() ? ""
                      : i == 1        ? " (and "
                                      : ", ",
                      name, reduced.empty() ? " has been reduced to " : " to ",
                      cap.clients);
    }
  }
  if (caps.size() > 1 && caps[0].fds_per_client > 0) reduced += ")";
  *note = absl::StrCat(
      "shardd: the clients asked for need ", wanted,
      " open files but the limit is ", limit.rlim_cur, " (hard limit ",
      limit.rlim_max, raise_error.empty() ? "" : "; raising failed: ",
      raise_error, "); ", reduced);
  return absl::OkStatus();
}

}  // namespace shardd::net
