#include "shard/kv/exec/transaction.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "shard/kv/exec/blocking.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"

namespace shardd::kv {

// co_await-able registration of one part; see the flow in the header.
class Transaction::LockAwaiter {
 public:
  explicit LockAwaiter(Part& part) : part_(part) {}

  bool await_ready() {
    if (part_.shard_ != part_.home_) return false;
    part_.state_ = Part::State::kAcquiring;
    if (!part_.AcquireHere()) return false;
    part_.Granted();
    return true;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    part_.waiter_ = waiter;
    if (part_.shard_ != part_.home_) {
      part_.state_ = Part::State::kAcquiring;
      Reactor::Current()->Send(part_.shard_, &part_);
    }
  }
  void await_resume() {}

 private:
  Part& part_;
};

// co_await-able step of the first `count` parts at once (those it applies
// to): the home part's here, the others' on their owners; resumes once all
// are back. The step is a try (Part::TryHere) or a held part's hook
// (Part::RunHook).
class Transaction::AtOnceAwaiter {
 public:
  AtOnceAwaiter(Transaction& tx, Part::State step, size_t count)
      : tx_(tx), step_(step), count_(count) {}

  bool await_ready() {
    size_t remote = 0;
    for (size_t i = 0; i < count_; ++i) {
      Part& part = *tx_.parts_[i];
      if (!AppliesTo(part)) continue;
      if (part.shard_ != part.home_) {
        ++remote;
      } else if (step_ == Part::State::kTrying) {
        part.TryHere();
      } else {
        part.RunHook();
      }
    }
    tx_.out_ = remote;
    return remote == 0;
  }
  void await_suspend(std::coroutine_handle<> waiter) {
    tx_.out_waiter_ = waiter;
    Reactor& reactor = *Reactor::Current();
    for (size_t i = 0; i < count_; ++i) {
      Part& part = *tx_.parts_[i];
      if (part.shard_ == part.home_ || !AppliesTo(part)) continue;
      part.state_ = step_;
      reactor.Send(part.shard_, &part);
    }
  }
  void await_resume() {}

 private:
  bool AppliesTo(const Part& part) const {
    return step_ == Part::State::kTrying || (part.held_ && !part.hooked_);
  }

  Transaction& tx_;
  const Part::State step_;
  const size_t count_;
};

Transaction::Transaction(KvShards& shards,
                         absl::Span<const std::string_view> keys,
                         absl::Span<const uint32_t> owners)
    : shards_(shards) {
  const uint32_t shard_count = shards.shard_count();
  const uint32_t home = Reactor::Current()->shard_id();
  // Each key's owner first, and how many keys each owner has, so that
  // every part's buffers are sized once.
  absl::InlinedVector<uint32_t, 16> owner_of(keys.size());
  absl::InlinedVector<uint32_t, 8> key_count(shard_count, 0);
  for (size_t i = 0; i < keys.size(); ++i) {
    owner_of[i] =
        owners.empty() ? ShardSet::OwnerOf(keys[i], shard_count) : owners[i];
    ++key_count[owner_of[i]];
  }
  absl::InlinedVector<Part*, 8> by_shard(shard_count, nullptr);
  size_t part_count = 0;
  // Few keys (the common case) are told apart by looking; many, by a set.
  constexpr size_t kFewKeys = 16;
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string_view key = keys[i];
    Part*& part = by_shard[owner_of[i]];
    if (part == nullptr) {
      part = new Part(*this, owner_of[i], home);
      part->key_views_.reserve(key_count[owner_of[i]]);
      ++part_count;
    }
    const auto& owned = part->key_views_;
    const bool repeated =
        keys.size() <= kFewKeys
            ? std::find(owned.begin(), owned.end(), key) != owned.end()
            : !seen.insert(absl::string_view(key.data(), key.size())).second;
    if (!repeated) part->key_views_.push_back(key);
  }
  parts_.reserve(part_count);
  for (Part* part : by_shard) {
    if (part == nullptr) continue;
    part->OwnKeys();
    parts_.push_back(part);
  }
}

