#include "tests/integration/support/shardd_binary.h"

#include <stdlib.h>

#include "absl/status/status.h"

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

}  // namespace shardd::integration
