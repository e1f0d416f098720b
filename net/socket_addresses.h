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
#include <sys/socket.h>

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
  // One end in 20 bytes (every idle connection holds two): an IPv4
  // address fills the first 4 of `ip`; a unix socket has only its family.
  struct End {
    sa_family_t family = AF_UNSPEC;  // AF_UNSPEC: unknown
    in_port_t port = 0;              // network order
    unsigned char ip[16] = {};
  };
  static End Read(int fd, int (*get)(int, sockaddr*, socklen_t*));
  static std::string Format(const End& end);

  End peer_;
  End local_;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_ADDRESSES_H_
