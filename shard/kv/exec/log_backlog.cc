#include "shard/kv/exec/log_backlog.h"

#include <utility>

#include "shard/kv/exec/kv_shards.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

bool LogBacklogWaiters::Awaiter::await_ready() const {
  return shards_.logs_behind() == 0 || Reactor::Current()->stopping();
}

void LogBacklogWaiters::Awaiter::await_suspend(
    std::coroutine_handle<> session) {
  waiters_.waiting_.push_back(session);
  if (!waiters_.polling_) {
    waiters_.polling_ = true;
    Reactor::Current()->Spawn(waiters_.Poll(shards_));
  }
}

Task<void> LogBacklogWaiters::Poll(KvShards& shards) {
  // The writers are on other shards as often as on this one: a poll spares
  // them knowing who waits, and a log write of up to the limit takes many
  // milliseconds.
  Reactor& reactor = *Reactor::Current();
  while (shards.logs_behind() != 0 && !reactor.stopping()) {
    co_await Delay(absl::Milliseconds(1));
  }
  polling_ = false;
  for (std::coroutine_handle<> session : std::exchange(waiting_, {})) {
    reactor.Schedule(session);
  }
}

LogBacklogWaiters::Awaiter WaitForLogBacklog(KvShards& shards) {
  return LogBacklogWaiters::Awaiter(shards.Local().log_waiters, shards);
}

}  // namespace shardd::kv
