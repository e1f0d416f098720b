#include "shard/kv/exec/key_locks.h"

#include <cassert>

namespace shardd::kv {

bool KeyLocks::Acquire(LockWaiter* waiter,
                       absl::Span<const std::string_view> keys) {
  waiter->keys_waited_ = 0;
  for (std::string_view key : keys) {
    auto& queue = queues_[key];
    queue.push_back(waiter);
    if (queue.size() > 1) ++waiter->keys_waited_;
  }
  if (waiter->keys_waited_ == 0) return true;
  ++waits_;
  ++waiting_;
  return false;
}

void KeyLocks::Release([[maybe_unused]] LockWaiter* waiter,
                       absl::Span<const std::string_view> keys) {
  for (std::string_view key : keys) {
    auto it = queues_.find(key);
    assert(it != queues_.end() && it->second.front() == waiter);
    auto& queue = it->second;
    queue.erase(queue.begin());
    if (queue.empty()) {
      queues_.erase(it);
      continue;
    }
    LockWaiter* next = queue.front();
    if (--next->keys_waited_ == 0) ready_.push_back(next);
  }
  // A waiter granted here may release at once (a single command), which
  // comes back here: the outer call keeps granting.
  if (granting_) return;
  granting_ = true;
  while (!ready_.empty()) {
    LockWaiter* next = ready_.front();
    ready_.pop_front();
    --waiting_;
    next->Granted();
  }
  granting_ = false;
}

}  // namespace shardd::kv
