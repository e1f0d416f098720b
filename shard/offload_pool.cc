#include "shard/offload_pool.h"

#include <pthread.h>

#include <string>
#include <utility>

namespace shardd {

OffloadPool& OffloadPool::Get() {
  // Never destroyed: a shard may still hand it a job while the process
  // exits, and joining its threads then would only delay the exit.
  static OffloadPool* const pool = new OffloadPool();
  return *pool;
}

OffloadPool::OffloadPool() {
  for (int i = 0; i < kThreads; ++i) {
    threads_.emplace_back([this, i] {
      pthread_setname_np(pthread_self(),
                         ("offload-" + std::to_string(i)).c_str());
      Loop();
    });
    threads_.back().detach();
  }
}

void OffloadPool::Run(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
}

void OffloadPool::Loop() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return !jobs_.empty(); });
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace shardd
