#include "shard/wakeable_wait.h"

#include <utility>

#include "shard/reactor.h"

namespace shardd {

WakeableWait::~WakeableWait() {
  if (armed_) Reactor::Current()->CancelDeadline(this);
}

void WakeableWait::Wake() {
  // Too late: the deadline already ended this wait, and its resumption is
  // queued; the waiter must see the timeout, not a wake-up.
  if (expired_) return;
  woken_ = true;
  if (!waiter_) return;
  if (armed_) Reactor::Current()->CancelDeadline(this);
  // Resumed from the ready queue, not from inside the caller (which may be
  // in the middle of running a command).
  Reactor::Current()->Schedule(std::exchange(waiter_, {}));
}

void WakeableWait::Expire() {
  armed_ = false;
  expired_ = true;
  if (waiter_) Reactor::Current()->Schedule(std::exchange(waiter_, {}));
}

bool WakeableWait::Awaiter::await_ready() {
  return wait_.woken_ || Reactor::Current()->stopping() ||
         (deadline_ != absl::InfiniteFuture() && deadline_ <= absl::Now());
}

void WakeableWait::Awaiter::await_suspend(std::coroutine_handle<> waiter) {
  wait_.waiter_ = waiter;
  // Registered even without a deadline, so that stopping ends it.
  Reactor::Current()->AddDeadline(deadline_, &wait_);
}

bool WakeableWait::Awaiter::await_resume() {
  wait_.expired_ = false;
  return std::exchange(wait_.woken_, false);
}

}  // namespace shardd
