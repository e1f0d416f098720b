// File operations as awaitables on the shard's io_uring, so disk I/O never
// blocks a loop; under the epoll backend the same system calls run on the
// offload pool (shard/offload_pool.h). Each returns an fd or byte count on
// success, -errno on failure.
//
//   int fd = co_await aio::Open(path, O_RDWR | O_CREAT, 0644);
//   int fd = co_await aio::OpenBeneath(root, "a/b", O_RDONLY, RESOLVE_BENEATH);
//   int n = co_await aio::Write(fd, data, size, /*offset=*/0);
//   int rc = co_await aio::Fsync(fd);
//   co_await aio::Close(fd);
#ifndef SHARDD_AIO_FILE_H_
#define SHARDD_AIO_FILE_H_

#include <fcntl.h>
#include <linux/openat2.h>
#include <liburing.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "shard/io_awaiter.h"

namespace shardd::aio {

// `path` must stay valid until the open completes (it does if it lives in the
// awaiting coroutine).
inline auto Open(const char* path, int flags, mode_t mode = 0644) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_openat(sqe, AT_FDCWD, path, flags | O_CLOEXEC, mode);
      },
      [=] { return SyscallResult(open(path, flags | O_CLOEXEC, mode)); });
}

// Opens `path` relative to `dir_fd` as openat2(2) resolves it: with
// RESOLVE_BENEATH, no "..", absolute path or symlink leads outside `dir_fd`
// (-EXDEV). `mode` only with O_CREAT. The open_how lives in the awaiter
// until the kernel has read it.
inline auto OpenBeneath(int dir_fd, const char* path, uint64_t flags,
                        uint64_t resolve, mode_t mode = 0) {
  open_how how{.flags = flags | O_CLOEXEC, .mode = mode,
              .resolve = resolve};
  return IoAwaiter(
      [dir_fd, path, how](io_uring_sqe* sqe) mutable {
        io_uring_prep_openat2(sqe, dir_fd, path, &how);
      },
      [dir_fd, path, how] {
        return SyscallResult(
            syscall(SYS_openat2, dir_fd, path, &how, sizeof(how)));
      });
}

// openat(2) of one name in `dir_fd` (no resolution beyond that name).
inline auto OpenAt(int dir_fd, const char* name, int flags, mode_t mode = 0) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_openat(sqe, dir_fd, name, flags | O_CLOEXEC, mode);
      },
      [=] {
        return SyscallResult(openat(dir_fd, name, flags | O_CLOEXEC, mode));
      });
}

// statx(2) of an open descriptor into `out`.
inline auto StatFd(int fd, struct statx* out) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_statx(sqe, fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT,
                            STATX_BASIC_STATS, out);
      },
      [=] {
        return SyscallResult(statx(fd, "",
                                   AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT,
                                   STATX_BASIC_STATS, out));
      });
}

inline auto MkdirAt(int dir_fd, const char* name, mode_t mode) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) { io_uring_prep_mkdirat(sqe, dir_fd, name, mode); },
      [=] { return SyscallResult(mkdirat(dir_fd, name, mode)); });
}

inline auto RenameAt(int old_dir_fd, const char* old_name, int new_dir_fd,
                     const char* new_name) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_renameat(sqe, old_dir_fd, old_name, new_dir_fd, new_name,
                               0);
      },
      [=] {
        return SyscallResult(renameat(old_dir_fd, old_name, new_dir_fd,
                                      new_name));
      });
}

inline auto UnlinkAt(int dir_fd, const char* name, int flags = 0) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) { io_uring_prep_unlinkat(sqe, dir_fd, name, flags); },
      [=] { return SyscallResult(unlinkat(dir_fd, name, flags)); });
}

inline auto Read(int fd, void* buffer, size_t size, uint64_t offset) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_read(sqe, fd, buffer, static_cast<unsigned>(size),
                           offset);
      },
      [=] {
        return SyscallResult(pread(fd, buffer, static_cast<unsigned>(size),
                                   static_cast<off_t>(offset)));
      });
}

inline auto Write(int fd, const void* data, size_t size, uint64_t offset) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_write(sqe, fd, data, static_cast<unsigned>(size),
                            offset);
      },
      [=] {
        return SyscallResult(pwrite(fd, data, static_cast<unsigned>(size),
                                    static_cast<off_t>(offset)));
      });
}

// Moves up to `size` bytes between two descriptors, one of them a pipe
// (offset -1: the descriptor's own position, as for pipes and sockets).
inline auto Splice(int fd_in, int64_t offset_in, int fd_out, int64_t offset_out,
                   unsigned size) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_splice(sqe, fd_in, offset_in, fd_out, offset_out, size,
                             0);
      },
      [=] {
        loff_t in = offset_in, out = offset_out;
        return SyscallResult(splice(fd_in, offset_in < 0 ? nullptr : &in,
                                    fd_out, offset_out < 0 ? nullptr : &out,
                                    size, 0));
      });
}

inline auto Fsync(int fd) {
  return IoAwaiter([=](io_uring_sqe* sqe) { io_uring_prep_fsync(sqe, fd, 0); },
                   [=] { return SyscallResult(fsync(fd)); });
}

inline auto Close(int fd) {
  return IoAwaiter([=](io_uring_sqe* sqe) { io_uring_prep_close(sqe, fd); },
                   [=] { return SyscallResult(close(fd)); });
}

}  // namespace shardd::aio

#endif  // SHARDD_AIO_FILE_H_
