// Idle and slow connections are closed on time, and only those; client
// sockets carry TCP keepalive. A RESP
// client idle past --timeout is closed, and so is one that does not read its
// replies, but not one blocked in BLPOP nor one that keeps sending. An admin HTTP connection that has not sent a whole
// header within --http_header_timeout gets a 408 and a close (fifty of them
// at once do not stop /healthz); a keep-alive one idle past
// --http_idle_timeout is closed without a word. Blank lines before an HTTP
// request are skipped.
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

// How long a connection may take to be closed once its 1 s timeout is due:
// generous for a loaded machine, far below "never".
constexpr absl::Duration kCloseWithin = absl::Seconds(5);

// Reads one HTTP response (header and Content-Length body) from `fd`, a
// non-blocking socket, waiting until `deadline`.
absl::StatusOr<std::string> ReadHttpResponse(int fd, absl::Time deadline) {
  std::string response;
  while (true) {
    if (const size_t header_end = response.find("\r\n\r\n");
        header_end != std::string::npos) {
      const std::string header =
          absl::AsciiStrToLower(response.substr(0, header_end + 2));
      constexpr std::string_view kLength = "\r\ncontent-length:";
      const size_t at = header.find(kLength);
      if (at == std::string::npos) {
        return absl::DataLossError("no Content-Length: " + Printable(response));
      }
      const int64_t length =
          std::strtoll(header.c_str() + at + kLength.size(), nullptr, 10);
      if (response.size() >= header_end + 4 + static_cast<size_t>(length)) {
        return response;
      }
    }
    const absl::Duration left = deadline - absl::Now();
    if (left < absl::ZeroDuration()) {
      return absl::DeadlineExceededError("no whole response; got: " +
                                         Printable(response));
    }
    // Rounded up, so that a sub-millisecond remainder still waits.
    const int wait_ms = static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
    pollfd pfd{.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&pfd, 1, wait_ms) <= 0) continue;  // deadline checked above
    char chunk[4096];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n == 0) {
      return absl::UnavailableError("closed before a whole response; got: " +
                                    Printable(response));
    }
    if (n > 0) {
      response.append(chunk, static_cast<size_t>(n));
    } else if (errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("recv: errno ", errno));
    }
  }
}

class TimeoutsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2", "--timeout=1",
            "--http_header_timeout=1", "--http_idle_timeout=1",
            "--tcp_keepalive=7",
            // Room for fifty slow connections and /healthz beside them.
            "--admin_maxclients=100"};
  }
  absl::StatusOr<RespClient> ConnectAdmin() const {
    return RespClient::ConnectTcp("127.0.0.1", server().admin_port());
  }
};

// The server's side of an established IPv4 loopback connection on `port`,
// from /proc/net/tcp: its timer kind ("tr": 2 is keepalive) and when it
// fires, in clock ticks (USER_HZ, 100 a second). False if there is none.
bool ServerSocketTimer(int port, int* kind, int64_t* when_ticks) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the header
  char local_port[8];
  std::snprintf(local_port, sizeof(local_port), ":%04X", port);
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer;
    fields >> slot >> local >> remote >> state >> queues >> timer;
    if (!local.ends_with(local_port) || state != "01") continue;
    *kind = std::stoi(timer.substr(0, 2), nullptr, 16);
    *when_ticks = std::stoll(timer.substr(3), nullptr, 16);
    return true;
  }
  return false;
}

// --tcp_keepalive: the server's socket of a client connection has its
// keepalive timer armed for the configured idle time, so a peer that
// vanished without a FIN is found.
TEST_F(TimeoutsTest, ClientSocketsHaveKeepalive) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  // Another timer (a retransmit, a loss probe) shows instead while the
  // reply's ACK is still being processed: look again, for up to a second.
  int kind = -1;
  int64_t when_ticks = -1;
  const absl::Time give_up = absl::Now() + absl::Seconds(1);
  while (true) {
    ASSERT_TRUE(ServerSocketTimer(port(), &kind, &when_ticks));
    if (kind == 2 || absl::Now() >= give_up) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(kind, 2) << "no keepalive timer on the server's socket";
  EXPECT_GT(when_ticks, 0);
  EXPECT_LE(when_ticks, 7 * 100);
}

