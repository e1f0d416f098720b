#include "shard/epoll_backend.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "shard/offload_pool.h"
#include "shard/reactor.h"

namespace shardd {
namespace {

constexpr int kMaxEvents = 256;

// Conditions that end a wait in either direction: the operation's own
// system call then reports what happened.
constexpr uint32_t kTrouble = EPOLLERR | EPOLLHUP;

void Resume(Completion* completion, int result) {
  completion->result = result;
  completion->flags = 0;
  if (completion->on_complete != nullptr) {
    completion->on_complete(completion);
  } else {
    completion->waiter.resume();
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<EpollBackend>> EpollBackend::Create(
    int doorbell_fd) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    return absl::InternalError(
        absl::StrCat("epoll_create1: ", std::strerror(errno)));
  }
  // The doorbell stays in the set, level-triggered: readable means woken.
  epoll_event event{.events = EPOLLIN, .data = {.fd = doorbell_fd}};
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, doorbell_fd, &event) != 0) {
    const int error = errno;
    close(epoll_fd);
    return absl::InternalError(
        absl::StrCat("epoll_ctl(doorbell): ", std::strerror(error)));
  }
  return std::unique_ptr<EpollBackend>(new EpollBackend(epoll_fd, doorbell_fd));
}

EpollBackend::EpollBackend(int epoll_fd, int doorbell_fd)
    : epoll_fd_(epoll_fd), doorbell_fd_(doorbell_fd) {}

EpollBackend::~EpollBackend() {
  // An offloaded job that delivered the last result may still be inside
  // its critical section.
  std::lock_guard lock(finished_mutex_);
  close(epoll_fd_);
}

void EpollBackend::Watch(ReadinessOp* op) {
  // An operation without a descriptor is found through the deadlines even
  // without one, so that stopping ends it.
  op->timed = op->deadline != absl::InfiniteFuture() || op->fd < 0;
  if (op->timed) op->deadline_position = deadlines_.emplace(op->deadline, op);
  if (op->fd < 0) return;
  if (static_cast<size_t>(op->fd) >= fds_.size()) {
    fds_.resize(std::max<size_t>(op->fd + 1, 2 * fds_.size()));
  }
  FdWaiters& waiters = fds_[op->fd];
  ((op->events & EPOLLOUT) != 0 ? waiters.out : waiters.in) = op;
  if (!op->persistent) {
    Arm(op->fd);
    return;
  }
  // The caller's call said -EAGAIN (or MayBeReady said it would): only a
  // new edge makes it worth trying again.
  waiters.ready &= ~op->events;
  if (waiters.persistent) return;
  const int error = RegisterPersistent(op->fd);
  if (error != 0 && !TryComplete(op)) Finish(op, -error);
}

int EpollBackend::RegisterPersistent(int fd) {
  // Registered once; the kernel reports the current state at once.
  epoll_event event{.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                    .data = {.fd = fd}};
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0 ||
      (errno == EEXIST &&
       epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0)) {
    fds_[fd].added = fds_[fd].persistent = true;
    return 0;
  }
  return errno;
}

void EpollBackend::WatchHangup(int fd, Completion* completion) {
  if (static_cast<size_t>(fd) >= fds_.size()) {
    fds_.resize(std::max<size_t>(fd + 1, 2 * fds_.size()));
  }
  if (fds_[fd].closed) {
    Resume(completion, EPOLLRDHUP);
    return;
  }
  fds_[fd].hangup = completion;
  if (fds_[fd].persistent) return;
  // Not registered yet (every receive so far found bytes at once): the
  // registration reports a hang-up that already came.
  const int error = RegisterPersistent(fd);
  if (error != 0) {
    fds_[fd].hangup = nullptr;
    Resume(completion, -error);
  }
}

void EpollBackend::Arm(int fd) {
  FdWaiters& waiters = fds_[fd];
  const uint32_t interest = (waiters.in != nullptr ? EPOLLIN : 0u) |
                            (waiters.out != nullptr ? EPOLLOUT : 0u);
  if (interest == 0) return;  // one-shot: nothing armed stays armed
  epoll_event event{.events = interest | EPOLLONESHOT, .data = {.fd = fd}};
  // A descriptor number seen before may belong to a new socket (closing
  // one takes it out of the set): MOD then finds nothing and ADD follows.
  if (waiters.added && epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0) {
    return;
  }
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0 ||
      (errno == EEXIST &&
       epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0)) {
    waiters.added = true;
    return;
  }
  // Not pollable (or closed): the waiting operations' own calls say why.
  const int error = errno;
  for (ReadinessOp* op : {waiters.in, waiters.out}) {
    if (op != nullptr && !TryComplete(op)) Finish(op, -error);
    // (TryComplete may have grown fds_: `waiters` is not used again.)
  }
}

