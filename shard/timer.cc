#include "shard/timer.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace shardd {

SleepAwaiter::SleepAwaiter(absl::Duration duration)
    : duration_(std::max(duration, absl::ZeroDuration())), spec_{} {
  const int64_t nanos = absl::ToInt64Nanoseconds(duration_);
  spec_.tv_sec = nanos / 1'000'000'000;
  spec_.tv_nsec = nanos % 1'000'000'000;
}

bool SleepAwaiter::await_ready() {
  if (Reactor::Current()->stopping()) {
    completion_.result = -ECANCELED;
    return true;
  }
  return false;
}

void SleepAwaiter::await_suspend(std::coroutine_handle<> waiter) {
  completion_.waiter = waiter;
  Reactor& reactor = *Reactor::Current();
  if (EpollBackend* epoll = reactor.epoll()) {
    op_ = {.completion = &completion_,
           .deadline = absl::Now() + duration_,
           .expired_result = -ETIME};
    epoll->Watch(&op_);
    return;
  }
  io_uring_sqe* sqe = reactor.PrepareSqe(&completion_);
  io_uring_prep_timeout(sqe, &spec_, 0, 0);
  io_uring_sqe_set_data(sqe, &completion_);
}

}  // namespace shardd
