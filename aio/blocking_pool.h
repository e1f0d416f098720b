// BlockingPool: threads for what io_uring cannot do (reading a directory:
// there is no getdents opcode). A shard hands the pool a function and
// co_awaits its result; the function runs on a pool thread, which then
// writes an eventfd that the waiting coroutine reads through its shard's
// ring, so the loop never blocks and no pool thread touches a shard's data.
//
//   std::optional<Listing> listing =
//       co_await pool.Run<Listing>([fd] { return ReadDirectory(fd); });
//
// The function, its result and the eventfd live in state the job and the
// coroutine share, not in the coroutine's frame: a shard that stops while a
// job runs abandons the wait, and the job finishes on its own; whichever
// lets go last closes the eventfd. The queue is bounded: past `max_queued`
// waiting jobs, Run fails at once.
#ifndef SHARDD_AIO_BLOCKING_POOL_H_
#define SHARDD_AIO_BLOCKING_POOL_H_

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "shard/io_awaiter.h"
#include "shard/task.h"

namespace shardd::aio {

class BlockingPool {
 public:
  BlockingPool(size_t threads, size_t max_queued);
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  // Runs the jobs already queued, then joins the threads.
  ~BlockingPool();

  // `work()` on a pool thread; nullopt if the queue is full or the wait
  // was cancelled (the shard is stopping).
  // `work()` on a pool thread, with nobody waiting for it (closing a
  // descriptor whose last close may free a large file's blocks). False if
  // the queue is full: the caller then does the work itself.
  bool Post(std::function<void()> work) {
    return Submit({std::move(work), /*done_fd=*/-1});
  }

  template <typename T>
  Task<std::optional<T>> Run(std::function<T()> work) {
    struct Shared {
      explicit Shared(int fd) : done_fd(fd) {}
      ~Shared() { close(done_fd); }
      const int done_fd;
      std::function<T()> work;
      std::optional<T> result;
      // Set after `result`: the eventfd orders the two threads in fact, but
      // only an atomic does so in the language (and for ThreadSanitizer).
      std::atomic<bool> finished{false};
    };
    // Non-blocking under the epoll backend: it is read when ready, and a
    // read that finds it not yet written must not block the loop. Not on
    // io_uring, which before Linux 5.12 would fail such a read with EAGAIN
    // instead of waiting.
    const int done =
        eventfd(0, EFD_CLOEXEC | (Reactor::Current()->epoll() != nullptr
                                      ? EFD_NONBLOCK
                                      : 0));
    if (done < 0) co_return std::nullopt;
    auto shared = std::make_shared<Shared>(done);
    shared->work = std::move(work);
    // The job's closure holds `shared`, so the eventfd stays open until the
    // job has written it and is destroyed.
    auto job = [shared] {
      shared->result = shared->work();
      shared->finished.store(true, std::memory_order_release);
    };
    if (!Submit({std::move(job), done})) {
      co_return std::nullopt;
    }
    uint64_t signalled = 0;
    const int read = co_await SocketAwaiter(
        done, EPOLLIN,
        [&](io_uring_sqe* sqe) {
          io_uring_prep_read(sqe, done, &signalled, sizeof(signalled), 0);
        },
        [&] {
          return SyscallResult(::read(done, &signalled, sizeof(signalled)));
        });
    if (read != sizeof(signalled) ||
        !shared->finished.load(std::memory_order_acquire)) {
      co_return std::nullopt;
    }
    co_return std::move(shared->result);
  }

 private:
  struct Job {
    std::function<void()> work;
    int done_fd;  // written once `work` has run; -1: nobody waits
  };
  // Queues `job`; false when the queue is full.
  bool Submit(Job job);
  void Loop();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace shardd::aio

#endif  // SHARDD_AIO_BLOCKING_POOL_H_
