#include "shard/reactor.h"

#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/invoke_on.h"
#include "shard/invoke_on_each.h"
#include "shard/shard_set.h"
#include "shard/timer.h"
#include "shard/wakeable_wait.h"

namespace shardd {
namespace {

ShardSet::Options Unpinned(uint32_t shards, size_t mailbox_capacity = 4096) {
  return {.shard_count = shards, .cpus = {},
          .mailbox_capacity = mailbox_capacity};
}

TEST(ReactorTest, SpawnedTaskRunsOnItsShard) {
  ShardSet shards(Unpinned(2));
  std::promise<uint32_t> seen;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 1) return;
    r.Spawn([](std::promise<uint32_t>& out) -> Task<void> {
      out.set_value(Reactor::Current()->shard_id());
      co_return;
    }(seen));
  }).ok());
  EXPECT_EQ(seen.get_future().get(), 1u);
  shards.Stop();
}

TEST(ReactorTest, TimersFireInDeadlineOrderNotStartOrder) {
  ShardSet shards(Unpinned(1));
  std::vector<int> order;
  std::promise<void> done;
  auto sleeper = [](std::vector<int>& out, int id, int ms,
                    std::promise<void>* finish) -> Task<void> {
    const absl::Time start = absl::Now();
    EXPECT_TRUE(co_await Delay(absl::Milliseconds(ms)));
    EXPECT_GE(absl::Now() - start, absl::Milliseconds(ms));
    out.push_back(id);
    if (finish != nullptr) finish->set_value();
  };
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn(sleeper(order, 1, 60, &done));
    r.Spawn(sleeper(order, 2, 5, nullptr));
  }).ok());
  done.get_future().get();
  shards.Stop();
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
}

TEST(ReactorTest, InvokeOnRunsOnTargetAndResumesOnCaller) {
  ShardSet shards(Unpinned(3));
  std::promise<std::vector<uint32_t>> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 0) return;
    r.Spawn([](std::promise<std::vector<uint32_t>>& out) -> Task<void> {
      std::vector<uint32_t> ids;
      for (uint32_t target : {1u, 2u, 0u}) {
        uint32_t ran_on = co_await InvokeOn(
            target, [] { return Reactor::Current()->shard_id(); });
        ids.push_back(ran_on);
        ids.push_back(Reactor::Current()->shard_id());
      }
      out.set_value(ids);
    }(result));
  }).ok());
  EXPECT_EQ(result.get_future().get(),
            (std::vector<uint32_t>{1, 0, 2, 0, 0, 0}));
  shards.Stop();
}

TEST(ReactorTest, InvokeOnLocalShardDoesNotSuspend) {
  ShardSet shards(Unpinned(2));
  std::promise<uint64_t> turns_elapsed;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 0) return;
    r.Spawn([](std::promise<uint64_t>& out) -> Task<void> {
      Reactor* self = Reactor::Current();
      const uint64_t before = self->loop_turns();
      for (int i = 0; i < 1000; ++i) {
        co_await InvokeOn(0, [] {});
      }
      out.set_value(self->loop_turns() - before);
    }(turns_elapsed));
  }).ok());
  EXPECT_EQ(turns_elapsed.get_future().get(), 0u);
  shards.Stop();
}

// Every target runs the call on its own thread, and the results come back
// in the order of the targets, the caller resuming on its own shard.
TEST(ReactorTest, InvokeOnEachRunsOnEveryTargetAndResumesOnCaller) {
  ShardSet shards(Unpinned(4));
  std::promise<std::vector<uint32_t>> result;
  ASSERT_TRUE(
      shards
          .Start([&](Reactor& r) {
            if (r.shard_id() != 1) return;
            r.Spawn([](std::promise<std::vector<uint32_t>>& out) -> Task<void> {
              std::vector<uint32_t> ids;
              for (int round = 0; round < 100; ++round) {
                const uint32_t base = static_cast<uint32_t>(round) * 10;
                // (A named vector: GCC 12 cannot take a braced list in
                // co_await.)
                std::vector<uint32_t> targets = {3, 1, 0, 2};
                std::vector<uint32_t> ran_on =
                    co_await InvokeOnEach(targets, [base](uint32_t target) {
                      return target == Reactor::Current()->shard_id()
                                 ? base + target
                                 : 9999u;
                    });
                ran_on.push_back(Reactor::Current()->shard_id());
                if (round == 0 ||
                    ran_on != std::vector<uint32_t>{base + 3, base + 1, base,
                                                    base + 2, 1}) {
                  ids.insert(ids.end(), ran_on.begin(), ran_on.end());
                }
              }
              out.set_value(ids);
            }(result));
          })
          .ok());
  EXPECT_EQ(result.get_future().get(), (std::vector<uint32_t>{3, 1, 0, 2, 1}));
  shards.Stop();
}

