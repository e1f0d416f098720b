#include "shard/kv/exec/key_locks.h"

#include <cassert>

namespace shardd::kv {

bool KeyLocks::Register(LockWaiter* waiter,
                        absl::Span<const std::string_view> keys) {
  waiter->keys_waited_ = 0;
  for (std::string_view key : keys) {
    auto& queue = queues_[key];
    queue.push_back(waiter);
    if (queue.size() > 1) ++waiter->keys_waited_;
  }
  return waiter->keys_waited_ == 0;
}

bool KeyLocks::Acquire(LockWaiter* waiter,
                       absl::Span<const std::string_view> keys) {
  if (later_.empty() && shard_holders_.empty() && Register(waiter, keys)) {
    return true;
  }
  if (!later_.empty() || !shard_holders_.empty()) {
    later_.push_back({waiter, keys, /*whole=*/false, ShardMode::kExclusive});
  }
  ++waits_;
  ++waiting_;
  return false;
}

bool KeyLocks::TryAcquire(LockWaiter* waiter,
                          absl::Span<const std::string_view> keys) {
  bool free = later_.empty() && shard_holders_.empty();
  for (size_t i = 0; free && i < keys.size(); ++i) {
    free = !queues_.contains(keys[i]);
  }
  if (!free) {
    ++tries_refused_;
    return false;
  }
  return Register(waiter, keys);
}

bool KeyLocks::AcquireShard(LockWaiter* waiter, ShardMode mode) {
  if (later_.empty() && ShardFreeFor(mode)) {
    HoldShard(waiter, mode);
    return true;
  }
  later_.push_back({waiter, {}, /*whole=*/true, mode});
  ++waits_;
  ++waiting_;
  return false;
}

bool KeyLocks::TryAcquireShard(LockWaiter* waiter, ShardMode mode) {
  if (later_.empty() && ShardFreeFor(mode)) {
    HoldShard(waiter, mode);
    return true;
  }
  ++tries_refused_;
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
  AdmitLater();
  GrantReady();
}

void KeyLocks::ReleaseShard(LockWaiter* waiter) {
  auto it = absl::c_find(shard_holders_, waiter);
  assert(it != shard_holders_.end());
  shard_holders_.erase(it);
  AdmitLater();
  GrantReady();
}

void KeyLocks::AdmitLater() {
  while (!later_.empty()) {
    const Later next = later_.front();
    if (next.whole) {
      // It waits for every key registered before it.
      if (!ShardFreeFor(next.mode)) return;
      later_.pop_front();
      HoldShard(next.waiter, next.mode);
      ready_.push_back(next.waiter);
      // Readers right behind it share the shard with it.
      if (next.mode == ShardMode::kExclusive) return;
      continue;
    }
    if (!shard_holders_.empty()) return;
    later_.pop_front();
    if (Register(next.waiter, next.keys)) ready_.push_back(next.waiter);
  }
}

void KeyLocks::GrantReady() {
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
