// FitClientsToFdLimit: makes the process's descriptor limit hold the clients
// it promises to serve, as Redis does at start. It raises the soft
// RLIMIT_NOFILE (up to the hard limit, which only an administrator raises)
// to `clients` plus `reserved` descriptors for everything else shardd keeps
// open (listeners, rings, mailbox doorbells, admin connections, files).
// When the limit cannot hold them it returns fewer clients, and `note` says
// so in a line for stderr; a limit too small for any client is an error.
//
//   std::string note;
//   absl::StatusOr<uint32_t> fit = FitClientsToFdLimit(10000, 200, &note);
//   if (!note.empty()) std::fprintf(stderr, "%s\n", note.c_str());
#ifndef SHARDD_NET_FD_LIMIT_H_
#define SHARDD_NET_FD_LIMIT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace shardd::net {

absl::StatusOr<uint32_t> FitClientsToFdLimit(uint32_t clients,
                                             uint32_t reserved,
                                             std::string* note);

}  // namespace shardd::net

#endif  // SHARDD_NET_FD_LIMIT_H_
