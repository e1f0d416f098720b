// File operations as awaitables on the shard's io_uring, so disk I/O never
// blocks a loop. Each returns the CQE result: an fd or byte count on success,
// -errno on failure.
//
//   int fd = co_await aio::Open(path, O_RDWR | O_CREAT, 0644);
//   int n = co_await aio::Write(fd, data, size, /*offset=*/0);
//   int rc = co_await aio::Fsync(fd);
//   co_await aio::Close(fd);
#ifndef SHARDD_AIO_FILE_H_
#define SHARDD_AIO_FILE_H_

#include <fcntl.h>
#include <liburing.h>

#include <cstddef>
#include <cstdint>

#include "shard/io_awaiter.h"

namespace shardd::aio {

// `path` must stay valid until the open completes (it does if it lives in the
// awaiting coroutine).
inline auto Open(const char* path, int flags, mode_t mode = 0644) {
  return IoAwaiter([=](io_uring_sqe* sqe) {
    io_uring_prep_openat(sqe, AT_FDCWD, path, flags | O_CLOEXEC, mode);
  });
}

inline auto Read(int fd, void* buffer, size_t size, uint64_t offset) {
  return IoAwaiter([=](io_uring_sqe* sqe) {
    io_uring_prep_read(sqe, fd, buffer, static_cast<unsigned>(size), offset);
  });
}

inline auto Write(int fd, const void* data, size_t size, uint64_t offset) {
  return IoAwaiter([=](io_uring_sqe* sqe) {
    io_uring_prep_write(sqe, fd, data, static_cast<unsigned>(size), offset);
  });
}

inline auto Fsync(int fd) {
  return IoAwaiter([=](io_uring_sqe* sqe) { io_uring_prep_fsync(sqe, fd, 0); });
}

inline auto Close(int fd) {
  return IoAwaiter([=](io_uring_sqe* sqe) { io_uring_prep_close(sqe, fd); });
}

}  // namespace shardd::aio

#endif  // SHARDD_AIO_FILE_H_
