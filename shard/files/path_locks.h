// Path locks: writes to one path (PUT, DELETE) are ordered by the path's
// owner shard (the slot of the path, as for keys). A write streams its body
// on its own shard, then takes the path's lock on the owner and, holding
// it, checks its preconditions against the file as it is, renames or
// unlinks, fsyncs the directory, invalidates the open-file caches and hands
// its reply to the socket; then lets go. So writes to one path take effect
// one at a time, in the order the owner granted them, and their replies
// start to leave in that order: the last acknowledged PUT is the file, and
// two PUTs with the same If-Match cannot both succeed. (A client whose
// socket is full gets the rest of its reply after the lock is let go, so a
// later writer's reply may be complete first.) Waiters queue in order
// (FIFO): none starves.
//
//   PathLock lock(locks, owner, path);
//   co_await lock.Acquire();
//   ... commit, hand the reply to the socket ...
//   co_await lock.Release();   // or let the destructor release it
#ifndef SHARDD_SHARD_FILES_PATH_LOCKS_H_
#define SHARDD_SHARD_FILES_PATH_LOCKS_H_

#include <coroutine>
#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "shard/message.h"
#include "shard/per_shard.h"
#include "shard/task.h"

namespace shardd::files {

class PathLock;

// The locks of the paths one shard owns. Touched only by that shard.
class PathLocks {
 public:
  // Takes `path` for `waiter` if it is free (true); else queues it, to be
  // granted by a later Release (false).
  bool Acquire(const std::string& path, PathLock* waiter);
  // Lets `path` go; the next waiter, if any, holds it now and is returned.
  PathLock* Release(const std::string& path);

  size_t held() const { return waiters_.size(); }

 private:
  // A path is held while it has an entry; the entry's queue is its waiters.
  absl::flat_hash_map<std::string, std::deque<PathLock*>> waiters_;
};

class PathLock final : public Message {
 public:
  PathLock(PerShard<PathLocks>& locks, uint32_t owner, std::string path);
  PathLock(const PathLock&) = delete;
  PathLock& operator=(const PathLock&) = delete;
  // Still held (the holder's coroutine ended early): released by a message
  // to the owner, which needs no waiting.
  ~PathLock() override;

  // Waits until this holds the lock.
  auto Acquire() {
    struct Awaiter {
      PathLock& lock;
      bool await_ready() { return lock.TryLocal(); }
      void await_suspend(std::coroutine_handle<> caller) {
        lock.Wait(caller);
      }
      void await_resume() {}
    };
    return Awaiter{*this};
  }
  Task<void> Release();

  // On the owner, when a Release hands the lock to this waiter.
  void Grant();

 private:
  void Run() override;
  bool TryLocal();
  void Wait(std::coroutine_handle<> caller);

  PerShard<PathLocks>& locks_;
  const uint32_t owner_;
  const std::string path_;
  uint32_t home_ = 0;
  bool held_ = false;
  bool queued_here_ = false;  // the owner is home: queued without a hop
  std::coroutine_handle<> caller_;
};

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_PATH_LOCKS_H_
