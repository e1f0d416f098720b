// Listening-socket operations as awaitables on the shard's io_uring: accept,
// and wait for a pending connection. Each returns the CQE result: an fd or
// a poll mask on success, -errno on failure (-ECANCELED once the shard is
// stopping). Connected sockets go through net/connection.h.
//
//   int fd = co_await AcceptOn(listen_fd);
//   co_await PollReadable(listen_fd);
#ifndef SHARDD_NET_SOCKET_IO_H_
#define SHARDD_NET_SOCKET_IO_H_

#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstddef>
#include "shard/io_awaiter.h"

namespace shardd::net {

inline auto AcceptOn(int listen_fd) {
  return IoAwaiter([listen_fd](io_uring_sqe* sqe) {
    io_uring_prep_accept(sqe, listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  });
}

// Waits until `fd` is readable (a listener: a connection is pending). Needs
// no descriptor, unlike an accept, so it can wait while descriptors run out.
inline auto PollReadable(int fd) {
  return IoAwaiter([fd](io_uring_sqe* sqe) {
    io_uring_prep_poll_add(sqe, fd, POLLIN);
  });
}

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_IO_H_
