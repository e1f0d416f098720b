// WriteAndSync: one positional write followed by an fdatasync of the same
// file, as one awaitable. On io_uring the two SQEs are linked
// (IOSQE_IO_LINK), so they go to the kernel in one submission and the sync
// starts only once the write is done; a failed or short write cancels the
// sync (-ECANCELED). Under the epoll backend both calls run in turn on the
// offload pool.
//
//   WriteAndSync op(fd, data, size, offset);
//   co_await op;
//   if (op.written() == size && op.synced() == 0) ... durable ...
#ifndef SHARDD_AIO_LOG_WRITE_AND_SYNC_H_
#define SHARDD_AIO_LOG_WRITE_AND_SYNC_H_

#include <liburing.h>
#include <unistd.h>

#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdint>

#include "shard/io_awaiter.h"
#include "shard/reactor.h"

namespace shardd::aio {

class [[nodiscard]] WriteAndSync {
 public:
  WriteAndSync(int fd, const char* data, size_t size, uint64_t offset)
      : fd_(fd), data_(data), size_(size), offset_(offset) {}

  bool await_ready() {
    if (!Reactor::Current()->stopping()) return false;
    write_.result = sync_.result = -ECANCELED;
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    sync_.waiter = waiter;
    Reactor& reactor = *Reactor::Current();
    if (EpollBackend* epoll = reactor.epoll()) {
      epoll->Offload(&sync_, [this] { return Blocking(); });
      return;
    }
    // The write's CQE only records its result; the sync's resumes.
    write_.on_complete = [](Completion*) {};
    reactor.ReserveSqes(2);
    io_uring_sqe* write = reactor.PrepareSqe(&write_);
    io_uring_prep_write(write, fd_, data_, static_cast<unsigned>(size_),
                        offset_);
    io_uring_sqe_set_data(write, &write_);
    write->flags |= IOSQE_IO_LINK;
    io_uring_sqe* sync = reactor.PrepareSqe(&sync_);
    io_uring_prep_fsync(sync, fd_, IORING_FSYNC_DATASYNC);
    io_uring_sqe_set_data(sync, &sync_);
  }
  void await_resume() const {}

  // Bytes written, or -errno.
  int written() const { return write_.result; }
  // 0 once the data is on stable storage; -errno otherwise (-ECANCELED if
  // the write fell short).
  int synced() const { return sync_.result; }

 private:
  // Under the epoll backend, on the pool: both results in one go.
  int Blocking() {
    write_.result = SyscallResult(pwrite(fd_, data_, size_,
                                         static_cast<off_t>(offset_)));
    if (write_.result != static_cast<int>(size_)) return -ECANCELED;
    return SyscallResult(fdatasync(fd_));
  }

  int fd_;
  const char* data_;
  size_t size_;
  uint64_t offset_;
  Completion write_;
  Completion sync_;
};

// fdatasync(2) of `fd` on the ring (or the offload pool).
inline auto DataSync(int fd) {
  return IoAwaiter(
      [=](io_uring_sqe* sqe) {
        io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
      },
      [=] { return SyscallResult(fdatasync(fd)); });
}

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_WRITE_AND_SYNC_H_
