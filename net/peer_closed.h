// PeerHasClosed: whether the other end of a connected socket has gone away
// (its FIN or a reset arrived), without reading anything.
//
//   if (PeerHasClosed(fd)) ...  // stop waiting on behalf of this client
//
// A zero-timeout poll(2) for POLLRDHUP, not a peek: a client may have sent
// more requests before closing, and those unread bytes would hide the end
// of the stream from a recv(MSG_PEEK).
#ifndef SHARDD_NET_PEER_CLOSED_H_
#define SHARDD_NET_PEER_CLOSED_H_

#include <poll.h>

namespace shardd::net {

inline bool PeerHasClosed(int fd) {
  pollfd pfd{.fd = fd, .events = POLLRDHUP, .revents = 0};
  if (poll(&pfd, 1, 0) <= 0) return false;
  return (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

}  // namespace shardd::net

#endif  // SHARDD_NET_PEER_CLOSED_H_
