// MultishotReceiver's two limits (net/multishot_receiver.h):
// - back-pressure: while a connection is busy, bytes that arrive wait in the
//   receiver's own buffer, and past kHighWater the multishot recv is
//   cancelled. Without that limit a client that pipelines without reading
//   its replies would grow the server's memory without bound; with it the
//   client fills its own socket. The next receive must re-arm the recv and
//   lose or reorder nothing.
// - the shard's shared buffers: when more connections get data in one loop
//   turn than the shard has buffers, the kernel ends their recvs with
//   ENOBUFS; each must re-arm and still get every byte.
#include "net/multishot_receiver.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "net/connection.h"
#include "net/input_buffer.h"
#include "shard/provided_buffers.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"
#include "shard/task.h"
#include "shard/timer.h"
#include "tests/aio/run_on_shard.h"

namespace shardd::net {
namespace {

// Byte `i` of the stream: not periodic in any buffer or chunk size, so a
// lost, repeated or reordered chunk shows.
char PatternByte(size_t i) { return static_cast<char>(i * 7 % 251); }

std::string Pattern(size_t from, size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = PatternByte(from + i);
  return bytes;
}

TEST(MultishotReceiverTest, StopsTakingBytesPastHighWaterUntilNextReceive) {
  // What the shard saw, checked here: gtest's ASSERTs cannot return from a
  // coroutine.
  bool skipped = false;
  bool armed = false;      // the first receive came through the multishot
  size_t buffer_size = 0;  // one provided buffer: what one CQE can bring
  size_t first = 0;        // bytes the arming receive took
  size_t written = 0;      // bytes the peer got into the socket
  bool peer_blocked = false;
  int write_error = 0;
  uint64_t taken_while_busy = 0;  // bytes_in beyond the arming receive
  std::string received;
  int receive_error = 0;
  ConnectionCounters counters;

  aio::RunOnShard([&]() -> Task<void> {
    ProvidedBuffers* buffers = Reactor::Current()->ReceiveBuffers();
    if (!MultishotReceiver::Supported() || buffers == nullptr) {
      skipped = true;
      co_return;
    }
    buffer_size = buffers->buffer_size();
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      write_error = errno;
      co_return;
    }
    const int server = fds[0];  // blocking, as an accepted socket
    const int peer = fds[1];
    auto* receiver =
        new MultishotReceiver({.value = server}, *buffers, counters);
    InputBuffer in(16 * 1024, 1 << 20);

    // Arms the recv: from here on bytes arrive whether a receive waits or
    // not.
    const std::string hello = Pattern(0, 100);
    send(peer, hello.data(), hello.size(), MSG_NOSIGNAL);
    written = hello.size();
    const int n =
        co_await receiver->Receive(in, absl::Now() + absl::Seconds(5));
    if (n == -EAGAIN && !MultishotReceiver::Supported()) {
      skipped = true;  // Linux 5.19: buffer rings but no multishot recv
    } else if (n > 0) {
      armed = true;
      first = static_cast<size_t>(n);
      received.append(in.data());
      in.Consume(in.size());
    }

    // Busy: no receive waits. Chunks of half a buffer, each given a loop
    // turn to be reaped, so the receiver can overshoot the limit by at most
    // what was in flight when it asked to cancel.
    const size_t chunk = buffer_size / 2;
    constexpr size_t kMaxWritten = 8 << 20;
    while (armed && written < kMaxWritten) {
      const std::string bytes = Pattern(written, chunk);
      const ssize_t sent =
          send(peer, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          peer_blocked = true;
        } else {
          write_error = errno;
        }
        break;
      }
      written += static_cast<size_t>(sent);
      co_await Delay(absl::Milliseconds(1));
    }
    // A few more turns: anything the receiver would still take shows.
    for (int i = 0; armed && i < 10; ++i) {
      co_await Delay(absl::Milliseconds(1));
    }
    taken_while_busy = counters.bytes_in - first;

    // Receiving again hands over the early bytes, then re-arms for the rest
    // still in the socket. Bounded: each receive brings at least one byte
    // or fails.
    for (int i = 0; armed && received.size() < written && i < 100000; ++i) {
      const int got =
          co_await receiver->Receive(in, absl::Now() + absl::Seconds(5));
      if (got == -EAGAIN) continue;
      if (got <= 0) {
        receive_error = got;
        break;
      }
      received.append(in.data());
      in.Consume(in.size());
    }

    receiver->Abandon();
    close(peer);
    close(server);
  });