TEST_F(TimeoutsTest, IdleClientIsClosed) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  const absl::Time idle_since = absl::Now();
  client->set_timeout(kCloseWithin);
  absl::StatusOr<std::string> received = client->ReadUntilClosed();
  const absl::Duration idle = absl::Now() - idle_since;
  ASSERT_TRUE(received.ok()) << "still open after " << idle << ": "
                             << received.status();
  // Half the timeout as slack for clocks and timer granularity: a client
  // closed sooner was not idle for the timeout.
  EXPECT_GE(idle, absl::Milliseconds(500)) << "closed too early";
}

// Replies the client does not take count as idleness too (Redis counts only
// bytes actually written as activity): a client that pipelines GETs of a
// large value and never reads is closed once its socket stays full for the
// timeout.
TEST_F(TimeoutsTest, ClientThatDoesNotReadIsClosed) {
  absl::StatusOr<RespClient> observer = Connect();
  ASSERT_TRUE(observer.ok()) << observer.status();
  ASSERT_EQ(*observer->Command({"SET", "big", std::string(1 << 20, 'v')}),
            "+OK\r\n");
  absl::StatusOr<RespClient> stalled = Connect();
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  ASSERT_EQ(*stalled->Command({"PING"}), "+PONG\r\n");
  std::string pipeline;
  for (int i = 0; i < 64; ++i) pipeline += EncodeCommand({"GET", "big"});
  ASSERT_TRUE(stalled->SendSome(pipeline, absl::Seconds(1)).ok());

  // The observer's own INFOs keep it from idling out while it watches.
  std::string clients;
  EXPECT_TRUE(WaitForConnectedClients(*observer, 1, absl::Seconds(10),
                                      &clients))
      << "the client that does not read is still connected: " << clients;
}

TEST_F(TimeoutsTest, ClientBlockedInBlpopIsNotClosed) {
  absl::StatusOr<RespClient> blocked = Connect();
  ASSERT_TRUE(blocked.ok()) << blocked.status();
  ASSERT_TRUE(blocked->Send(EncodeCommand({"BLPOP", "somekey", "0"})).ok());
  // Blocked for 2.5 s, more than twice the timeout: no reply may come, and
  // a close would end this wait early with another error.
  blocked->set_timeout(absl::Milliseconds(2500));
  absl::StatusOr<std::string> early = blocked->ReadReply();
  ASSERT_TRUE(absl::IsDeadlineExceeded(early.status()))
      << (early.ok() ? Printable(*early) : early.status().ToString());

  // Connected only now, so that it has not been idle itself.
  absl::StatusOr<RespClient> pusher = Connect();
  ASSERT_TRUE(pusher.ok()) << pusher.status();
  absl::StatusOr<std::string> pushed =
      pusher->Command({"LPUSH", "somekey", "x"});
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_TRUE(pushed->starts_with(":")) << Printable(*pushed);
  blocked->set_timeout(kCloseWithin);
  absl::StatusOr<std::string> popped = blocked->ReadReply();
  ASSERT_TRUE(popped.ok()) << popped.status();
  EXPECT_EQ(*popped, absl::StrCat("*2\r\n", Bulk("somekey"), Bulk("x")));
}

TEST_F(TimeoutsTest, ClientThatKeepsSendingIsNotClosed) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const absl::Time end = absl::Now() + absl::Milliseconds(2500);
  for (int pings = 1; absl::Now() < end; ++pings) {
    absl::StatusOr<std::string> pong = client->Command({"PING"});
    ASSERT_TRUE(pong.ok()) << "PING " << pings << ": " << pong.status();
    ASSERT_EQ(*pong, "+PONG\r\n") << "PING " << pings;
    // The client's pace (the scenario itself): never idle for the timeout.
    absl::SleepFor(absl::Milliseconds(300));
  }
  EXPECT_EQ(*client->Command({"PING"}), "+PONG\r\n");
}

