// IoAwaiter: co_await one io_uring operation on the current shard's ring. The
// operation is described by a callable that fills the SQE; the awaiter lives in
// the awaiting coroutine's frame, so buffers and timespecs it points at stay
// alive until the completion arrives. The result is the CQE's `res`.
//
//   int n = co_await IoAwaiter([&](io_uring_sqe* sqe) {
//     io_uring_prep_recv(sqe, fd, buf, len, 0);
//   });
//
// Once the shard is stopping, new operations complete at once with
// -ECANCELED, so every task winds down without ever blocking shutdown.
#ifndef SHARDD_SHARD_IO_AWAITER_H_
#define SHARDD_SHARD_IO_AWAITER_H_

#include <liburing.h>

#include <cerrno>
#include <coroutine>
#include <utility>

#include "shard/reactor.h"

namespace shardd {

template <typename Prepare>
class [[nodiscard]] IoAwaiter {
 public:
  explicit IoAwaiter(Prepare prepare) : prepare_(std::move(prepare)) {}

  bool await_ready() {
    if (Reactor::Current()->stopping()) {
      completion_.result = -ECANCELED;
      return true;
    }
    return false;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    completion_.waiter = waiter;
    io_uring_sqe* sqe = Reactor::Current()->PrepareSqe(&completion_);
    prepare_(sqe);
    io_uring_sqe_set_data(sqe, &completion_);
  }
  int await_resume() const { return completion_.result; }

 private:
  Prepare prepare_;
  Completion completion_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_IO_AWAITER_H_
