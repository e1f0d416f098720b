// A tiny echo service built on net/ alone (no KV, no admin): proof that the
// connection layer knows no service. It also pins down what the layer owns:
// spreading connections over shards, maxclients with the service's refusal
// bytes, receive deadlines, and refusing a port another server listens on.
// Runs under ThreadSanitizer: accepting, handing off and closing cross
// threads.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "net/acceptor.h"
#include "net/connection.h"
#include "net/input_buffer.h"
#include "shard/shard_set.h"
#include "shard/task.h"

namespace shardd::net {
namespace {

constexpr std::string_view kRefusal = "FULL\n";
constexpr std::string_view kTimedOut = "timeout\n";

// Echoes what arrives; says kTimedOut and closes after `idle` without data.
Task<void> Echo(Connection connection, absl::Duration idle) {
  InputBuffer input(4096, 64 * 1024);
  for (;;) {
    const int received =
        co_await connection.Receive(input, absl::Now() + idle);
    if (received == -EAGAIN) continue;
    if (received == -ETIMEDOUT) {
      co_await connection.SendAll(kTimedOut);
      co_return;
    }
    if (received <= 0) co_return;
    const std::string echo(input.data());
    input.Consume(input.size());
    if (!co_await connection.SendAll(echo)) co_return;
  }
}

// A blocking client socket whose reads give up after 10 s.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address),
                         sizeof(address)) == 0;
  }
  Client(Client&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_) {}
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }

  bool connected() const { return connected_; }
  void Send(std::string_view bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // Reads until `size` bytes came or the stream ended (or timed out).
  std::string Read(size_t size) {
    std::string got;
    char buffer[4096];
    while (got.size() < size) {
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  }
  // True once the server closed: a read returns end of stream.
  bool ReadsEndOfStream() {
    char byte;
    return recv(fd_, &byte, 1, 0) == 0;
  }

 private:
  int fd_;
  bool connected_ = false;
};

struct EchoServer {
  EchoServer(uint32_t shards, uint32_t max_clients, absl::Duration idle,
             uint16_t port = 0)
      : acceptor({.name = "echo",
                  .port = port,
                  .listeners = shards,
                  .max_clients = max_clients,
                  .refusal = std::string(kRefusal)},
                 shards,
                 [idle](Connection c) { return Echo(std::move(c), idle); }),
        shard_set({.shard_count = shards}) {}

  absl::Status Start() {
    if (absl::Status s = acceptor.Listen(); !s.ok()) return s;
    return shard_set.Start([this](Reactor& r) { acceptor.StartOnShard(r); });
  }

  // After Stop(): the counters of every shard, added up.
  ConnectionCounters Totals() const {
    ConnectionCounters sum;
    for (uint32_t s = 0; s < shard_set.size(); ++s) {
      const ConnectionCounters& c = acceptor.CountersOn(s);
      sum.accepted += c.accepted;
      sum.closed += c.closed;
      sum.rejected += c.rejected;
      sum.timed_out += c.timed_out;
      sum.current += c.current;
    }
    return sum;
  }

  Acceptor acceptor;
  ShardSet shard_set;
};

TEST(EchoServiceTest, EchoesAndSpreadsConnectionsOverShards) {
  EchoServer server(/*shards=*/2, /*max_clients=*/100, absl::Seconds(30));
  ASSERT_TRUE(server.Start().ok());
  std::vector<Client> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back(server.acceptor.port());
    ASSERT_TRUE(clients.back().connected());
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    const std::string message = "hello " + std::to_string(i) + "\n";
    clients[i].Send(message);
    EXPECT_EQ(clients[i].Read(message.size()), message);
  }
  EXPECT_EQ(server.acceptor.open_connections(), 8u);
  clients.clear();
  server.shard_set.Stop();
  const ConnectionCounters totals = server.Totals();
  EXPECT_EQ(totals.accepted, 8u);
  EXPECT_EQ(totals.rejected, 0u);
  // Every shard served some: the hand-off evens out what the kernel chose.
  for (uint32_t s = 0; s < 2; ++s) {
    EXPECT_GT(server.acceptor.CountersOn(s).accepted, 0u) << "shard " << s;
  }
}

TEST(EchoServiceTest, ClientPastMaxClientsGetsTheServicesRefusal) {
  EchoServer server(/*shards=*/2, /*max_clients=*/2, absl::Seconds(30));
  ASSERT_TRUE(server.Start().ok());
  std::vector<Client> clients;
  for (int i = 0; i < 2; ++i) {
    clients.emplace_back(server.acceptor.port());
    clients.back().Send("x");
    ASSERT_EQ(clients.back().Read(1), "x");  // served, so counted
  }
  Client extra(server.acceptor.port());
  EXPECT_EQ(extra.Read(kRefusal.size()), kRefusal);
  EXPECT_TRUE(extra.ReadsEndOfStream());
  EXPECT_EQ(server.acceptor.open_connections(), 2u);
  clients.clear();
  server.shard_set.Stop();
  EXPECT_EQ(server.Totals().rejected, 1u);
  EXPECT_EQ(server.Totals().current, 0u);
}

TEST(EchoServiceTest, ReceiveDeadlineEndsAnIdleConnection) {
  EchoServer server(/*shards=*/1, /*max_clients=*/10,
                    absl::Milliseconds(200));
  ASSERT_TRUE(server.Start().ok());
  Client client(server.acceptor.port());
  // Before the send: the server's idle time cannot start any earlier.
  const absl::Time idle_from = absl::Now();
  client.Send("ping");
  EXPECT_EQ(client.Read(4), "ping");
  EXPECT_EQ(client.Read(kTimedOut.size()), kTimedOut);
  EXPECT_GE(absl::Now() - idle_from, absl::Milliseconds(200));
  EXPECT_TRUE(client.ReadsEndOfStream());
}

TEST(EchoServiceTest, PortAnotherServerListensOnIsRefused) {
  EchoServer first(/*shards=*/2, /*max_clients=*/10, absl::Seconds(30));
  ASSERT_TRUE(first.Start().ok());
  EchoServer second(/*shards=*/2, /*max_clients=*/10, absl::Seconds(30),
                    first.acceptor.port());
  const absl::Status status = second.acceptor.Listen();
  EXPECT_TRUE(absl::IsAlreadyExists(status)) << status;
  // The first still serves.
  Client client(first.acceptor.port());
  client.Send("still here");
  EXPECT_EQ(client.Read(10), "still here");
}

}  // namespace
}  // namespace shardd::net