TEST_F(TimeoutsTest, IncompleteHttpHeaderGets408AndClose) {
  absl::StatusOr<RespClient> admin = ConnectAdmin();
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE(admin->Send("GET /metr").ok());
  admin->set_timeout(kCloseWithin);
  absl::StatusOr<std::string> response = admin->ReadUntilClosed();
  ASSERT_TRUE(response.ok()) << "still open: " << response.status();
  EXPECT_TRUE(response->starts_with("HTTP/1.1 408")) << Printable(*response);
}

// Slowloris: fifty connections that never finish their header each cost one
// timeout, not a slot forever; /healthz answers while they wait.
TEST_F(TimeoutsTest, FiftySlowHeadersAreAllClosedWhileHealthzAnswers) {
  constexpr int kSlow = 50;
  std::vector<RespClient> slow;
  for (int i = 0; i < kSlow; ++i) {
    absl::StatusOr<RespClient> client = ConnectAdmin();
    ASSERT_TRUE(client.ok()) << "connection " << i << ": " << client.status();
    ASSERT_TRUE(client->Send("GET /metr").ok());
    slow.push_back(*std::move(client));
  }
  absl::StatusOr<std::string> healthz =
      HttpGetBody(server().admin_port(), "/healthz");
  ASSERT_TRUE(healthz.ok()) << healthz.status();
  EXPECT_EQ(*healthz, "ok\n");

  const absl::Time deadline = absl::Now() + kCloseWithin;
  for (int i = 0; i < kSlow; ++i) {
    slow[i].set_timeout(
        std::max(deadline - absl::Now(), absl::Milliseconds(1)));
    absl::StatusOr<std::string> response = slow[i].ReadUntilClosed();
    ASSERT_TRUE(response.ok())
        << "connection " << i << " still open: " << response.status();
    EXPECT_TRUE(response->starts_with("HTTP/1.1 408"))
        << "connection " << i << ": " << Printable(*response);
  }
}

// Requests 300 ms apart keep a keep-alive connection open past the idle
// timeout's length; once they stop, it is closed with no further bytes.
TEST_F(TimeoutsTest, IdleKeepAliveConnectionIsClosedSilently) {
  absl::StatusOr<RespClient> admin = ConnectAdmin();
  ASSERT_TRUE(admin.ok()) << admin.status();
  for (int i = 1; i <= 5; ++i) {
    if (i > 1) absl::SleepFor(absl::Milliseconds(300));  // the client's pace
    ASSERT_TRUE(admin->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").ok());
    absl::StatusOr<std::string> response =
        ReadHttpResponse(admin->fd(), absl::Now() + kCloseWithin);
    ASSERT_TRUE(response.ok()) << "request " << i << ": " << response.status();
    EXPECT_TRUE(response->starts_with("HTTP/1.1 200")) << Printable(*response);
    EXPECT_TRUE(response->ends_with("\r\n\r\nok\n")) << Printable(*response);
  }
  admin->set_timeout(kCloseWithin);
  absl::StatusOr<std::string> rest = admin->ReadUntilClosed();
  ASSERT_TRUE(rest.ok()) << "still open: " << rest.status();
  EXPECT_EQ(Printable(*rest), "") << "bytes after the last response";
}

// Blank lines before a request line are skipped (RFC 9112, section 2.2),
// even 16 KiB of them.
TEST_F(TimeoutsTest, BlankLinesBeforeARequestAreSkipped) {
  std::string request;
  for (int i = 0; i < 8192; ++i) request += "\r\n";
  request += "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  absl::StatusOr<std::string> response =
      HttpExchange(server().admin_port(), request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_TRUE(response->starts_with("HTTP/1.1 200")) << Printable(*response);
}

}  // namespace
}  // namespace shardd::integration
