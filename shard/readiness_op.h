// ReadinessOp: one operation as the epoll backend (shard/epoll_backend.h)
// runs it, where io_uring would take an SQE: a non-blocking system call
// (`attempt`) tried when its descriptor is ready, until it no longer says
// -EAGAIN, or until its deadline. Awaitables embed one beside their
// Completion; the backend resumes the completion's waiter with the result.
//
//   op = {.completion = &completion_, .fd = fd, .events = EPOLLIN,
//         .attempt = &TryRecv, .context = this, .deadline = deadline};
//   backend.Watch(&op);
#ifndef SHARDD_SHARD_READINESS_OP_H_
#define SHARDD_SHARD_READINESS_OP_H_

#include <cerrno>
#include <cstdint>
#include <map>

#include "absl/time/time.h"

namespace shardd {

struct Completion;

struct ReadinessOp {
  using DeadlineMap = std::multimap<absl::Time, ReadinessOp*>;

  Completion* completion = nullptr;
  int fd = -1;          // -1: no descriptor, only the deadline ends it
  uint32_t events = 0;  // EPOLLIN or EPOLLOUT
  // The system call, made without blocking: its result, or -EAGAIN.
  int (*attempt)(void* context) = nullptr;
  void* context = nullptr;
  absl::Time deadline = absl::InfiniteFuture();
  // The result when the deadline ends the operation: as io_uring reports a
  // linked timeout's victim (-ECANCELED) or a timeout (-ETIME).
  int expired_result = -ECANCELED;
  // A connection's socket: registered once, edge-triggered, until
  // EpollBackend::Forget (no epoll_ctl per wait). Else one-shot interest
  // is armed for each wait.
  bool persistent = false;
  // Deferred (EpollBackend::Defer) and tried once: -EAGAIN is its result.
  bool try_once = false;

  // The backend's bookkeeping.
  DeadlineMap::iterator deadline_position;
  bool timed = false;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_READINESS_OP_H_
