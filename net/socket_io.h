// Listening-socket operations as awaitables on the shard's io_uring (or its
// epoll backend: the listening socket must then be non-blocking): accept,
// and wait for a pending connection. Each returns an fd or a poll mask on
// success, -errno on failure (-ECANCELED once the shard is stopping).
// Connected sockets go through net/connection.h.
//
//   int fd = co_await AcceptOn(listen_fd);
//   co_await PollReadable(listen_fd);
#ifndef SHARDD_NET_SOCKET_IO_H_
#define SHARDD_NET_SOCKET_IO_H_

#include <liburing.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cstddef>

#include "shard/io_awaiter.h"

namespace shardd::net {

inline auto AcceptOn(int listen_fd) {
  return SocketAwaiter(
      listen_fd, EPOLLIN,
      [listen_fd](io_uring_sqe* sqe) {
        io_uring_prep_accept(sqe, listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      },
      [listen_fd] {
        return SyscallResult(
            accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
      });
}

// Waits until `fd` is readable (a listener: a connection is pending). Needs
// no descriptor, unlike an accept, so it can wait while descriptors run out.
inline auto PollReadable(int fd) {
  return SocketAwaiter(
      fd, EPOLLIN,
      [fd](io_uring_sqe* sqe) { io_uring_prep_poll_add(sqe, fd, POLLIN); },
      [fd] {
        pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
        if (poll(&ready, 1, 0) < 0) return -errno;
        return ready.revents != 0 ? static_cast<int>(ready.revents) : -EAGAIN;
      });
}

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_IO_H_