// Only the calling shard, or none: no suspension at all.
TEST(ReactorTest, InvokeOnEachOfTheLocalShardDoesNotSuspend) {
  ShardSet shards(Unpinned(2));
  std::promise<std::pair<uint64_t, size_t>> result;
  ASSERT_TRUE(shards
                  .Start([&](Reactor& r) {
                    if (r.shard_id() != 0) return;
                    r.Spawn([](std::promise<std::pair<uint64_t, size_t>>& out)
                                -> Task<void> {
                      Reactor* self = Reactor::Current();
                      const uint64_t before = self->loop_turns();
                      size_t results = 0;
                      const std::vector<uint32_t> here = {0};
                      for (int i = 0; i < 1000; ++i) {
                        results += (co_await InvokeOnEach(here, [](uint32_t) {
                                     return 1;
                                   })).size();
                        results +=
                            (co_await InvokeOnEach(std::vector<uint32_t>(),
                                                   [](uint32_t) { return 1; }))
                                .size();
                      }
                      out.set_value({self->loop_turns() - before, results});
                    }(result));
                  })
                  .ok());
  EXPECT_EQ(result.get_future().get(), (std::pair<uint64_t, size_t>{0, 1000}));
  shards.Stop();
}

// A tiny ring forces most messages into the sender's backlog; all of them
// must still arrive, in order, with the sender never blocking.
TEST(ReactorTest, FullMailboxAppliesBackPressureWithoutLoss) {
  ShardSet shards(Unpinned(2, /*mailbox_capacity=*/2));
  constexpr int kCalls = 2000;
  std::promise<std::vector<int>> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 0) return;
    // Many concurrent callers, each a task awaiting its own InvokeOn.
    auto log = std::make_shared<std::vector<int>>();
    auto remaining = std::make_shared<int>(kCalls);
    for (int i = 0; i < kCalls; ++i) {
      r.Spawn([](int id, std::shared_ptr<std::vector<int>> order,
                 std::shared_ptr<int> left,
                 std::promise<std::vector<int>>& out) -> Task<void> {
        // The order log lives on shard 1 while calls run there.
        co_await InvokeOn(1, [&] { order->push_back(id); });
        if (--*left == 0) out.set_value(*order);
      }(i, log, remaining, result));
    }
  }).ok());
  std::vector<int> order = result.get_future().get();
  ASSERT_EQ(order.size(), static_cast<size_t>(kCalls));
  for (int i = 0; i < kCalls; ++i) EXPECT_EQ(order[i], i);
  shards.Stop();
}

TEST(ReactorTest, StopCancelsPendingTimersAndReturnsPromptly) {
  ShardSet shards(Unpinned(2));
  std::atomic<int> cancelled{0};
  std::promise<void> waiting;
  std::atomic<int> started{0};
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn([](std::atomic<int>& c, std::atomic<int>& s,
               std::promise<void>& w) -> Task<void> {
      if (s.fetch_add(1) + 1 == 2) w.set_value();
      if (!co_await Delay(absl::Hours(1))) c.fetch_add(1);
    }(cancelled, started, waiting));
  }).ok());
  waiting.get_future().get();
  const absl::Time start = absl::Now();
  shards.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(cancelled.load(), 2);
}

struct PingPong {
  int answered = 0;
  uint64_t wakeups_sent = 0;  // by shard 0 to shard 1
  uint64_t peer_sleeps = 0;   // of shard 1
};

// 50 calls to shard `to` from shard `from`, 200 µs apart: in between,
// shard `to` has nothing to do.
PingPong RunPingPong(ShardSet::Options options, uint32_t from = 0,
                     uint32_t to = 1) {
  ShardSet shards(options);
  std::promise<PingPong> result;
  EXPECT_TRUE(
      shards
          .Start([&](Reactor& r) {
            if (r.shard_id() != from) return;
            r.Spawn([](std::promise<PingPong>& out, uint32_t to) -> Task<void> {
              PingPong seen;
              for (int i = 0; i < 50; ++i) {
                co_await Delay(absl::Microseconds(200));
                seen.answered += co_await InvokeOn(to, [] { return 1; });
              }
              seen.wakeups_sent =
                  Reactor::Current()->stats().peers[to].wakeups_sent;
              seen.peer_sleeps = co_await InvokeOn(
                  to, [] { return Reactor::Current()->stats().sleeps; });
              out.set_value(seen);
            }(result, to));
          })
          .ok());
  PingPong seen = result.get_future().get();
  shards.Stop();
  return seen;
}

