#include "tests/integration/support/shardd_binary.h"

#include <stdlib.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#ifndef SHARDD_BINARY
#define SHARDD_BINARY ""
#endif

namespace shardd::integration {

std::string ShardBinary() {
  const char* from_environment = getenv("SHARDD_BINARY");
  if (from_environment != nullptr && from_environment[0] != '\0') {
    return from_environment;
  }
  return SHARDD_BINARY;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> StartShardd(
    const std::vector<std::string>& flags) {
  const std::string binary = ShardBinary();
  if (binary.empty()) {
    return absl::FailedPreconditionError("no shardd binary to test");
  }
  // Tests run side by side: unless a test chooses, the admin endpoint takes
  // a free port too (the default 9100 would be shared through SO_REUSEPORT).
  std::vector<std::string> all_flags = flags;
  bool admin_chosen = false;
  for (const std::string& flag : flags) {
    if (flag.starts_with("--admin")) admin_chosen = true;
  }
  if (!admin_chosen) all_flags.push_back("--admin_port=0");
  return ServerProcess::Start(binary, all_flags);
}

void ShardServerTest::SetUp() {
  if (ShardBinary().empty()) {
    GTEST_SKIP() << "shardd is not built yet (no `shardd` CMake target)";
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      StartShardd(ServerFlags());
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
}

absl::StatusOr<RespClient> ShardServerTest::Connect() const {
  return RespClient::ConnectTcp("127.0.0.1", server_->port());
}

void ShardServerTest::ExpectServerAnswers() const {
  ASSERT_FALSE(server_->TryReap().has_value()) << "shardd exited";
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<std::string> pong = client->Command({"PING"});
  ASSERT_TRUE(pong.ok()) << pong.status();
  EXPECT_EQ(*pong, "+PONG\r\n");
}

bool ShardServerTest::WaitForConnectedClients(RespClient& observer, int count,
                                              absl::Duration timeout,
                                              std::string* last_info) const {
  const std::string wanted = absl::StrCat("connected_clients:", count, "\r\n");
  const absl::Time give_up = absl::Now() + timeout;
  while (true) {
    absl::StatusOr<std::string> info = observer.Command({"INFO", "clients"});
    *last_info = info.ok() ? *info : info.status().ToString();
    if (info.ok() && info->find(wanted) != std::string::npos) return true;
    if (!info.ok() || absl::Now() >= give_up) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace shardd::integration
