// FitClientsToFdLimit: makes the process's descriptor limit hold the clients
// the services promise to serve, as Redis does at start. It raises the soft
// RLIMIT_NOFILE (up to the hard limit, which only an administrator raises)
// to what every service's clients need plus `reserved` descriptors for
// everything else shardd keeps open (listeners, rings, mailbox doorbells,
// admin connections). When the limit cannot hold them, every cap shrinks in
// the proportions asked for, and `note` says so in a line for stderr; a
// limit too small for any client is an error.
//
//   std::vector<ClientCap> caps = {{"maxclients", 10000, 1},
//                                  {"http_maxclients", 1024, 3}};
//   std::string note;
//   RETURN_IF_ERROR(FitClientsToFdLimit(caps, 200, &note));
//   if (!note.empty()) std::fprintf(stderr, "%s\n", note.c_str());
#ifndef SHARDD_NET_FD_LIMIT_H_
#define SHARDD_NET_FD_LIMIT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace shardd::net {

struct ClientCap {
  std::string_view name;    // the flag, for the note
  uint32_t clients;         // in: asked for; out: what the limit holds
  // Descriptors one client may hold at once; 0 (registered sockets): the
  // cap is left as it is.
  uint32_t fds_per_client;
};

// Raises the soft RLIMIT_NOFILE towards `wanted`, as far as the hard limit
// lets it (never lowers it), and returns the soft limit now in force.
// `error` (if given) gets why a raise failed.
uint64_t RaiseFdLimitToward(uint64_t wanted, std::string* error = nullptr);

// The first cap is the main one: it keeps at least one client (if it
// holds descriptors).
absl::Status FitClientsToFdLimit(std::vector<ClientCap>& caps,
                                 uint32_t reserved, std::string* note);

}  // namespace shardd::net

#endif  // SHARDD_NET_FD_LIMIT_H_