Transaction::Transaction(KvShards& shards, WholeShards whole)
    : shards_(shards) {
  const uint32_t home = Reactor::Current()->shard_id();
  for (uint32_t shard : whole.shards) {
    Part* part = new Part(*this, shard, home);
    part->whole_ = true;
    part->mode_ = whole.mode;
    parts_.push_back(part);
  }
}

Transaction::~Transaction() {
  // A part still on its way to or from its owner cannot be taken back
  // (only a stopping server abandons a transaction midway): it is left.
  parts_.erase(
      std::remove_if(parts_.begin(), parts_.end(),
                     [](Part* part) {
                       return part->state_ == Part::State::kAcquiring ||
                              part->state_ == Part::State::kTrying ||
                              part->state_ == Part::State::kRunningHook ||
                              part->state_ == Part::State::kReturning;
                     }),
      parts_.end());
  Release();
}

Task<void> Transaction::Lock(Hook hook, void* context, bool done_by_hooks) {
  hook_ = hook;
  context_ = context;
  done_by_hooks_ = done_by_hooks;
  for (Part* part : parts_) co_await LockAwaiter(*part);
}

Task<bool> Transaction::LockAtOnce(Hook hook, void* context, bool done_by_hooks,
                                   bool hooks_read) {
  hook_ = hook;
  context_ = context;
  // Reads hold every key until Release: a part let go before another was
  // granted could see a write land between their reads.
  done_by_hooks_ = false;
  hook_at_try_ = hooks_read;
  co_await AtOnceAwaiter(*this, Part::State::kTrying, parts_.size());
  hook_at_try_ = false;
  const auto first_refused = std::find_if(
      parts_.begin(), parts_.end(), [](Part* part) { return part->refused_; });
  const size_t held_below = static_cast<size_t>(first_refused - parts_.begin());
  if (!hooks_read) {
    // Writes: the parts held below the first refusal (all, if none) run
    // their hooks now. None lets its keys go before the caller's Release:
    // each hook logs its shard's block of the step, and a key let go
    // early could take a later write, acknowledged, into its log while
    // another shard's block is not written yet; a crash then would drop
    // the incomplete step on replay and run that write on the wrong value.
    co_await AtOnceAwaiter(*this, Part::State::kRunningHook, held_below);
  }
  done_by_hooks_ = done_by_hooks;
  for (auto it = first_refused; it != parts_.end(); ++it) {
    if ((*it)->held_) *it = Renew(*it);
  }
  for (auto it = first_refused; it != parts_.end(); ++it) {
    co_await LockAwaiter(**it);
  }
  co_return first_refused == parts_.end();
}

Task<void> Transaction::LockInFewestRounds(Hook hook, void* context,
                                           bool hooks_read) {
  constexpr uint32_t kBackoffSteps = 32;
  const uint32_t home = Reactor::Current()->shard_id();
  const auto remote =
      std::count_if(parts_.begin(), parts_.end(),
                    [home](const Part* part) { return part->shard_ != home; });
  uint32_t& backoff = shards_.Local().lock_at_once_backoff;
  if (remote <= (hooks_read ? 1 : 2)) {
    co_await Lock(hook, context, /*done_by_hooks=*/true);
    co_return;
  }
  if (backoff > 0) {
    --backoff;
    co_await Lock(hook, context, /*done_by_hooks=*/true);
    co_return;
  }
  if (!co_await LockAtOnce(hook, context, /*done_by_hooks=*/true, hooks_read)) {
    backoff = kBackoffSteps;
  }
}

Transaction::Part* Transaction::Renew(Part* part) {
  Part* fresh = new Part(*this, part->shard_, part->home_);
  fresh->whole_ = part->whole_;
  fresh->mode_ = part->mode_;
  fresh->repeat_ = part->repeat_ || part->hooked_;
  fresh->key_views_ = part->key_views_;
  fresh->OwnKeys();
  ReleasePart(part);
  return fresh;
}

void Transaction::Release() {
  for (Part* part : parts_) ReleasePart(part);
  parts_.clear();
}

