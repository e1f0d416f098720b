// Timers as awaitables on the shard's ring (IORING_OP_TIMEOUT), so waiting
// costs no thread and no extra file descriptor.
//
//   if (!co_await Delay(absl::Milliseconds(100))) co_return;  // stopping
#ifndef SHARDD_SHARD_TIMER_H_
#define SHARDD_SHARD_TIMER_H_

#include <liburing.h>

#include <cerrno>
#include <coroutine>

#include "absl/time/time.h"
#include "shard/io_awaiter.h"

namespace shardd {

class [[nodiscard]] SleepAwaiter {
 public:
  explicit SleepAwaiter(absl::Duration duration);
  // io_ points at spec_, so the awaiter stays where it was made.
  SleepAwaiter(const SleepAwaiter&) = delete;
  SleepAwaiter& operator=(const SleepAwaiter&) = delete;

  bool await_ready() { return io_.await_ready(); }
  void await_suspend(std::coroutine_handle<> waiter) {
    io_.await_suspend(waiter);
  }
  // True if the full duration elapsed; false if cancelled (shard stopping).
  bool await_resume() const { return io_.await_resume() == -ETIME; }

 private:
  struct PrepareTimeout {
    __kernel_timespec* spec;
    void operator()(io_uring_sqe* sqe) const {
      io_uring_prep_timeout(sqe, spec, 0, 0);
    }
  };
  __kernel_timespec spec_;
  IoAwaiter<PrepareTimeout> io_;
};

inline SleepAwaiter Delay(absl::Duration duration) {
  return SleepAwaiter(duration);
}

}  // namespace shardd

#endif  // SHARDD_SHARD_TIMER_H_
