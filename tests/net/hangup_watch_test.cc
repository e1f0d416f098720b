// HangupWatch (net/hangup_watch.h) on both backends, on a socketpair: it
// calls back once the peer hangs up (also when it already had), never after
// Abandon(), and a shard that stops while a wait has a watch armed still
// finishes.
#include "net/hangup_watch.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"
#include "shard/task.h"
#include "shard/timer.h"
#include "shard/wakeable_wait.h"
#include "tests/aio/run_on_shard.h"

namespace shardd::net {
namespace {

class HangupWatchTest : public testing::TestWithParam<IoBackend> {
 protected:
  ShardSet::Options Options() const { return {.io_backend = GetParam()}; }
};

// Loop turns, each at least 1 ms, until `done` or 5 s.
Task<void> TurnsUntil(const bool& done) {
  for (int i = 0; i < 5000 && !done; ++i) {
    co_await Delay(absl::Milliseconds(1));
  }
}

TEST_P(HangupWatchTest, CallsBackWhenThePeerHangsUp) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  bool fired_early = false;
  bool fired = false;
  aio::RunOnShard(
      [&]() -> Task<void> {
        HangupWatch* watch =
            HangupWatch::Start({.value = fds[0]}, [&] { fired = true; });
        // Turns with the peer still there: nothing.
        co_await Delay(absl::Milliseconds(5));
        fired_early = fired;
        close(fds[1]);
        co_await TurnsUntil(fired);
        watch->Abandon();
      },
      Options());
  close(fds[0]);
  EXPECT_FALSE(fired_early);
  EXPECT_TRUE(fired);
}

TEST_P(HangupWatchTest, CallsBackForAHangupThatCameBefore) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  close(fds[1]);
  bool fired = false;
  aio::RunOnShard(
      [&]() -> Task<void> {
        HangupWatch* watch =
            HangupWatch::Start({.value = fds[0]}, [&] { fired = true; });
        co_await TurnsUntil(fired);
        watch->Abandon();
      },
      Options());
  close(fds[0]);
  EXPECT_TRUE(fired);
}

TEST_P(HangupWatchTest, NeverCallsBackAfterAbandon) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  bool fired = false;
  aio::RunOnShard(
      [&]() -> Task<void> {
        HangupWatch* watch =
            HangupWatch::Start({.value = fds[0]}, [&] { fired = true; });
        watch->Abandon();
        close(fds[1]);
        // Turns in which a hang-up still watched would be seen (the
        // scenario, not a wait for an event).
        co_await Delay(absl::Milliseconds(20));
      },
      Options());
  close(fds[0]);
  EXPECT_FALSE(fired);
}

// As RunBlocking uses it: a wait with a watch armed ends when the shard
// stops, the watch is abandoned then, and the loop still finishes.
TEST_P(HangupWatchTest, AStoppingShardEndsAWaitWithAWatchArmed) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  bool fired = false;
  bool ended = false;
  std::promise<void> armed;
  auto task = [&]() -> Task<void> {
    WakeableWait wait;
    HangupWatch* watch = HangupWatch::Start({.value = fds[0]}, [&] {
      fired = true;
      wait.Wake();
    });
    armed.set_value();
    co_await wait.Until(absl::InfiniteFuture());  // ends at the stop
    watch->Abandon();
    ended = true;
  };
  ShardSet shards(Options());
  ASSERT_TRUE(shards.Start([&](Reactor& r) { r.Spawn(task()); }).ok());
  ASSERT_EQ(armed.get_future().wait_for(std::chrono::seconds(20)),
            std::future_status::ready);
  shards.Stop();  // joins: the loop finished
  close(fds[0]);
  close(fds[1]);
  EXPECT_TRUE(ended);
  EXPECT_FALSE(fired);
}

INSTANTIATE_TEST_SUITE_P(Backends, HangupWatchTest,
                         testing::Values(IoBackend::kIoUring,
                                         IoBackend::kEpoll),
                         [](const testing::TestParamInfo<IoBackend>& info) {
                           return info.param == IoBackend::kIoUring ? "io_uring"
                                                                    : "epoll";
                         });

}  // namespace
}  // namespace shardd::net
