#include "aio/blocking_pool.h"

#include <pthread.h>

#include "absl/strings/str_cat.h"

namespace shardd::aio {

BlockingPool::BlockingPool(size_t threads, size_t max_queued)
    : max_queued_(max_queued) {
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, i] {
      pthread_setname_np(pthread_self(),
                         absl::StrCat("blocking-", i).c_str());
      Loop();
    });
  }
}

BlockingPool::~BlockingPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

bool BlockingPool::Submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_ || stopping_) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

void BlockingPool::Loop() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.work();
    if (job.done_fd < 0) continue;
    const uint64_t one = 1;
    // Cannot fail short of a bad descriptor: the eventfd is the job's.
    const ssize_t written = write(job.done_fd, &one, sizeof(one));
    static_cast<void>(written);
  }
}

}  // namespace shardd::aio
