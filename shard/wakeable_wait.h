// WakeableWait: suspends a coroutine until another part of the same shard
// calls Wake(), or until a deadline passes. Blocking commands (BLPOP, ...)
// wait this way for a key to get data. Deadlines are kept by the Reactor,
// which sleeps no longer than the nearest one.
//
//   WakeableWait wait;
//   ... register &wait where a producer on this shard will find it ...
//   bool woken = co_await wait.Until(absl::Now() + absl::Seconds(5));
//
// A Wake() that comes before the co_await is not lost: the wait then
// completes at once. Once the shard is stopping, every wait ends as timed out.
#ifndef SHARDD_SHARD_WAKEABLE_WAIT_H_
#define SHARDD_SHARD_WAKEABLE_WAIT_H_

#include <coroutine>
#include <cstdint>
#include <map>

#include "absl/time/time.h"

namespace shardd {

class Reactor;

class WakeableWait {
 public:
  WakeableWait() = default;
  WakeableWait(const WakeableWait&) = delete;
  WakeableWait& operator=(const WakeableWait&) = delete;
  ~WakeableWait();

  // Called on the waiter's shard. Resumes the waiter (later in this loop
  // turn), or makes its next Until() return at once.
  void Wake();

  class Awaiter {
   public:
    Awaiter(WakeableWait& wait, absl::Time deadline)
        : wait_(wait), deadline_(deadline) {}
    bool await_ready();
    void await_suspend(std::coroutine_handle<> waiter);
    bool await_resume();  // true if woken, false on deadline or stop

   private:
    WakeableWait& wait_;
    absl::Time deadline_;
  };
  Awaiter Until(absl::Time deadline) { return Awaiter(*this, deadline); }

 private:
  friend class Reactor;
  using DeadlineMap = std::multimap<absl::Time, WakeableWait*>;

  // Called by the reactor when the deadline passed or the shard stops.
  void Expire();

  std::coroutine_handle<> waiter_;
  bool woken_ = false;
  bool armed_ = false;    // registered with the reactor's deadlines
  bool expired_ = false;  // ended by its deadline, not yet resumed
  // Where the reactor keeps it: in its map, or (no deadline) its list.
  bool endless_ = false;
  DeadlineMap::iterator position_;
  WakeableWait* endless_prev_ = nullptr;
  WakeableWait* endless_next_ = nullptr;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_WAKEABLE_WAIT_H_