void Transaction::ReleasePart(Part* part) {
  if (!part->held_) {
    delete part;
    return;
  }
  part->tx_ = nullptr;
  if (part->shard_ == Reactor::Current()->shard_id()) {
    part->ReleaseHere();
    delete part;
  } else {
    part->state_ = Part::State::kReleasing;
    Reactor::Current()->Send(part->shard_, part);
  }
}

void Transaction::Part::Granted() {
  held_ = true;
  RunHook();
  if (tx_->done_by_hooks_ && tx_->parts_.back() == this) ReleaseHere();
  if (shard_ == home_) {
    // Granted from the lock table, by someone else's release: resume the
    // step on a later turn, not inside that release. (A part granted at
    // once, in await_ready, has no waiter yet and resumes by itself.)
    state_ = State::kIdle;
    if (waiter_) Reactor::Current()->Schedule(std::exchange(waiter_, nullptr));
    return;
  }
  state_ = State::kReturning;
  Reactor::Current()->Send(home_, this);
}

void Transaction::Part::Run() {
  switch (state_) {
    case State::kAcquiring:  // on the owner
      if (AcquireHere()) Granted();
      return;
    case State::kTrying:  // on the owner
    case State::kRunningHook:
      if (state_ == State::kTrying) {
        TryHere();
      } else {
        RunHook();
      }
      state_ = State::kReturning;
      Reactor::Current()->Send(home_, this);
      return;
    case State::kReturning:  // back home
      state_ = State::kIdle;
      if (tx_->out_ > 0) {
        if (--tx_->out_ == 0) {
          std::exchange(tx_->out_waiter_, nullptr).resume();
        }
        return;
      }
      std::exchange(waiter_, nullptr).resume();
      return;
    case State::kReleasing:  // on the owner, for good
      ReleaseHere();
      delete this;
      return;
    case State::kIdle:
      return;
  }
}

void Transaction::Part::OwnKeys() {
  size_t bytes = 0;
  for (std::string_view key : key_views_) bytes += key.size();
  key_bytes_.clear();
  key_bytes_.reserve(bytes);
  for (std::string_view key : key_views_) {
    key_bytes_.insert(key_bytes_.end(), key.begin(), key.end());
  }
  size_t at = 0;
  for (std::string_view& key : key_views_) {
    key = std::string_view(key_bytes_.data() + at, key.size());
    at += key.size();
  }
}

bool Transaction::Part::AcquireHere() {
  KeyLocks& locks = shards_->Local().locks;
  return whole_ ? locks.AcquireShard(this, mode_)
                : locks.Acquire(this, key_views_);
}

void Transaction::Part::TryHere() {
  KeyLocks& locks = shards_->Local().locks;
  refused_ = whole_ ? !locks.TryAcquireShard(this, mode_)
                    : !locks.TryAcquire(this, key_views_);
  if (refused_) return;
  held_ = true;
  if (tx_->hook_at_try_) RunHook();
}

void Transaction::Part::RunHook() {
  hooked_ = true;
  if (tx_->hook_ == nullptr) return;
  const ShardFlag repeating(shards_->Local().repeating_read, repeat_);
  tx_->hook_(tx_->context_, *this);
}

void Transaction::Part::ReleaseHere() {
  if (!held_) return;
  held_ = false;
  KeyLocks& locks = shards_->Local().locks;
  if (whole_) {
    // No blocked client could be served while the shard was held: what was
    // pushed meanwhile (an EXEC's LPUSH), or a key that had data when a
    // client registered on it, serves its waiters now, once the shard's
    // last holder goes (a reader's hold defers serving as much).
    if (locks.SoleShardHolder(this)) ServeEveryKey(*shards_, this);
    locks.ReleaseShard(this);
    return;
  }
  // Clients blocked on these keys are served now that the step is whole,
  // before anyone queued for the keys runs.
  NotifyBlockedWaiters(*shards_, kEveryDb, key_views_, /*releaser=*/this);
  locks.Release(this, key_views_);
}

}  // namespace shardd::kv