TEST(ReactorTest, SleepingShardIsWokenByMessage) {
  const PingPong seen = RunPingPong(Unpinned(2));
  EXPECT_EQ(seen.answered, 50);
  // Shard 1 slept between calls, so messages had to wake it, and the
  // counters saw it.
  EXPECT_GT(seen.peer_sleeps, 0u);
  EXPECT_GT(seen.wakeups_sent, 0u);
}

TEST(ReactorTest, PollingShardNeedsNoWakeUp) {
  const std::vector<int> cpus = ShardSet::AllowedCpus();
  if (cpus.size() < 2) GTEST_SKIP() << "polling needs a CPU per shard";
  // Far longer than the 200 µs gaps: shard 1 never gets to sleep, and
  // shard 0's timers still fire (their completions end its polling).
  const ShardSet::Options options = {.shard_count = 2,
                                     .cpus = {cpus[0], cpus[1]},
                                     .idle_poll_ns = 50'000'000};
  ASSERT_TRUE(ShardSet::PollingAllowed(options));
  const PingPong seen = RunPingPong(options);
  EXPECT_EQ(seen.answered, 50);
  EXPECT_EQ(seen.wakeups_sent, 0u);
  EXPECT_EQ(seen.peer_sleeps, 0u);
}

// Shards pinned to one CPU run on one thread (Reactor::RunTogether): calls
// between them are answered in the same thread's next turn, no wake-up.
ShardSet::Options Packed(uint32_t shards, size_t mailbox_capacity = 4096) {
  return {.shard_count = shards,
          .cpus = {ShardSet::AllowedCpus().front()},
          .mailbox_capacity = mailbox_capacity};
}

TEST(SharedThreadTest, ShardsOnOneCpuShareAThreadAndNeedNoWakeUp) {
  const PingPong seen = RunPingPong(Packed(2));
  EXPECT_EQ(seen.answered, 50);
  EXPECT_EQ(seen.wakeups_sent, 0u);
}

// Shard 1 shares CPU 0's thread (and the ring of shard 0); shard 2 has a
// thread of its own and calls shard 1 while that thread sleeps: its
// wake-up must reach the shared ring.
TEST(SharedThreadTest, AShardOfAnotherThreadWakesASharingShard) {
  const std::vector<int> cpus = ShardSet::AllowedCpus();
  if (cpus.size() < 2) GTEST_SKIP() << "needs two CPUs";
  const PingPong seen =
      RunPingPong({.shard_count = 3, .cpus = {cpus[0], cpus[0], cpus[1]}},
                  /*from=*/2, /*to=*/1);
  EXPECT_EQ(seen.answered, 50);
  // Shard 1's thread slept between calls and was woken each time.
  EXPECT_GT(seen.peer_sleeps, 0u);
  EXPECT_GT(seen.wakeups_sent, 0u);
}

TEST(SharedThreadTest, EachShardRunsItsOwnTasksOnTheSameThread) {
  ShardSet shards(Packed(3));
  struct Seen {
    std::thread::id threads[3];
    uint32_t current[3] = {};
  };
  std::promise<Seen> result;
  ASSERT_TRUE(shards
                  .Start([&](Reactor& r) {
                    if (r.shard_id() != 0) return;
                    r.Spawn([](std::promise<Seen>& out) -> Task<void> {
                      Seen seen;
                      for (uint32_t s = 0; s < 3; ++s) {
                        // A timer on the callee: its completion resumes the
                        // right shard.
                        seen.current[s] = co_await InvokeOn(
                            s, [] { return Reactor::Current()->shard_id(); });
                        seen.threads[s] = co_await InvokeOn(
                            s, [] { return std::this_thread::get_id(); });
                      }
                      out.set_value(seen);
                    }(result));
                  })
                  .ok());
  const Seen seen = result.get_future().get();
  shards.Stop();
  for (uint32_t s = 0; s < 3; ++s) {
    EXPECT_EQ(seen.current[s], s);
    EXPECT_EQ(seen.threads[s], seen.threads[0]);
  }
}