void EpollBackend::OnReady(int fd, uint32_t revents) {
  // Trouble (an error, a hang-up) makes both directions worth a try.
  if ((revents & (kTrouble | EPOLLRDHUP)) != 0) {
    revents |= EPOLLIN | EPOLLOUT;
    fds_[fd].closed = fds_[fd].persistent;
    if (Completion* hangup = std::exchange(fds_[fd].hangup, nullptr)) {
      Resume(hangup, static_cast<int>(revents));
    }
  }
  if (fds_[fd].persistent) fds_[fd].ready |= revents & (EPOLLIN | EPOLLOUT);
  // fds_[fd] is looked up again after each attempt: completing resumes a
  // coroutine, whose next operation may grow fds_ (or close the socket).
  if (fds_[fd].in != nullptr && (revents & EPOLLIN) != 0) {
    TryComplete(fds_[fd].in);
  }
  if (fds_[fd].out != nullptr && (revents & EPOLLOUT) != 0) {
    TryComplete(fds_[fd].out);
  }
  if (!fds_[fd].persistent) Arm(fd);
}

bool EpollBackend::TryComplete(ReadinessOp* op) {
  const int result = op->attempt(op->context);
  if (result == -EAGAIN) {
    if (op->persistent) fds_[op->fd].ready &= ~op->events;
    return false;
  }
  Finish(op, result);
  return true;
}

void EpollBackend::Finish(ReadinessOp* op, int result) {
  if (op->timed) {
    deadlines_.erase(op->deadline_position);
    op->timed = false;
  }
  if (op->fd >= 0) {
    FdWaiters& waiters = fds_[op->fd];
    if (waiters.in == op) waiters.in = nullptr;
    if (waiters.out == op) waiters.out = nullptr;
  }
  Resume(op->completion, result);
}

void EpollBackend::Offload(Completion* completion, std::function<int()> work) {
  OffloadPool::Get().Run([this, completion, work = std::move(work)] {
    const int result = work();
    // All under the lock, which the destructor takes too: once the shard
    // has run this result its loop may end and this backend go.
    std::lock_guard lock(finished_mutex_);
    finished_.emplace_back(completion, result);
    any_finished_.store(true, std::memory_order_release);
    const uint64_t one = 1;
    while (write(doorbell_fd_, &one, sizeof(one)) < 0 && errno == EINTR) {
    }
  });
}

void EpollBackend::RunFinished() {
  if (!any_finished_.exchange(false, std::memory_order_acq_rel)) return;
  {
    std::lock_guard lock(finished_mutex_);
    running_.swap(finished_);
  }
  for (auto [completion, result] : running_) Resume(completion, result);
  running_.clear();
}

void EpollBackend::RunDeferred() {
  // Completing resumes coroutines, which may defer more: those wait for
  // the next round, after this epoll_wait.
  running_deferred_.swap(deferred_);
  for (ReadinessOp* op : running_deferred_) {
    const int result = op->attempt(op->context);
    if (result != -EAGAIN || op->try_once) {
      Resume(op->completion, result);
    } else {
      Watch(op);
    }
  }
  running_deferred_.clear();
}

void EpollBackend::Wait(int64_t timeout_ns) {
  int timeout_ms = -1;
  if (timeout_ns >= 0) {
    // Rounded up: waking before a deadline would only make the loop wait
    // again.
    timeout_ms = static_cast<int>(
        std::min<int64_t>((timeout_ns + 999'999) / 1'000'000, 1 << 30));
  }
  if (HasFinishedWork()) timeout_ms = 0;
  epoll_event events[kMaxEvents];
  const int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  // Hang-ups first: epoll lists a descriptor where it first became ready (a
  // client's EPOLLOUT edge may put its later request ahead of another
  // client's FIN), and a blocked client that left must be let go before a
  // push that came after its hang-up runs (HangupWatch).
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == doorbell_fd_ ||
        (events[i].events & (kTrouble | EPOLLRDHUP)) == 0 ||
        static_cast<size_t>(fd) >= fds_.size()) {
      continue;
    }
    if (Completion* hangup = std::exchange(fds_[fd].hangup, nullptr)) {
      Resume(hangup, static_cast<int>(events[i].events));
    }
  }
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == doorbell_fd_) {
      uint64_t value = 0;
      // Drains the counter; it is readable only when rung.
      const ssize_t read_bytes = read(doorbell_fd_, &value, sizeof(value));
      static_cast<void>(read_bytes);
      continue;
    }
    OnReady(fd, events[i].events);
  }
  RunFinished();
}

absl::Time EpollBackend::NearestDeadline() const {
  return deadlines_.empty() ? absl::InfiniteFuture()
                            : deadlines_.begin()->first;
}

void EpollBackend::ExpireDeadlines(absl::Time now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    ReadinessOp* op = deadlines_.begin()->second;
    Finish(op, op->expired_result);
  }
}

void EpollBackend::CancelAll() {
  // Safe to walk fds_ while completing: a stopping shard's awaitables end
  // at once and never Watch again, so nothing grows it meanwhile.
  std::vector<ReadinessOp*> deferred;
  deferred.swap(deferred_);
  for (ReadinessOp* op : deferred) Resume(op->completion, -ECANCELED);
  while (!deadlines_.empty()) {
    Finish(deadlines_.begin()->second, -ECANCELED);
  }
  for (FdWaiters& waiters : fds_) {
    for (ReadinessOp* op : {waiters.in, waiters.out}) {
      if (op != nullptr) Finish(op, -ECANCELED);
    }
    if (Completion* hangup = std::exchange(waiters.hangup, nullptr)) {
      Resume(hangup, -ECANCELED);
    }
  }
}

}  // namespace shardd
