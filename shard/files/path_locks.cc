#include "shard/files/path_locks.h"

#include <utility>

#include "shard/invoke_on.h"
#include "shard/reactor.h"

namespace shardd::files {
namespace {

// Releases a path on its owner for a PathLock whose holder ended without
// Release(): sent, run and deleted there.
class ReleaseMessage final : public Message {
 public:
  ReleaseMessage(PerShard<PathLocks>& locks, uint32_t owner, std::string path)
      : locks_(locks), owner_(owner), path_(std::move(path)) {}
  void Run() override {
    if (PathLock* next = locks_.On(owner_).Release(path_)) next->Grant();
    delete this;
  }

 private:
  PerShard<PathLocks>& locks_;
  const uint32_t owner_;
  const std::string path_;
};

}  // namespace

bool PathLocks::Acquire(const std::string& path, PathLock* waiter) {
  auto [it, inserted] = waiters_.try_emplace(path);
  if (inserted) return true;
  it->second.push_back(waiter);
  return false;
}

PathLock* PathLocks::Release(const std::string& path) {
  auto it = waiters_.find(path);
  if (it == waiters_.end()) return nullptr;
  if (it->second.empty()) {
    waiters_.erase(it);
    return nullptr;
  }
  PathLock* next = it->second.front();
  it->second.pop_front();
  return next;
}

PathLock::PathLock(PerShard<PathLocks>& locks, uint32_t owner,
                   std::string path)
    : locks_(locks), owner_(owner), path_(std::move(path)) {}

PathLock::~PathLock() {
  if (!held_) return;
  if (Reactor::Current()->shard_id() == owner_) {
    if (PathLock* next = locks_.On(owner_).Release(path_)) next->Grant();
  } else {
    Reactor::Current()->Send(owner_,
                             new ReleaseMessage(locks_, owner_, path_));
  }
}

bool PathLock::TryLocal() {
  home_ = Reactor::Current()->shard_id();
  if (home_ != owner_) return false;
  if (locks_.On(owner_).Acquire(path_, this)) {
    held_ = true;
    return true;
  }
  queued_here_ = true;
  return false;
}

void PathLock::Wait(std::coroutine_handle<> caller) {
  caller_ = caller;
  if (!queued_here_) Reactor::Current()->Send(owner_, this);
}

void PathLock::Run() {
  if (!held_) {  // on the owner
    if (locks_.On(owner_).Acquire(path_, this)) Grant();
  } else {  // back home, holding it
    caller_.resume();
  }
}

void PathLock::Grant() {
  held_ = true;
  if (home_ == owner_) {
    Reactor::Current()->Schedule(caller_);
  } else {
    Reactor::Current()->Send(home_, this);
  }
}

Task<void> PathLock::Release() {
  if (!held_) co_return;
  held_ = false;
  co_await InvokeOn(owner_, [this] {
    if (PathLock* next = locks_.On(owner_).Release(path_)) next->Grant();
  });
}

}  // namespace shardd::files
