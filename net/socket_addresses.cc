#include "net/socket_addresses.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd::net {
namespace {

using Getter = int (*)(int, sockaddr*, socklen_t*);

// An address longer than the room (a unix socket's path) is cut, which
// keeps its family: all that is looked at for it.
sockaddr_in6 Read(int fd, Getter get) {
  sockaddr_in6 address{};
  socklen_t length = sizeof(address);
  if (get(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    address.sin6_family = AF_UNSPEC;
  }
  return address;
}

std::string Format(const sockaddr_in6& address) {
  char ip[INET6_ADDRSTRLEN] = {};
  if (address.sin6_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, ip, sizeof(ip));
    return absl::StrCat(ip, ":", ntohs(v4.sin_port));
  }
  if (address.sin6_family == AF_INET6) {
    inet_ntop(AF_INET6, &address.sin6_addr, ip, sizeof(ip));
    return absl::StrCat("[", ip, "]:", ntohs(address.sin6_port));
  }
  return "";
}

}  // namespace

SocketAddresses SocketAddresses::Of(int fd) {
  SocketAddresses ends;
  ends.peer_ = Read(fd, getpeername);
  ends.local_ = Read(fd, getsockname);
  return ends;
}

std::string SocketAddresses::Peer() const { return Format(peer_); }
std::string SocketAddresses::Local() const { return Format(local_); }

bool SocketAddresses::PeerIsLocalHost() const {
  switch (peer_.sin6_family) {
    case AF_UNIX:
      return true;
    case AF_INET:
      return reinterpret_cast<const sockaddr_in&>(peer_).sin_addr.s_addr ==
             htonl(INADDR_LOOPBACK);
    case AF_INET6:
      return std::memcmp(&peer_.sin6_addr, &in6addr_loopback,
                         sizeof(in6_addr)) == 0;
    default:
      return false;
  }
}

}  // namespace shardd::net
