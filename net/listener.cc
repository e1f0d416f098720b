#include "net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::net {
namespace {

absl::Status ErrnoError(const char* what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

absl::StatusOr<Address> ParseAddress(const std::string& text, uint16_t port) {
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length = sizeof(sockaddr_in6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IP address: '", text, "'"));
  }
  return a;
}

void SetPort(Address& a, uint16_t port) {
  if (a.storage.ss_family == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&a.storage)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&a.storage)->sin6_port = htons(port);
  }
}

absl::StatusOr<int> OpenOne(const Address& address, int backlog) {
  int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket");
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) {
    absl::Status s = ErrnoError("setsockopt");
    close(fd);
    return s;
  }
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address.storage),
           address.length) != 0) {
    absl::Status s = ErrnoError("bind");
    close(fd);
    return s;
  }
  if (listen(fd, backlog) != 0) {
    absl::Status s = ErrnoError("listen");
    close(fd);
    return s;
  }
  return fd;
}

// Binds a socket without SO_REUSEPORT to `address`: that fails with
// EADDRINUSE while anyone listens there, reuseport or not.
absl::Status ProbePortFree(const Address& address) {
  int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  absl::Status status = absl::OkStatus();
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address.storage),
           address.length) != 0) {
    status = errno == EADDRINUSE
                 ? absl::AlreadyExistsError(
                       "port already in use by another process")
                 : ErrnoError("bind");
  }
  close(fd);
  return status;
}

}  // namespace

absl::StatusOr<ListenerGroup> ListenerGroup::Open(const std::string& address,
                                                  uint16_t port, uint32_t count,
                                                  int backlog) {
  absl::StatusOr<Address> parsed = ParseAddress(address, port);
  if (!parsed.ok()) return parsed.status();
  if (port != 0) {
    if (absl::Status free = ProbePortFree(*parsed); !free.ok()) {
      return absl::Status(free.code(), absl::StrCat("listening on ", address,
                                                    ":", port, ": ",
                                                    free.message()));
    }
  }
  ListenerGroup group;
  for (uint32_t i = 0; i < count; ++i) {
    absl::StatusOr<int> fd = OpenOne(*parsed, backlog);
    if (!fd.ok()) {
      return absl::Status(fd.status().code(),
                          absl::StrCat("listening on ", address, ":", port,
                                       ": ", fd.status().ToString()));
    }
    group.fds_.push_back(*fd);
    if (i == 0) {
      sockaddr_storage bound{};
      socklen_t length = sizeof(bound);
      getsockname(*fd, reinterpret_cast<sockaddr*>(&bound), &length);
      port = ntohs(bound.ss_family == AF_INET
                       ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                       : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
      SetPort(*parsed, port);
    }
  }
  group.port_ = port;
  return group;
}

ListenerGroup::ListenerGroup(ListenerGroup&& other) noexcept
    : fds_(std::move(other.fds_)), port_(other.port_) {
  other.fds_.clear();
}

ListenerGroup::~ListenerGroup() {
  for (int fd : fds_) close(fd);
}

}  // namespace shardd::net
