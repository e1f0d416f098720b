// SocketAddresses: both ends of a connected socket, read once, as Redis
// shows and checks them. A registered socket (net/socket_id.h) has no
// descriptor to ask later, so its connection reads them when it is adopted.
//
//   SocketAddresses ends = SocketAddresses::Of(fd);
//   if (!ends.PeerIsLocalHost()) ...   // protected mode
//   std::string addr = ends.Peer();    // "127.0.0.1:52114"
#ifndef SHARDD_NET_SOCKET_ADDRESSES_H_
#define SHARDD_NET_SOCKET_ADDRESSES_H_

#include <netinet/in.h>

#include <string>

namespace shardd::net {

class SocketAddresses {
 public:
  // getpeername and getsockname of `fd`; an end they cannot tell is unknown.
  static SocketAddresses Of(int fd);

  // "ip:port" of the peer and of the local end ("[ip6]:port" for IPv6, as
  // Redis writes them); "" when unknown.
  std::string Peer() const;
  std::string Local() const;

  // True if the peer is 127.0.0.1, ::1 or a unix socket: Redis's protected
  // mode lets only these in (not the rest of 127.0.0.0/8, not
  // ::ffff:127.0.0.1). False also when the peer is unknown.
  bool PeerIsLocalHost() const;

 private:
  // Room for an IPv6 end; an IPv4 one is a sockaddr_in at the same place,
  // and a unix one keeps only its family. Unknown: AF_UNSPEC.
  sockaddr_in6 peer_{};
  sockaddr_in6 local_{};
};

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_ADDRESSES_H_
