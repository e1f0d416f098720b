#include "net/socket_addresses.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd::net {

SocketAddresses::End SocketAddresses::Read(int fd, int (*get)(int, sockaddr*,
                                                              socklen_t*)) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  End end;
  if (get(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return end;
  end.family = address.ss_family;
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    end.port = v4.sin_port;
    std::memcpy(end.ip, &v4.sin_addr, sizeof(v4.sin_addr));
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    end.port = v6.sin6_port;
    std::memcpy(end.ip, &v6.sin6_addr, sizeof(v6.sin6_addr));
  }
  return end;
}

std::string SocketAddresses::Format(const End& end) {
  char ip[INET6_ADDRSTRLEN] = {};
  if (end.family == AF_INET) {
    inet_ntop(AF_INET, end.ip, ip, sizeof(ip));
    return absl::StrCat(ip, ":", ntohs(end.port));
  }
  if (end.family == AF_INET6) {
    inet_ntop(AF_INET6, end.ip, ip, sizeof(ip));
    return absl::StrCat("[", ip, "]:", ntohs(end.port));
  }
  return "";
}

SocketAddresses SocketAddresses::Of(int fd) {
  SocketAddresses ends;
  ends.peer_ = Read(fd, getpeername);
  ends.local_ = Read(fd, getsockname);
  return ends;
}

std::string SocketAddresses::Peer() const { return Format(peer_); }
std::string SocketAddresses::Local() const { return Format(local_); }

bool SocketAddresses::PeerIsLocalHost() const {
  switch (peer_.family) {
    case AF_UNIX:
      return true;
    case AF_INET: {
      in_addr ip;
      std::memcpy(&ip, peer_.ip, sizeof(ip));
      return ip.s_addr == htonl(INADDR_LOOPBACK);
    }
    case AF_INET6:
      return std::memcmp(peer_.ip, &in6addr_loopback, sizeof(in6_addr)) == 0;
    default:
      return false;
  }
}

}  // namespace shardd::net
