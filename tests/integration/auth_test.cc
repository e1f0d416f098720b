// AUTH, --requirepass, protected mode and the admin endpoint's token,
// against the real binary. Clients bound to source address 127.0.0.3 (still
// loopback: nothing leaves the machine, yet it is not 127.0.0.1) stand for
// remote ones. Expected error texts are redis-server 7.0's, except the
// explanation after -DENIED, which is shardd's own.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

constexpr char kNoAuth[] = "-NOAUTH Authentication required.\r\n";
constexpr char kWrongPass[] =
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

// Sends `request` from source address 127.0.0.3 and returns every byte the
// server sends until it closes or `linger` passes.
std::string ExchangeFrom127003(int port, const std::string& request,
                               absl::Duration linger) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.3", &source.sin_addr);
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &target.sin_addr);
  std::string received;
  if (bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof(target)) != 0 ||
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    close(fd);
    return "<connect or send failed>";
  }
  timeval timeout = absl::ToTimeval(linger);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;  // closed, or quiet for `linger`
    received.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return received;
}

class ProtectedModeTest : public ShardServerTest {};

TEST_F(ProtectedModeTest, RefusesOtherAddressesWhileNoPasswordIsSet) {
  const std::string reply =
      ExchangeFrom127003(port(), EncodeCommand({"PING"}), absl::Seconds(10));
  EXPECT_TRUE(reply.starts_with("-DENIED ")) << Printable(reply);
  EXPECT_TRUE(reply.ends_with("\r\n")) << Printable(reply);
  // 127.0.0.1 itself is served.
  ExpectServerAnswers();
}

class ProtectedModeOffTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--protected_mode=false"};
  }
};

TEST_F(ProtectedModeOffTest, ServesEveryAddress) {
  EXPECT_EQ(ExchangeFrom127003(port(), EncodeCommand({"PING"}),
                               absl::Milliseconds(300)),
            "+PONG\r\n");
}

class RequirePassTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--requirepass=sekret"};
  }
};

TEST_F(RequirePassTest, OtherAddressesAreServedAfterAuth) {
  const std::string script =
      EncodeCommand({"GET", "k"}) + EncodeCommand({"AUTH", "wrong"}) +
      EncodeCommand({"AUTH", "sekret"}) + EncodeCommand({"GET", "k"});
  EXPECT_EQ(ExchangeFrom127003(port(), script, absl::Milliseconds(300)),
            absl::StrCat(kNoAuth, kWrongPass, "+OK\r\n", "$-1\r\n"));
}

TEST_F(RequirePassTest, RepliesAsRedisDoes) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  // An unknown command or a wrong arity is named before NOAUTH.
  EXPECT_EQ(*client->Command({"NOSUCH"}),
            "-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
  EXPECT_EQ(*client->Command({"GET"}),
            "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(*client->Command({"SET", "k", "v"}), kNoAuth);
  EXPECT_EQ(*client->Command({"HELLO", "3"}),
            "-NOAUTH HELLO must be called with the client already "
            "authenticated, otherwise the HELLO AUTH <user> <pass> option can "
            "be used to authenticate the client and select the RESP protocol "
            "version at the same time\r\n");
  EXPECT_EQ(*client->Command({"AUTH", "sekret", "extra", "more"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(*client->Command({"HELLO", "3", "AUTH", "default", "wrong"}),
            kWrongPass);
  EXPECT_EQ(*client->Command({"AUTH", "someone", "sekret"}), kWrongPass);
  const absl::StatusOr<std::string> hello =
      client->Command({"HELLO", "3", "AUTH", "default", "sekret"});
  EXPECT_TRUE(hello->starts_with("%7\r\n")) << Printable(*hello);
  EXPECT_EQ(*client->Command({"SET", "k", "v"}), kOk);
  // A failed AUTH later leaves the connection authenticated.
  EXPECT_EQ(*client->Command({"AUTH", "wrong"}), kWrongPass);
  EXPECT_EQ(*client->Command({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(*client->Command({"ACL", "WHOAMI"}), Bulk("default"));
  EXPECT_EQ(*client->Command({"CONFIG", "GET", "requirepass"}),
            absl::StrCat("%1\r\n", Bulk("requirepass"), Bulk("sekret")));
  // RESET logs the connection out, as a new one.
  EXPECT_EQ(*client->Command({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(*client->Command({"GET", "k"}), kNoAuth);
  // With the password cleared, it needs no AUTH any more.
  absl::StatusOr<RespClient> admin = Connect();
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_EQ(*admin->Command({"AUTH", "sekret"}), kOk);
  ASSERT_EQ(*admin->Command({"CONFIG", "SET", "requirepass", ""}), kOk);
  EXPECT_EQ(*client->Command({"GET", "k"}), Bulk("v"));
  // QUIT needs no password.
  absl::StatusOr<RespClient> other = Connect();
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(*other->Command({"QUIT"}), kOk);
}

TEST_F(ProtectedModeTest, AuthWithoutAPasswordSet) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ(*client->Command({"AUTH", "x"}),
            "-ERR AUTH <password> called without any password configured for "
            "the default user. Are you sure your configuration is "
            "correct?\r\n");
  EXPECT_EQ(*client->Command({"AUTH", "default", "anything"}), kOk);
  EXPECT_EQ(*client->Command({"AUTH", "someone", "anything"}), kWrongPass);
  EXPECT_EQ(*client->Command({"ACL", "WHOAMI"}), Bulk("default"));
  EXPECT_EQ(*client->Command({"ACL", "USERS"}),
            absl::StrCat("*1\r\n", Bulk("default")));
  EXPECT_EQ(*client->Command({"ACL", "NOPE"}),
            "-ERR unknown subcommand 'NOPE'. Try ACL HELP.\r\n");
  const absl::StatusOr<std::string> setuser =
      client->Command({"ACL", "SETUSER", "x"});
  EXPECT_TRUE(setuser->starts_with("-ERR ACL SETUSER is not supported"))
      << Printable(*setuser);
}

class AdminTokenTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--admin_token=t0ken"};
  }
  std::string Get(const std::string& path, const std::string& authorization) {
    absl::StatusOr<std::string> response =
        HttpExchange(server().admin_port(),
                     absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\n",
                                  authorization, "Connection: close\r\n\r\n"));
    return response.ok() ? response->substr(0, 12) : "<failed>";
  }
};

TEST_F(AdminTokenTest, MetricsAndStatsNeedTheToken) {
  EXPECT_EQ(Get("/stats", ""), "HTTP/1.1 401");
  EXPECT_EQ(Get("/metrics", "Authorization: Bearer wrong\r\n"), "HTTP/1.1 401");
  EXPECT_EQ(Get("/metrics", "Authorization: Bearer t0ken\r\n"), "HTTP/1.1 200");
  EXPECT_EQ(Get("/stats", "Authorization: bearer t0ken\r\n"), "HTTP/1.1 200");
  EXPECT_EQ(Get("/healthz", ""), "HTTP/1.1 200");
}

TEST(AdminBindTest, ANonLoopbackBindNeedsAToken) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  absl::StatusOr<TempDir> dir = TempDir::Create("shardd-admin-bind-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const ProgramResult refused = RunProgram(
      {ShardBinary(), "--port=0", "--admin_port=0", "--admin_bind=0.0.0.0",
       "--http=false", absl::StrCat("--dir=", dir->path())},
      {}, absl::Seconds(20));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.stderr_text.find("--admin_token"), std::string::npos)
      << refused.stderr_text;
}

}  // namespace
}  // namespace shardd::integration
