#include "shard/wakeable_wait.h"

#include <atomic>
#include <future>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "shard/invoke_on.h"
#include "shard/shard_set.h"

namespace shardd {
namespace {

TEST(WakeableWaitTest, DeadlinePassesWithoutWake) {
  ShardSet shards({.shard_count = 1});
  std::promise<std::pair<bool, absl::Duration>> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn([](std::promise<std::pair<bool, absl::Duration>>& out)
                -> Task<void> {
      WakeableWait wait;
      const absl::Time start = absl::Now();
      const bool woken = co_await wait.Until(start + absl::Milliseconds(30));
      out.set_value({woken, absl::Now() - start});
    }(result));
  }).ok());
  auto [woken, waited] = result.get_future().get();
  shards.Stop();
  EXPECT_FALSE(woken);
  EXPECT_GE(waited, absl::Milliseconds(30));
}

// The waker runs on another shard and reaches the waiter through a message,
// as a push on a key's owner shard wakes a client blocked elsewhere.
TEST(WakeableWaitTest, WakeFromAnotherShardEndsWaitEarly) {
  ShardSet shards({.shard_count = 2});
  std::promise<bool> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 0) return;
    r.Spawn([](std::promise<bool>& out) -> Task<void> {
      WakeableWait wait;
      // Shard 1 waits a little, then sends the wake back to shard 0.
      Reactor::Current()->Spawn([](WakeableWait& w) -> Task<void> {
        co_await InvokeOn(1, [] {});
        w.Wake();
      }(wait));
      out.set_value(co_await wait.Until(absl::InfiniteFuture()));
    }(result));
  }).ok());
  EXPECT_TRUE(result.get_future().get());
  shards.Stop();
}

TEST(WakeableWaitTest, WakeBeforeWaitIsNotLost) {
  ShardSet shards({.shard_count = 1});
  std::promise<bool> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn([](std::promise<bool>& out) -> Task<void> {
      WakeableWait wait;
      wait.Wake();
      out.set_value(co_await wait.Until(absl::InfiniteFuture()));
    }(result));
  }).ok());
  EXPECT_TRUE(result.get_future().get());
  shards.Stop();
}

TEST(WakeableWaitTest, StopEndsWaitWithoutDeadline) {
  ShardSet shards({.shard_count = 2});
  std::promise<void> waiting;
  std::atomic<int> ended{0};
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 1) return;
    r.Spawn([](std::promise<void>& started,
               std::atomic<int>& done) -> Task<void> {
      WakeableWait wait;
      started.set_value();
      const bool woken = co_await wait.Until(absl::InfiniteFuture());
      if (!woken) done.fetch_add(1);
    }(waiting, ended));
  }).ok());
  waiting.get_future().get();
  const absl::Time start = absl::Now();
  shards.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(ended.load(), 1);
}

}  // namespace
}  // namespace shardd
