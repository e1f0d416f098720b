// The epoll backend drives the same awaitables as io_uring: timers, messages
// between shards (woken through the eventfd doorbell), an operation waiting
// for a descriptor to become ready, blocking calls on the offload pool, and
// the stop cancelling what still waits. Run under ThreadSanitizer.
#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <future>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/invoke_on.h"
#include "shard/io_awaiter.h"
#include "shard/shard_set.h"
#include "shard/timer.h"

namespace shardd {
namespace {

ShardSet::Options OnEpoll(uint32_t shards) {
  return {.shard_count = shards, .cpus = {}, .io_backend = IoBackend::kEpoll};
}

// A non-blocking pipe, closed at the end of the test (after the shards
// stopped).
struct Pipe {
  Pipe() { ok = pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0; }
  ~Pipe() {
    if (!ok) return;
    close(fds[0]);
    close(fds[1]);
  }
  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  int fds[2] = {-1, -1};
  bool ok = false;
};

// A read of one byte from `fd` (non-blocking), waiting until it is readable.
auto ReadByte(int fd, char* out) {
  return SocketAwaiter(
      fd, EPOLLIN,
      [](io_uring_sqe*) {},  // never prepared: the shard runs on epoll
      [fd, out] { return SyscallResult(read(fd, out, 1)); });
}

TEST(EpollBackendTest, TimersFireInDeadlineOrder) {
  ShardSet shards(OnEpoll(1));
  std::vector<int> order;
  std::promise<void> done;
  auto sleeper = [](std::vector<int>& out, int id, int ms,
                    std::promise<void>* finish) -> Task<void> {
    const absl::Time start = absl::Now();
    EXPECT_EQ(Reactor::Current()->backend(), IoBackend::kEpoll);
    EXPECT_TRUE(co_await Delay(absl::Milliseconds(ms)));
    EXPECT_GE(absl::Now() - start, absl::Milliseconds(ms));
    out.push_back(id);
    if (finish != nullptr) finish->set_value();
  };
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn(sleeper(order, 1, 40, &done));
    r.Spawn(sleeper(order, 2, 5, nullptr));
  }).ok());
  done.get_future().get();
  shards.Stop();
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
}

TEST(EpollBackendTest, MessagesWakeSleepingShards) {
  ShardSet shards(OnEpoll(3));
  std::promise<std::vector<uint32_t>> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() != 0) return;
    r.Spawn([](std::promise<std::vector<uint32_t>>& out) -> Task<void> {
      std::vector<uint32_t> ids;
      for (int round = 0; round < 100; ++round) {
        for (uint32_t target : {1u, 2u}) {
          ids.push_back(co_await InvokeOn(
              target, [] { return Reactor::Current()->shard_id(); }));
        }
      }
      out.set_value(ids);
    }(result));
  }).ok());
  const std::vector<uint32_t> ids = result.get_future().get();
  shards.Stop();
  ASSERT_EQ(ids.size(), 200u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], 1 + i % 2);
}

TEST(EpollBackendTest, WaitsForReadinessAndRunsBlockingCallsOffTheLoop) {
  const Pipe pipe;
  ASSERT_TRUE(pipe.ok);
  ShardSet shards(OnEpoll(2));
  std::promise<int> read_result;
  std::promise<char> byte_read;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    if (r.shard_id() == 0) {
      r.Spawn([](int fd, std::promise<int>& result,
                 std::promise<char>& byte) -> Task<void> {
        char c = 0;
        result.set_value(co_await ReadByte(fd, &c));  // waits: empty pipe
        byte.set_value(c);
      }(pipe.read_end(), read_result, byte_read));
    } else {
      // The write runs on the offload pool: a blocking call, as a file's.
      r.Spawn([](int fd) -> Task<void> {
        co_await Delay(absl::Milliseconds(20));
        const int written = co_await IoAwaiter(
            [](io_uring_sqe*) {},
            [fd] { return SyscallResult(write(fd, "x", 1)); });
        EXPECT_EQ(written, 1);
      }(pipe.write_end()));
    }
  }).ok());
  EXPECT_EQ(read_result.get_future().get(), 1);
  EXPECT_EQ(byte_read.get_future().get(), 'x');
  shards.Stop();
}

TEST(EpollBackendTest, StoppingCancelsWhatStillWaits) {
  const Pipe pipe;
  ASSERT_TRUE(pipe.ok);
  ShardSet shards(OnEpoll(1));
  std::promise<int> read_result;
  std::promise<void> waiting;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn([](int fd, std::promise<int>& result,
               std::promise<void>& started) -> Task<void> {
      char c = 0;
      started.set_value();
      result.set_value(co_await ReadByte(fd, &c));  // nothing ever comes
    }(pipe.read_end(), read_result, waiting));
  }).ok());
  waiting.get_future().get();
  shards.Stop();
  EXPECT_EQ(read_result.get_future().get(), -ECANCELED);
}

}  // namespace
}  // namespace shardd
