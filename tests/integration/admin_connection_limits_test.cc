// The admin endpoint's connection limit on a real shardd: an admin
// connection past --admin_maxclients gets a 503 and a close, also while the
// connections holding the slots have sent nothing, and /healthz answers
// again once they go. (The RESP port's limits: connection_limits_test.cc.)
#include <poll.h>

#include <string>
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

class AdminMaxClientsTest : public ShardServerTest {
 protected:
  static constexpr int kAdminMaxClients = 4;
  std::vector<std::string> ServerFlags() const override {
    // The held connections send nothing: a long header timeout keeps them.
    return {"--port=0", "--admin_port=0", "--shards=2",
            absl::StrCat("--admin_maxclients=", kAdminMaxClients),
            "--http_header_timeout=60"};
  }
  absl::StatusOr<RespClient> ConnectAdmin() const {
    return RespClient::ConnectTcp("127.0.0.1", server().admin_port());
  }
};

// Past --admin_maxclients an admin connection gets a 503 and a close, also
// when the connections holding the slots have sent nothing; once they go,
// /healthz answers again.
TEST_F(AdminMaxClientsTest, ConnectionPastTheLimitGets503) {
  // Opened back to back, the kAdminMaxClients + 1 connections may be
  // accepted in any order over the shards: exactly one of them is refused.
  std::vector<RespClient> held;
  for (int i = 0; i <= kAdminMaxClients; ++i) {
    absl::StatusOr<RespClient> client = ConnectAdmin();
    ASSERT_TRUE(client.ok()) << client.status();
    held.push_back(*std::move(client));
  }
  const int refused = FirstReadable(held, absl::Seconds(10));
  ASSERT_GE(refused, 0) << "no admin connection was refused";
  absl::StatusOr<std::string> response = held[refused].ReadUntilClosed();
  ASSERT_TRUE(response.ok()) << "not closed: " << response.status();
  EXPECT_TRUE(response->starts_with("HTTP/1.1 503")) << Printable(*response);
  held.erase(held.begin() + refused);
  EXPECT_EQ(FirstReadable(held, absl::ZeroDuration()), -1)
      << "a connection within the limit was answered or closed";

  // Every slot is now known to be held: the next connection is refused.
  absl::StatusOr<RespClient> next = ConnectAdmin();
  ASSERT_TRUE(next.ok()) << next.status();
  absl::StatusOr<std::string> refusal = next->ReadUntilClosed();
  ASSERT_TRUE(refusal.ok()) << "not closed: " << refusal.status();
  EXPECT_TRUE(refusal->starts_with("HTTP/1.1 503")) << Printable(*refusal);

  held.clear();
  absl::StatusOr<std::string> body;
  ASSERT_TRUE(Eventually(absl::Seconds(10), [&] {
    body = HttpGetBody(server().admin_port(), "/healthz");
    return body.ok();
  })) << body.status();
  EXPECT_EQ(*body, "ok\n");
}

}  // namespace
}  // namespace shardd::integration
