// The addresses of a connected socket, as Redis shows and checks them.
//
//   if (!net::PeerIsLocalHost(fd)) ... // protected mode
//   std::string addr = net::PeerAddress(fd);   // "127.0.0.1:52114"
#ifndef SHARDD_NET_PEER_ADDRESS_H_
#define SHARDD_NET_PEER_ADDRESS_H_

#include <string>

namespace shardd::net {

// True if the peer is 127.0.0.1, ::1 or a unix socket: Redis's protected
// mode lets only these in (not the rest of 127.0.0.0/8, not
// ::ffff:127.0.0.1). False also when the peer is unknown.
bool PeerIsLocalHost(int fd);

// "ip:port" of the peer and of the local end ("[ip6]:port" for IPv6, as
// Redis writes them); "" when unknown.
std::string PeerAddress(int fd);
std::string LocalAddress(int fd);

}  // namespace shardd::net

#endif  // SHARDD_NET_PEER_ADDRESS_H_
