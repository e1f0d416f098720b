// OffloadPool: the threads on which the epoll backend runs what has no
// readiness to wait for (opening, reading, writing and syncing files: a
// regular file is always "ready" and its system calls block). One pool for
// the process, started on first use; each job is one suspended coroutine's
// operation, so the queue is bounded by the coroutines that wait (one per
// connection at most, and --maxclients bounds those).
//
//   OffloadPool::Get().Run([=] { ... blocking call ...; deliver result; });
#ifndef SHARDD_SHARD_OFFLOAD_POOL_H_
#define SHARDD_SHARD_OFFLOAD_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace shardd {

class OffloadPool {
 public:
  // The process's pool: kThreads threads, never stopped (they wait on a
  // condition variable when idle, and die with the process).
  static OffloadPool& Get();

  void Run(std::function<void()> job);

 private:
  // Enough for several shards' disk operations to overlap; blocking calls
  // cost these threads no CPU while they wait.
  static constexpr int kThreads = 8;

  OffloadPool();
  void Loop();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;  // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_OFFLOAD_POOL_H_
