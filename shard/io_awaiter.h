// Awaitables for one I/O operation on the current shard, on whichever
// backend it runs (Reactor::backend()). Each operation is described twice:
// how to fill an io_uring SQE, and what to do under the epoll backend. The
// awaiter lives in the awaiting coroutine's frame, so buffers and structs
// it points at stay alive until the operation completes. The result is the
// CQE's `res`, or the system call's result (-errno on failure).
//
//   // A file operation: an SQE, or the blocking call on the offload pool.
//   int n = co_await IoAwaiter(
//       [=](io_uring_sqe* sqe) { io_uring_prep_read(sqe, fd, buf, len, off); },
//       [=] { return SyscallResult(pread(fd, buf, len, off)); });
//   // A descriptor that can be waited for: an SQE, or the non-blocking
//   // call, tried again each time epoll says `fd` is ready (EPOLLIN here).
//   int fd = co_await SocketAwaiter(listen_fd, EPOLLIN,
//       [=](io_uring_sqe* sqe) { io_uring_prep_accept(...); },
//       [=] { return SyscallResult(accept4(listen_fd, ...)); });
//
// Once the shard is stopping, new operations complete at once with
// -ECANCELED, so every task winds down without ever blocking shutdown.
#ifndef SHARDD_SHARD_IO_AWAITER_H_
#define SHARDD_SHARD_IO_AWAITER_H_

#include <liburing.h>

#include <cerrno>
#include <coroutine>
#include <cstdint>
#include <utility>

#include "shard/epoll_backend.h"
#include "shard/readiness_op.h"
#include "shard/reactor.h"

namespace shardd {

// A system call's return value as io_uring reports results: -errno on
// failure.
inline int SyscallResult(long result) {
  return result < 0 ? -errno : static_cast<int>(result);
}

// Fills an SQE with `prepare`; its CQE resumes `completion`'s waiter.
template <typename Prepare>
void PutOnRing(Reactor& reactor, Completion* completion, Prepare& prepare) {
  io_uring_sqe* sqe = reactor.PrepareSqe(completion);
  prepare(sqe);
  io_uring_sqe_set_data(sqe, completion);
}

template <typename Prepare, typename Blocking>
class [[nodiscard]] IoAwaiter {
 public:
  IoAwaiter(Prepare prepare, Blocking blocking)
      : prepare_(std::move(prepare)), blocking_(std::move(blocking)) {}

  bool await_ready() {
    if (Reactor::Current()->stopping()) {
      completion_.result = -ECANCELED;
      return true;
    }
    return false;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    completion_.waiter = waiter;
    Reactor& reactor = *Reactor::Current();
    if (EpollBackend* epoll = reactor.epoll()) {
      epoll->Offload(&completion_, blocking_);
      return;
    }
    PutOnRing(reactor, &completion_, prepare_);
  }
  int await_resume() const { return completion_.result; }

 private:
  Prepare prepare_;
  Blocking blocking_;
  Completion completion_;
};

template <typename Prepare, typename TryCall>
class [[nodiscard]] SocketAwaiter {
 public:
  SocketAwaiter(int fd, uint32_t events, Prepare prepare, TryCall attempt)
      : fd_(fd),
        events_(events),
        prepare_(std::move(prepare)),
        attempt_(std::move(attempt)) {}
  // op_ points at this awaiter: it stays where it was made.
  SocketAwaiter(const SocketAwaiter&) = delete;
  SocketAwaiter& operator=(const SocketAwaiter&) = delete;

  bool await_ready() {
    Reactor& reactor = *Reactor::Current();
    if (reactor.stopping()) {
      completion_.result = -ECANCELED;
      return true;
    }
    if (reactor.epoll() != nullptr) {
      completion_.result = attempt_();
      return completion_.result != -EAGAIN;
    }
    return false;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    completion_.waiter = waiter;
    Reactor& reactor = *Reactor::Current();
    if (EpollBackend* epoll = reactor.epoll()) {
      op_ = {.completion = &completion_,
             .fd = fd_,
             .events = events_,
             .attempt = &SocketAwaiter::Retry,
             .context = this};
      epoll->Watch(&op_);
      return;
    }
    PutOnRing(reactor, &completion_, prepare_);
  }
  int await_resume() const { return completion_.result; }

 private:
  static int Retry(void* self) {
    return static_cast<SocketAwaiter*>(self)->attempt_();
  }

  const int fd_;
  const uint32_t events_;
  Prepare prepare_;
  TryCall attempt_;
  Completion completion_;
  ReadinessOp op_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_IO_AWAITER_H_
