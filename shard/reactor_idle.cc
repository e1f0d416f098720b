// The idle side of the loop (shard/reactor.h): how long it may sleep, the
// optional poll before sleeping, and the sleep itself, announced on the
// doorbell so that no wake-up is lost (docs/architecture.md, "The loop").
#include <liburing.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd {
namespace {

// How long a shard with messages stuck behind a full ring waits for
// completions before retrying the ring.
constexpr int64_t kBacklogPollNanos = 50'000;

// A spin-wait hint: the core may save power and yield to its sibling.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

void Reactor::WaitForWork(std::span<Reactor* const> shards) {
  Reactor& owner = *shards.front();
  // How long the loop may sleep: until the nearest deadline, and only
  // briefly if a peer's ring is full (nothing tells us when it drains).
  absl::Time nearest = absl::InfiniteFuture();
  bool backlog = false;
  for (const Reactor* shard : shards) {
    if (!shard->deadlines_.empty()) {
      nearest = std::min(nearest, shard->deadlines_.begin()->first);
    }
    backlog = backlog || shard->AnyOutgoingBacklog();
    // Messages waiting for the ring of a shard of this thread, which
    // drains it in the next turn: no reason to sleep.
    for (const Reactor* target : shards) {
      if (shard->backlog_[target->shard_id_].empty()) continue;
      if (owner.epoll_ == nullptr) io_uring_submit(owner.ring_);
      return;
    }
  }
  if (owner.epoll_ != nullptr) {
    nearest = std::min(nearest, owner.epoll_->NearestDeadline());
  }
  int64_t timeout_ns = -1;
  if (nearest != absl::InfiniteFuture()) {
    timeout_ns =
        std::max<int64_t>(0, absl::ToInt64Nanoseconds(nearest - absl::Now()));
  }
  if (backlog) {
    timeout_ns = timeout_ns < 0 ? kBacklogPollNanos
                                : std::min(timeout_ns, kBacklogPollNanos);
  }
  // Polling never outlasts the nearest deadline (a userspace one expires
  // only when the loop turns), and the sleep after it waits only for what
  // is left of the timeout. (Shards that share a thread share a CPU, where
  // polling is never allowed.)
  const uint64_t idle_poll_ns = owner.idle_poll_ns_;
  if (shards.size() == 1 && idle_poll_ns > 0 && timeout_ns != 0 &&
      owner.epoll_ == nullptr) {
    const uint64_t limit_ns =
        timeout_ns < 0 ? idle_poll_ns
                       : std::min<uint64_t>(idle_poll_ns, timeout_ns);
    if (owner.PollBeforeSleeping(limit_ns)) return;
    if (timeout_ns >= 0) {
      timeout_ns -= static_cast<int64_t>(limit_ns);
      if (timeout_ns <= 0) return;
    }
  }
  for (Reactor* shard : shards) {
    shard->mesh_.BellOf(shard->shard_id_).AnnounceSleep();
  }
  bool work = false;
  for (const Reactor* shard : shards) {
    work = work || shard->AnyIncomingMessages() ||
           shard->stop_requested_.load(std::memory_order_acquire) !=
               shard->stopping_;
  }
  if (work) {
    for (Reactor* shard : shards) shard->mesh_.BellOf(shard->shard_id_).Awake();
    if (owner.epoll_ != nullptr) {
      owner.epoll_->Wait(0);
    } else {
      io_uring_submit(owner.ring_);
    }
    return;
  }
  const uint64_t idle_from = stats::MonotonicNanos();
  if (owner.epoll_ != nullptr) {
    owner.epoll_->Wait(timeout_ns);
  } else if (timeout_ns < 0) {
    io_uring_submit_and_wait(owner.ring_, 1);
  } else {
    __kernel_timespec timeout{.tv_sec = timeout_ns / 1'000'000'000,
                              .tv_nsec = timeout_ns % 1'000'000'000};
    io_uring_cqe* cqe = nullptr;
    io_uring_submit_and_wait_timeout(owner.ring_, &cqe, 1, &timeout, nullptr);
  }
  // Each shard's share of the thread's idle time (busy_ns: RunTogether).
  const uint64_t idle_ns =
      (stats::MonotonicNanos() - idle_from) / shards.size();
  for (Reactor* shard : shards) {
    if (timeout_ns != 0) ++shard->stats_.sleeps;
    shard->stats_.idle_ns += idle_ns;
    shard->mesh_.BellOf(shard->shard_id_).Awake();
  }
}

bool Reactor::PollBeforeSleeping(uint64_t limit_ns) {
  // What was prepared this turn must reach the kernel before we watch for
  // its completions.
  io_uring_submit(ring_);
  const uint64_t from = stats::MonotonicNanos();
  uint64_t now = from;
  bool found = false;
  do {
    // TASKRUN: the kernel has completion work waiting for our next enter.
    if (AnyIncomingMessages() || io_uring_cq_ready(ring_) > 0 ||
        (IO_URING_READ_ONCE(*ring_->sq.kflags) & IORING_SQ_TASKRUN) != 0 ||
        stop_requested_.load(std::memory_order_acquire) != stopping_) {
      io_uring_submit(ring_);
      found = true;
      break;
    }
    CpuRelax();
    now = stats::MonotonicNanos();
  } while (now - from < limit_ns);
  // Polling is waiting, not work: it counts as idle time.
  stats_.idle_ns += now - from;
  return found;
}

}  // namespace shardd
