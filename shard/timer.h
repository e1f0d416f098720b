// Timers as awaitables: an IORING_OP_TIMEOUT on the shard's ring (waiting
// costs no thread and no extra file descriptor), or a deadline of the epoll
// backend.
//
//   if (!co_await Delay(absl::Milliseconds(100))) co_return;  // stopping
#ifndef SHARDD_SHARD_TIMER_H_
#define SHARDD_SHARD_TIMER_H_

#include <liburing.h>

#include <cerrno>
#include <coroutine>

#include "absl/time/time.h"
#include "shard/readiness_op.h"
#include "shard/reactor.h"

namespace shardd {

class [[nodiscard]] SleepAwaiter {
 public:
  explicit SleepAwaiter(absl::Duration duration);
  // The ring or the backend points at spec_ and op_: the awaiter stays
  // where it was made.
  SleepAwaiter(const SleepAwaiter&) = delete;
  SleepAwaiter& operator=(const SleepAwaiter&) = delete;

  bool await_ready();
  void await_suspend(std::coroutine_handle<> waiter);
  // True if the full duration elapsed; false if cancelled (shard stopping).
  bool await_resume() const { return completion_.result == -ETIME; }

 private:
  const absl::Duration duration_;
  __kernel_timespec spec_;
  Completion completion_;
  ReadinessOp op_;
};

inline SleepAwaiter Delay(absl::Duration duration) {
  return SleepAwaiter(duration);
}

}  // namespace shardd

#endif  // SHARDD_SHARD_TIMER_H_
