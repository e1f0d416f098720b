// The HTTP services' connection limits on a real shardd: a connection past
// --admin_maxclients (admin endpoint) or --http_maxclients (file service)
// gets a 503 and a close, also while the connections holding the slots have
// sent nothing, and the service answers again once they go; the admin
// endpoint counts its refusals in /stats and /metrics. (The RESP port's
// limits: connection_limits_test.cc.)
#include <poll.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

// The index of the first of `clients` with bytes to read or closed, waiting
// up to `timeout`; -1 if none.
int FirstReadable(const std::vector<RespClient>& clients,
                  absl::Duration timeout) {
  std::vector<pollfd> fds;
  for (const RespClient& client : clients) {
    fds.push_back({.fd = client.fd(), .events = POLLIN, .revents = 0});
  }
  const int ready = poll(fds.data(), fds.size(),
                         static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
    if (fds[i].revents != 0) return static_cast<int>(i);
  }
  return -1;
}

// Opens `limit` + 1 connections to `port` back to back: they may be
// accepted in any order over the shards, and exactly one is refused (503,
// then the close); once every slot is known to be held the next one is
// refused too; once they go, GET `path` answers 200 with a body that
// starts with `body_start`.
void ExpectConnectionPastTheLimitGets503(int port, int limit,
                                         std::string_view path,
                                         std::string_view body_start) {
  const auto connect = [port] {
    return RespClient::ConnectTcp("127.0.0.1", port);
  };
  std::vector<RespClient> held;
  for (int i = 0; i <= limit; ++i) {
    absl::StatusOr<RespClient> client = connect();
    ASSERT_TRUE(client.ok()) << client.status();
    held.push_back(*std::move(client));
  }
  const int refused = FirstReadable(held, absl::Seconds(10));
  ASSERT_GE(refused, 0) << "no connection was refused";
  absl::StatusOr<std::string> response = held[refused].ReadUntilClosed();
  ASSERT_TRUE(response.ok()) << "not closed: " << response.status();
  EXPECT_TRUE(response->starts_with("HTTP/1.1 503")) << Printable(*response);
  held.erase(held.begin() + refused);
  EXPECT_EQ(FirstReadable(held, absl::ZeroDuration()), -1)
      << "a connection within the limit was answered or closed";

  absl::StatusOr<RespClient> next = connect();
  ASSERT_TRUE(next.ok()) << next.status();
  absl::StatusOr<std::string> refusal = next->ReadUntilClosed();
  ASSERT_TRUE(refusal.ok()) << "not closed: " << refusal.status();
  EXPECT_TRUE(refusal->starts_with("HTTP/1.1 503")) << Printable(*refusal);

  held.clear();
  absl::StatusOr<std::string> body;
  ASSERT_TRUE(Eventually(absl::Seconds(10), [&] {
    body = HttpGetBody(port, path);
    return body.ok();
  })) << body.status();
  EXPECT_TRUE(body->starts_with(body_start)) << Printable(*body);
}

constexpr int kMaxClients = 4;

class AdminMaxClientsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    // The held connections send nothing: a long header timeout keeps them.
    return {"--port=0", "--admin_port=0", "--shards=2",
            absl::StrCat("--admin_maxclients=", kMaxClients),
            "--http_header_timeout=60"};
  }
};

TEST_F(AdminMaxClientsTest, ConnectionPastTheLimitGets503) {
  ExpectConnectionPastTheLimitGets503(server().admin_port(), kMaxClients,
                                      "/healthz", "ok\n");
  // The refusals are counted, apart from the Redis clients' (at least the
  // two above; a GET that came while the held connections were still
  // closing may have been refused too).
  absl::StatusOr<std::string> stats =
      HttpGetBody(server().admin_port(), "/stats");
  ASSERT_TRUE(stats.ok()) << stats.status();
  const size_t totals = stats->find("\"totals\"");
  ASSERT_NE(totals, std::string::npos) << *stats;
  const size_t admin = stats->find("\"admin\":{", totals);
  ASSERT_NE(admin, std::string::npos) << *stats;
  constexpr std::string_view kRejected = "\"connections_rejected\":";
  const size_t rejected = stats->find(kRejected, admin);
  ASSERT_NE(rejected, std::string::npos) << *stats;
  EXPECT_GE(
      std::strtoll(stats->c_str() + rejected + kRejected.size(), nullptr, 10),
      2)
      << *stats;
  absl::StatusOr<std::string> metrics =
      HttpGetBody(server().admin_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  constexpr std::string_view kSample =
      "shardd_admin_connections_rejected_total{shard=\"0\"} ";
  const size_t sample = metrics->find(kSample);
  ASSERT_NE(sample, std::string::npos) << *metrics;
  EXPECT_GE(
      std::strtoll(metrics->c_str() + sample + kSample.size(), nullptr, 10), 2)
      << *metrics;
}

class FileServiceMaxClientsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2",
            absl::StrCat("--http_maxclients=", kMaxClients),
            "--http_header_timeout=60"};
  }
};

TEST_F(FileServiceMaxClientsTest, ConnectionPastTheLimitGets503) {
  // The root's listing (the data directory's files/ is empty).
  ExpectConnectionPastTheLimitGets503(server().http_port(), kMaxClients, "/",
                                      "{\"path\":\"/\"");
}

}  // namespace
}  // namespace shardd::integration
