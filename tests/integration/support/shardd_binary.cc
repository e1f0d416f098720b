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
  return ServerProcess::Start(binary, flags);
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
