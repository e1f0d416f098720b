// KeyLocks: one shard's table of per-key locks, the base of atomicity across
// shards (transaction.h). Every lock is exclusive and every key's waiters
// form a FIFO: whoever registered first holds the key, the rest wait in
// order, so no one starves. A command over the whole keyspace (FLUSHALL,
// DBSIZE, KEYS, SCAN) locks the whole shard: it waits for every key waiter
// registered before it, and every waiter registered after it waits for it.
// The whole shard may be held shared, by commands that only read it
// (DBSIZE, KEYS, SCAN, RANDOMKEY): those that come in a row, with no other
// waiter between them, hold it together.
//
//   // a waiter registers all its keys on this shard in one step
//   if (locks.Acquire(&waiter, keys)) Run(); else /* waiter.Granted() later */;
//   ...
//   locks.Release(&waiter, keys);   // grants the next waiter of each key
//   if (locks.AcquireShard(&whole)) Run(); ... locks.ReleaseShard(&whole);
//   if (locks.AcquireShard(&reader, ShardMode::kShared)) ...
//
// Registration in one step per shard is what rules out deadlock within a
// shard: two waiters meet in the same order in every queue they share.
// Across shards, a transaction registers shard by shard in ascending order
// (transaction.h). A command on a key nobody locks pays one check of the
// table's emptiness (empty()); only a command that meets a queued key waits.
#ifndef SHARDD_SHARD_KV_EXEC_KEY_LOCKS_H_
#define SHARDD_SHARD_KV_EXEC_KEY_LOCKS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {

// How a whole-shard waiter holds the shard: alone, or with other readers.
enum class ShardMode { kExclusive, kShared };

// Whatever waits for keys: a transaction's part on this shard, or one
// command that met a locked key.
class LockWaiter {
 public:
  virtual ~LockWaiter() = default;
  // Every key this waiter registered (or the whole shard) is now its own.
  // Called on the shard of the table; the waiter may release from here.
  virtual void Granted() = 0;

 private:
  friend class KeyLocks;
  uint32_t keys_waited_ = 0;  // keys where someone is still ahead of it
};

class KeyLocks {
 public:
  KeyLocks() = default;
  KeyLocks(const KeyLocks&) = delete;
  KeyLocks& operator=(const KeyLocks&) = delete;

  // True when nothing is locked: the one check an ordinary command pays.
  bool empty() const {
    return queues_.empty() && later_.empty() && shard_holders_.empty();
  }

  // Whether a command on `key` must wait: someone holds it or waits for it,
  // or holds or waits for the whole shard.
  bool Queued(std::string_view key) const {
    return !shard_holders_.empty() || !later_.empty() || queues_.contains(key);
  }

  // Whether `waiter` holds `key` (it is first in the key's queue, or holds
  // the whole shard, alone or shared).
  bool HeldBy(std::string_view key, const LockWaiter* waiter) const {
    if (!shard_holders_.empty()) {
      return absl::c_linear_search(shard_holders_, waiter);
    }
    auto it = queues_.find(key);
    return it != queues_.end() && it->second.front() == waiter;
  }

  // Registers `waiter` for `keys` (distinct) in one step. Returns true if
  // it holds them all at once; otherwise its Granted() runs once the last
  // of them comes to it. `keys` must stay valid until it is granted.
  bool Acquire(LockWaiter* waiter, absl::Span<const std::string_view> keys);

  // Registers `waiter` for `keys` only if it holds them all at once: no one
  // holds or waits for any of them, nor for the whole shard. Otherwise it
  // registers nothing, counts a refusal and returns false. A transaction
  // may thus ask every shard at once without waiting on any of them, which
  // is what keeps it out of deadlocks (transaction.h).
  bool TryAcquire(LockWaiter* waiter, absl::Span<const std::string_view> keys);

  // `waiter`, which holds `keys`, lets them go; each key's next waiter
  // moves up, and those that now hold all their keys are granted, in the
  // order they became ready.
  void Release(LockWaiter* waiter, absl::Span<const std::string_view> keys);

  // The same for the whole shard. kShared joins the readers holding it
  // if no other waiter is queued (a writer waiting for them goes first).
  bool AcquireShard(LockWaiter* waiter, ShardMode mode = ShardMode::kExclusive);
  bool TryAcquireShard(LockWaiter* waiter,
                       ShardMode mode = ShardMode::kExclusive);
  void ReleaseShard(LockWaiter* waiter);

  // Whether `waiter` holds the whole shard, alone: the last of its
  // holders, whose release serves the blocked clients no one could serve
  // while the shard was held (ServeEveryKey).
  bool SoleShardHolder(const LockWaiter* waiter) const {
    return shard_holders_.size() == 1 && shard_holders_.front() == waiter;
  }

  // Waits that had to queue, since the start.
  uint64_t waits() const { return waits_; }
  // TryAcquire calls refused, since the start.
  uint64_t tries_refused() const { return tries_refused_; }
  // Waiters registered and not yet granted.
  size_t waiting() const { return waiting_; }

 private:
  // A registration that came while the whole shard was held or waited for:
  // a key waiter's (keys set) or a whole-shard waiter's (keys empty).
  struct Later {
    LockWaiter* waiter;
    absl::Span<const std::string_view> keys;
    bool whole;
    ShardMode mode;  // if whole
  };
  // Whether a whole-shard waiter in `mode` may hold the shard now: no key
  // is held or waited for, and the shard is free or held shared by readers
  // it may join.
  bool ShardFreeFor(ShardMode mode) const {
    return queues_.empty() &&
           (shard_holders_.empty() ||
            (mode == ShardMode::kShared && shard_mode_ == ShardMode::kShared));
  }
  void HoldShard(LockWaiter* waiter, ShardMode mode) {
    shard_holders_.push_back(waiter);
    shard_mode_ = mode;
  }
  // Registers `waiter` in the key queues; true if it holds them all.
  bool Register(LockWaiter* waiter, absl::Span<const std::string_view> keys);
  // Lets the registrations that wait behind a whole-shard waiter in, in
  // order, as far as the whole shard allows.
  void AdmitLater();
  // Grants every ready waiter, unless a grant is already under way (a
  // waiter granted may release at once, which comes back here).
  void GrantReady();

  absl::flat_hash_map<std::string, absl::InlinedVector<LockWaiter*, 2>,
                      StringViewHash, std::equal_to<>>
      queues_;
  std::deque<Later> later_;
  // Who holds the whole shard: one waiter, or any number of readers; and
  // how (meaningless while no one does).
  absl::InlinedVector<LockWaiter*, 1> shard_holders_;
  ShardMode shard_mode_ = ShardMode::kExclusive;
  // Waiters ready to be granted, in the order they became ready.
  std::deque<LockWaiter*> ready_;
  bool granting_ = false;
  uint64_t waits_ = 0;
  uint64_t tries_refused_ = 0;
  size_t waiting_ = 0;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_KEY_LOCKS_H_