// Timers of both shards complete on the shared ring and resume their own
// shard's coroutine, while 300 calls at once between them go through a
// mailbox of 2 slots (the rest wait in the sender's backlog) and lose
// nothing.
TEST(SharedThreadTest, TimersAndAFullMailboxOnASharedRing) {
  ShardSet shards(Packed(2, /*mailbox_capacity=*/2));
  constexpr int kRounds = 300;
  std::promise<int> timers[2];
  std::promise<int> calls;
  auto answered = std::make_shared<int>(0);
  auto left = std::make_shared<int>(kRounds);
  ASSERT_TRUE(shards
                  .Start([&](Reactor& r) {
                    r.Spawn([](std::promise<int>& out) -> Task<void> {
                      const uint32_t here = Reactor::Current()->shard_id();
                      int right = 0;
                      for (int i = 0; i < kRounds; ++i) {
                        co_await Delay(absl::Microseconds(10));
                        if (Reactor::Current()->shard_id() == here) ++right;
                      }
                      out.set_value(right);
                    }(timers[r.shard_id()]));
                    if (r.shard_id() != 0) return;
                    for (int i = 0; i < kRounds; ++i) {
                      r.Spawn([](std::shared_ptr<int> answered,
                                 std::shared_ptr<int> left,
                                 std::promise<int>& out) -> Task<void> {
                        *answered += co_await InvokeOn(1, [] {
                          return Reactor::Current()->shard_id() == 1 ? 1 : 0;
                        });
                        if (--*left == 0) out.set_value(*answered);
                      }(answered, left, calls));
                    }
                  })
                  .ok());
  EXPECT_EQ(timers[0].get_future().get(), kRounds);
  EXPECT_EQ(timers[1].get_future().get(), kRounds);
  EXPECT_EQ(calls.get_future().get(), kRounds);
  shards.Stop();
}

// Shard 1, in its turn, wakes a wait of shard 0 as shard 0 (a Visit, as a
// command run in place on a thread mate does): shard 0's turn came first,
// so its task is left ready after every turn of the pass. The thread must
// not sleep on it: nothing else (no deadline, no I/O) would wake it.
TEST(SharedThreadTest, WorkAVisitLeavesToAMateRunsWithoutAWakeUp) {
  ShardSet shards(Packed(2));
  WakeableWait wait;
  std::promise<bool> woken;
  ASSERT_TRUE(shards
                  .Start([&](Reactor& r) {
                    if (r.shard_id() == 0) {
                      r.Spawn([](WakeableWait& wait,
                                 std::promise<bool>& out) -> Task<void> {
                        out.set_value(
                            co_await wait.Until(absl::InfiniteFuture()));
                      }(wait, woken));
                      return;
                    }
                    r.Spawn([](WakeableWait& wait) -> Task<void> {
                      // Resumed from shard 1's ready coroutines, in its
                      // turn, once the deadline has passed (the loop
                      // expires deadlines after its turns).
                      WakeableWait never;
                      co_await never.Until(absl::Now() + absl::Milliseconds(1));
                      Reactor::Visit visit(*Reactor::Current()->ThreadMate(0));
                      wait.Wake();
                    }(wait));
                  })
                  .ok());
  std::future<bool> result = woken.get_future();
  // Stop() would wake the thread too: the task must run before it.
  ASSERT_EQ(result.wait_for(std::chrono::seconds(10)),
            std::future_status::ready)
      << "shard 0's task was left asleep";
  EXPECT_TRUE(result.get());
  shards.Stop();
}

TEST(SharedThreadTest, StopEndsTheSharedLoopPromptly) {
  ShardSet shards(Packed(2));
  std::atomic<int> cancelled{0};
  std::promise<void> waiting;
  std::atomic<int> started{0};
  ASSERT_TRUE(shards
                  .Start([&](Reactor& r) {
                    r.Spawn([](std::atomic<int>& c, std::atomic<int>& s,
                               std::promise<void>& w) -> Task<void> {
                      if (s.fetch_add(1) + 1 == 2) w.set_value();
                      if (!co_await Delay(absl::Hours(1))) c.fetch_add(1);
                    }(cancelled, started, waiting));
                  })
                  .ok());
  waiting.get_future().get();
  const absl::Time start = absl::Now();
  shards.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(cancelled.load(), 2);
}

TEST(ShardSetTest, PollingOnlyWithACpuPerShard) {
  EXPECT_TRUE(ShardSet::PollingAllowed({.shard_count = 2, .cpus = {0, 1}}));
  EXPECT_FALSE(ShardSet::PollingAllowed({.shard_count = 2, .cpus = {0, 0}}));
  EXPECT_FALSE(ShardSet::PollingAllowed({.shard_count = 4, .cpus = {0, 1}}));
  EXPECT_FALSE(ShardSet::PollingAllowed({.shard_count = 2, .cpus = {}}));
}

TEST(ShardSetTest, OwnerOfUsesHashTags) {
  EXPECT_EQ(ShardSet::OwnerOf("{user}:a", 4), ShardSet::OwnerOf("{user}:b", 4));
  EXPECT_LT(ShardSet::OwnerOf("anything", 3), 3u);
}

TEST(ShardSetTest, RejectsCpuOutsideAffinityMask) {
  ShardSet shards({.shard_count = 1, .cpus = {CPU_SETSIZE - 1}});
  absl::Status status = shards.Start([](Reactor&) {});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot pin"), std::string_view::npos);
}

}  // namespace
}  // namespace shardd
