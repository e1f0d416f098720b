// MultishotReceiver's back-pressure (net/multishot_receiver.h): while a
// connection is busy, bytes that arrive wait in the receiver's own buffer,
// and past kHighWater the multishot recv is cancelled. Without that limit a
// client that pipelines without reading its replies would grow the server's
// memory without bound; with it the client fills its own socket. The next
// receive must re-arm the recv and lose or reorder nothing.
#include "net/multishot_receiver.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "net/connection.h"
#include "net/input_buffer.h"
#include "shard/provided_buffers.h"
#include "shard/reactor.h"
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
    auto* receiver = new MultishotReceiver(server, *buffers, counters);
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

}  // namespace
}  // namespace shardd::net
