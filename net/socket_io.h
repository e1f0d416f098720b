// Socket operations as awaitables on the shard's io_uring: accept, wait for
// readability, receive, send. Each returns the CQE result: a byte count or fd on success, -errno on
// failure (-ECANCELED once the shard is stopping).
//
//   int fd = co_await AcceptOn(listen_fd);
//   int n = co_await ReceiveSome(fd, buf, sizeof(buf));
//   int sent = co_await SendSome(fd, reply.data(), reply.size());  // may be short
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

inline auto ReceiveSome(int fd, char* buffer, size_t capacity,
                        bool poll_first = false) {
  return IoAwaiter([=](io_uring_sqe* sqe) {
    io_uring_prep_recv(sqe, fd, buffer, capacity, 0);
    if (poll_first) sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
  });
}

inline auto SendSome(int fd, const char* data, size_t size) {
  return IoAwaiter([=](io_uring_sqe* sqe) {
    // MSG_NOSIGNAL: a peer that went away must not kill the server (SIGPIPE).
    io_uring_prep_send(sqe, fd, data, size, MSG_NOSIGNAL);
  });
}

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_IO_H_
