// EpollBackend: how a shard's loop does I/O where io_uring is unavailable
// (setup refused by a seccomp filter or kernel.io_uring_disabled, or
// --io_backend=epoll), behind the same awaitables (cf. Redis's ae_epoll.c
// beside ae.c). Sockets: the awaitable tries its non-blocking system call;
// on -EAGAIN it hands a ReadinessOp here, which is tried again each time
// epoll says its descriptor is ready, and completes once it no longer says
// -EAGAIN or its deadline passes. Files: the blocking call runs on the
// OffloadPool and its result comes back through this shard's doorbell.
//
//   backend.Watch(&op);          // completes op.completion later
//   backend.Offload(&completion, [=] { return pread(...); });
//   backend.Wait(timeout_ns);    // in the loop: dispatch what is ready
//
// At most one operation per descriptor and direction waits at a time (a
// connection's coroutine receives or sends; it does not do both at once).
#ifndef SHARDD_SHARD_EPOLL_BACKEND_H_
#define SHARDD_SHARD_EPOLL_BACKEND_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "shard/readiness_op.h"

namespace shardd {

struct Completion;

class EpollBackend {
 public:
  // `doorbell_fd`: the shard's eventfd, which other shards and offloaded
  // work write to wake it.
  static absl::StatusOr<std::unique_ptr<EpollBackend>> Create(int doorbell_fd);
  ~EpollBackend();
  EpollBackend(const EpollBackend&) = delete;
  EpollBackend& operator=(const EpollBackend&) = delete;

  // Waits for `op`'s descriptor (or only its deadline), then completes it.
  // The caller has just tried the call (it said -EAGAIN), or skipped it
  // because MayBeReady said no.
  void Watch(ReadinessOp* op);

  // False only for a persistent descriptor (ReadinessOp::persistent) on
  // which no `events` edge came since its call last said -EAGAIN: trying
  // the call again would only cost a system call.
  bool MayBeReady(int fd, uint32_t events) const {
    if (fd < 0 || static_cast<size_t>(fd) >= fds_.size()) return true;
    const FdWaiters& waiters = fds_[fd];
    return !waiters.persistent || waiters.closed ||
           (waiters.ready & events) != 0;
  }

  // A call on persistent `fd` took everything there was (a short read):
  // until the next edge, trying again would only say -EAGAIN.
  void Drained(int fd, uint32_t events) {
    if (static_cast<size_t>(fd) < fds_.size() && fds_[fd].persistent) {
      fds_[fd].ready &= ~events;
    }
  }

  // Completes `completion` with the events once `fd`'s peer hangs up or the
  // socket fails (at once if it already did), whether or not an operation
  // waits on `fd`; -ECANCELED if the shard stops first. One per descriptor;
  // a connection's socket (ReadinessOp::persistent). ForgetHangup() takes
  // it back before that.
  void WatchHangup(int fd, Completion* completion);
  void ForgetHangup(int fd) {
    if (fd >= 0 && static_cast<size_t>(fd) < fds_.size()) {
      fds_[fd].hangup = nullptr;
    }
  }

  // The connection whose socket `fd` is closes it next: its persistent
  // registration is forgotten (the number may come back as a new socket).
  void Forget(int fd) {
    if (fd >= 0 && static_cast<size_t>(fd) < fds_.size()) fds_[fd] = {};
  }

  // Tries `op` at the end of the loop turn, just before the loop waits for
  // events, with every other operation deferred this turn, then waits for
  // it as Watch does (or not, if op->try_once). For sends: io_uring
  // submits a turn's sends together, so a client that gets replies on
  // several connections is woken once; sent one by one as each is ready,
  // each would wake it again.
  void Defer(ReadinessOp* op) { deferred_.push_back(op); }
  // Tries the deferred operations: the loop calls it once per turn, before
  // it publishes its messages and decides whether to sleep (completing
  // resumes coroutines, which may make more work).
  void RunDeferred();

  // Runs `work` on the OffloadPool; its result completes `completion`
  // (resuming its waiter) on this shard's loop.
  void Offload(Completion* completion, std::function<int()> work);

  // Waits up to `timeout_ns` (-1: without limit, 0: only looks) for ready
  // descriptors, a doorbell or finished offloaded work, and completes the
  // operations they concern.
  void Wait(int64_t timeout_ns);

  // Whether completions wait to be run, or deferred operations.
  bool HasFinishedWork() const {
    return !deferred_.empty() || any_finished_.load(std::memory_order_acquire);
  }

  // The nearest operation deadline (InfiniteFuture if none), and expiry.
  absl::Time NearestDeadline() const;
  void ExpireDeadlines(absl::Time now);

  // Completes every waiting operation with -ECANCELED (the shard stops).
  // Offloaded work cannot be cancelled: it completes when it is done.
  void CancelAll();

 private:
  struct FdWaiters {
    ReadinessOp* in = nullptr;
    ReadinessOp* out = nullptr;
    bool added = false;  // in the epoll set (one-shot, re-armed per wait)
    bool persistent = false;  // registered for good, edge-triggered
    uint32_t ready = 0;  // persistent: edges since the last -EAGAIN
    // Persistent: the peer closed (or the socket failed). Sticky: the FIN
    // may be read with the last bytes by one short read, and no edge will
    // come again to say so, so every call is worth making from then on.
    bool closed = false;
    Completion* hangup = nullptr;  // WatchHangup()
  };

  EpollBackend(int epoll_fd, int doorbell_fd);
  // Registers `fd`'s current interest with epoll.
  void Arm(int fd);
  // Registers `fd` for good, edge-triggered; the error if epoll refused.
  int RegisterPersistent(int fd);
  void OnReady(int fd, uint32_t revents);
  // Attempts `op`: true (and completed) unless it said -EAGAIN.
  bool TryComplete(ReadinessOp* op);
  void Finish(ReadinessOp* op, int result);
  void RunFinished();

  const int epoll_fd_;
  const int doorbell_fd_;
  std::vector<FdWaiters> fds_;  // indexed by descriptor
  std::vector<ReadinessOp*> deferred_;
  std::vector<ReadinessOp*> running_deferred_;
  ReadinessOp::DeadlineMap deadlines_;

  // Offloaded work that finished, posted by pool threads.
  std::mutex finished_mutex_;
  std::vector<std::pair<Completion*, int>> finished_;  // guarded
  std::vector<std::pair<Completion*, int>> running_;   // loop thread only
  std::atomic<bool> any_finished_{false};
};

}  // namespace shardd

#endif  // SHARDD_SHARD_EPOLL_BACKEND_H_
