#include "net/peer_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd::net {
namespace {

using Getter = int (*)(int, sockaddr*, socklen_t*);

std::string Format(int fd, Getter get) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (get(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  char ip[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof(ip));
    return absl::StrCat(ip, ":", ntohs(v4->sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof(ip));
    return absl::StrCat("[", ip, "]:", ntohs(v6->sin6_port));
  }
  return "";
}

}  // namespace

bool PeerIsLocalHost(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return false;
  }
  switch (address.ss_family) {
    case AF_UNIX:
      return true;
    case AF_INET:
      return reinterpret_cast<const sockaddr_in*>(&address)->sin_addr.s_addr ==
             htonl(INADDR_LOOPBACK);
    case AF_INET6: {
      const in6_addr& ip =
          reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr;
      return std::memcmp(&ip, &in6addr_loopback, sizeof(ip)) == 0;
    }
    default:
      return false;
  }
}

std::string PeerAddress(int fd) { return Format(fd, getpeername); }
std::string LocalAddress(int fd) { return Format(fd, getsockname); }

}  // namespace shardd::net
