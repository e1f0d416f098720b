#include "aio/blocking_pool.h"

#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/invoke_on.h"
#include "shard/shard_set.h"
#include "shard/timer.h"

namespace shardd {
namespace {

// Waits (on the loop, in 1 ms steps, at most 10 s) until `flag` is set.
Task<bool> Until(const std::atomic<bool>& flag) {
  for (int i = 0; i < 10000 && !flag.load(); ++i) {
    co_await Delay(absl::Milliseconds(1));
  }
  co_return flag.load();
}

// A job that blocks its pool thread until the test lets it go.
std::function<int()> BlockingJob(std::atomic<bool>& running,
                                 std::shared_future<void> release, int value) {
  return [&running, release, value] {
    running.store(true);
    release.wait();
    return value;
  };
}

Task<void> WaitForJob(aio::BlockingPool& pool, std::function<int()> job,
                      std::promise<std::optional<int>>& out) {
  out.set_value(co_await pool.Run<int>(std::move(job)));
}

// Once shard 0's job is blocked in the pool, asks shard 0 something.
Task<void> AskShardZeroWhileItWaits(const std::atomic<bool>& running,
                                    std::promise<bool>& answered) {
  if (!co_await Until(running)) {
    answered.set_value(false);
    co_return;
  }
  const uint32_t where =
      co_await InvokeOn(0, [] { return Reactor::Current()->shard_id(); });
  answered.set_value(where == 0);
}

TEST(BlockingPoolTest, ALoopStaysResponsiveWhileItsJobBlocks) {
  aio::BlockingPool pool(/*threads=*/1, /*max_queued=*/4);
  std::atomic<bool> running{false};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<std::optional<int>> result;
  std::promise<bool> answered;
  ShardSet shards({.shard_count = 2});
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() == 0) {
      r.Spawn(WaitForJob(pool, BlockingJob(running, released, 42), result));
    } else {
      r.Spawn(AskShardZeroWhileItWaits(running, answered));
    }
  }).ok());
  // Shard 0 answers shard 1 while its own coroutine waits for the pool.
  EXPECT_TRUE(answered.get_future().get());
  release.set_value();
  EXPECT_EQ(result.get_future().get(), std::optional<int>(42));
  shards.Stop();
}

Task<void> RunMany(aio::BlockingPool& pool, int count,
                   std::promise<std::vector<std::optional<int>>>& out) {
  std::vector<std::optional<int>> results;
  for (int i = 0; i < count; ++i) {
    results.push_back(co_await pool.Run<int>([i] { return i * i; }));
  }
  out.set_value(std::move(results));
}

TEST(BlockingPoolTest, EveryJobsResultComesBack) {
  aio::BlockingPool pool(/*threads=*/2, /*max_queued=*/8);
  std::promise<std::vector<std::optional<int>>> out;
  ShardSet shards({.shard_count = 1});
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn(RunMany(pool, 100, out));
  }).ok());
  const std::vector<std::optional<int>> results = out.get_future().get();
  shards.Stop();
  ASSERT_EQ(results.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(results[i], i * i) << i;
}

// With its one thread blocked, the pool queues `max_queued` more jobs and
// refuses the next at once instead of queueing without bound.
Task<void> OverflowTheQueue(aio::BlockingPool& pool,
                            const std::atomic<bool>& running,
                            std::promise<std::optional<int>>& queued,
                            std::promise<std::optional<int>>& refused) {
  if (!co_await Until(running)) co_return;
  Reactor::Current()->Spawn(WaitForJob(pool, [] { return 2; }, queued));
  refused.set_value(co_await pool.Run<int>([] { return 3; }));
}

TEST(BlockingPoolTest, AFullQueueRefusesAtOnce) {
  aio::BlockingPool pool(/*threads=*/1, /*max_queued=*/1);
  std::atomic<bool> running{false};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<std::optional<int>> first, queued, refused;
  ShardSet shards({.shard_count = 1});
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn(WaitForJob(pool, BlockingJob(running, released, 1), first));
    r.Spawn(OverflowTheQueue(pool, running, queued, refused));
  }).ok());
  EXPECT_EQ(refused.get_future().get(), std::nullopt);
  release.set_value();
  EXPECT_EQ(first.get_future().get(), std::optional<int>(1));
  EXPECT_EQ(queued.get_future().get(), std::optional<int>(2));
  shards.Stop();
}

// Post runs work nobody waits for (closing a descriptor), and refuses it
// when the queue is full, so that the caller does it itself.
TEST(BlockingPoolTest, PostRunsWorkAndRefusesWhenFull) {
  std::promise<void> ran;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> blocked{false};
  {
    aio::BlockingPool pool(/*threads=*/1, /*max_queued=*/1);
    ASSERT_TRUE(pool.Post([&ran] { ran.set_value(); }));
    ran.get_future().wait();
    ASSERT_TRUE(pool.Post([&blocked, released] {
      blocked.store(true);
      released.wait();
    }));
    // Until the pool's thread has taken it (bounded: about 10 s at most).
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (!blocked.load() && absl::Now() < give_up) std::this_thread::yield();
    if (!blocked.load()) {
      release.set_value();  // let the destructor's join end
      FAIL() << "the pool's thread never took the job";
    }
    EXPECT_TRUE(pool.Post([] {}));   // queued behind it
    EXPECT_FALSE(pool.Post([] {}));  // the queue holds one
    release.set_value();
  }  // the destructor runs what was queued, then joins
}

}  // namespace
}  // namespace shardd