  if (skipped) GTEST_SKIP() << "no multishot recv with provided buffers";
  ASSERT_TRUE(armed) << "the arming receive brought nothing";
  ASSERT_EQ(write_error, 0);
  // The socket filled: the server stopped taking bytes.
  EXPECT_TRUE(peer_blocked) << written << " bytes written without blocking";
  // It took bytes while busy up to the limit, and not much more.
  EXPECT_GE(taken_while_busy, MultishotReceiver::kHighWater);
  EXPECT_LE(taken_while_busy, MultishotReceiver::kHighWater + buffer_size);
  // Then everything arrived, in order.
  EXPECT_EQ(receive_error, 0);
  ASSERT_EQ(received.size(), written);
  EXPECT_TRUE(received == Pattern(0, written))
      << "the stream arrived out of order or corrupted";
  EXPECT_EQ(counters.bytes_in, written);
}

// One connection's receiving side for the shortage test: receives until
// `expected` bytes came or a receive failed.
struct Receiving {
  int server = -1;
  int peer = -1;
  MultishotReceiver* receiver = nullptr;
  std::unique_ptr<InputBuffer> in;
  std::string received;
  int error = 0;
  bool done = false;
};

Task<void> ReceiveAll(Receiving& r, size_t expected) {
  // Bounded: each receive brings at least one byte or fails.
  for (size_t i = 0; r.received.size() < expected && i < expected; ++i) {
    const int got =
        co_await r.receiver->Receive(*r.in, absl::Now() + absl::Seconds(5));
    if (got == -EAGAIN) continue;
    if (got <= 0) {
      r.error = got;
      break;
    }
    r.received.append(r.in->data());
    r.in->Consume(r.in->size());
  }
  r.done = true;
}

TEST(MultishotReceiverTest, RunningOutOfSharedBuffersLosesNothing) {
  constexpr int kConnections = 8;
  constexpr uint16_t kBuffers = 2;          // fewer than connections with data
  // Less than one buffer (16 KiB): only several connections at once can
  // run out of them.
  constexpr size_t kBytesEach = 8 * 1024;
  bool skipped = false;
  int setup_error = 0;
  bool all_done = false;
  uint64_t shortages = 0;
  std::vector<Receiving> conns(kConnections);
  std::vector<std::unique_ptr<ConnectionCounters>> counters;

  aio::RunOnShard(
      [&]() -> Task<void> {
        ProvidedBuffers* buffers = Reactor::Current()->ReceiveBuffers();
        if (!MultishotReceiver::Supported() || buffers == nullptr) {
          skipped = true;
          co_return;
        }
        for (Receiving& r : conns) {
          int fds[2];
          if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
            setup_error = errno;
            break;
          }
          r.server = fds[0];
          r.peer = fds[1];
          counters.push_back(std::make_unique<ConnectionCounters>());
          r.receiver = new MultishotReceiver({.value = r.server}, *buffers,
                                             *counters.back());
          r.in = std::make_unique<InputBuffer>(16 * 1024, 1 << 20);
          // Arms its recv and waits.
          Reactor::Current()->Spawn(ReceiveAll(r, kBytesEach));
        }
        if (setup_error == 0) {
          // One loop turn submits the recvs.
          co_await Delay(absl::Milliseconds(1));
          // Every connection gets its bytes before the loop reaps one
          // completion, so the kernel runs out of the two buffers at once.
          for (int i = 0; i < kConnections; ++i) {
            const std::string bytes = Pattern(i, kBytesEach);
            if (send(conns[i].peer, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
                static_cast<ssize_t>(bytes.size())) {
              setup_error = errno;
            }
          }
        }
        // Bounded: each receive waits at most 5 s.
        for (int turn = 0; turn < 10000 && !all_done; ++turn) {
          co_await Delay(absl::Milliseconds(1));
          all_done = true;
          for (const Receiving& r : conns) {
            all_done = all_done && (r.receiver == nullptr || r.done);
          }
        }
        shortages = Reactor::Current()->stats().receive_buffer_shortages;
        for (Receiving& r : conns) {
          if (r.receiver == nullptr) continue;
          r.receiver->Abandon();
          close(r.peer);
          close(r.server);
        }
      },
      {.receive_buffer_count = kBuffers});

  if (skipped) GTEST_SKIP() << "no multishot recv with provided buffers";
  ASSERT_EQ(setup_error, 0);
  ASSERT_TRUE(all_done);
  // The limit was reached ...
  EXPECT_GT(shortages, 0u);
  // ... and every connection still got its bytes, in order.
  for (int i = 0; i < kConnections; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(conns[i].error, 0);
    ASSERT_EQ(conns[i].received.size(), kBytesEach);
    EXPECT_TRUE(conns[i].received == Pattern(i, kBytesEach));
  }
}

}  // namespace
}  // namespace shardd::net
