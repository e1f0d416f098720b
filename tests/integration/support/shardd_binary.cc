#include "tests/integration/support/shardd_binary.h"

#include <sched.h>
#include <stdlib.h>

#include <string_view>
#include <utility>

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

namespace {

// The name of a command-line flag: "http_port" for "--http_port=0",
// "-http_port=0" or "--http_port"; "" for a word that is not a flag.
std::string_view FlagName(std::string_view word) {
  if (!word.starts_with('-')) return {};
  word.remove_prefix(word.starts_with("--") ? 2 : 1);
  return word.substr(0, word.find('='));
}

}  // namespace

bool TestsUseEpoll() {
  const char* backend = std::getenv("SHARDD_TEST_IO_BACKEND");
  return backend != nullptr && std::string_view(backend) == "epoll";
}

absl::StatusOr<std::vector<std::string>> WithTestDefaults(
    const std::vector<std::string>& flags, TempDir* data_dir) {
  std::vector<std::string> all_flags = flags;
  bool admin_chosen = false, http_chosen = false, dir_chosen = false;
  bool backend_chosen = false, cpus_chosen = false, shards_chosen = false;
  for (const std::string& flag : flags) {
    const std::string_view name = FlagName(flag);
    // Not --admin_token or --admin_bind: the endpoint keeps a free port.
    if (name == "admin" || name == "noadmin" || name == "admin_port") {
      admin_chosen = true;
    }
    // Not --http_header_timeout or --http_idle_timeout (the admin
    // endpoint's), nor --http_bind or --http_maxclients: the service keeps
    // a free port.
    if (name == "http" || name == "nohttp" || name == "http_port") {
      http_chosen = true;
    }
    if (name == "dir") dir_chosen = true;
    if (name == "io_backend") backend_chosen = true;
    if (name == "cpus") cpus_chosen = true;
    if (name == "shards") shards_chosen = true;
  }
  // CTest runs the integration suite a second time on the epoll backend
  // (the tests named *_epoll).
  if (const char* backend = std::getenv("SHARDD_TEST_IO_BACKEND");
      backend != nullptr && *backend != '\0' && !backend_chosen) {
    all_flags.push_back(absl::StrCat("--io_backend=", backend));
  }
  // ... and a third time with every shard on one CPU (the tests named
  // *_packed), so that the shards share a thread (Reactor::RunTogether).
  if (const char* packed = std::getenv("SHARDD_TEST_PACKED");
      packed != nullptr && *packed != '\0' && !cpus_chosen) {
    // Two shards to share it (with one CPU listed, the default is one).
    if (!shards_chosen) all_flags.push_back("--shards=2");
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
      for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        all_flags.push_back(absl::StrCat("--cpus=", cpu));
        break;
      }
    }
  }
  // Tests run side by side: unless a test chooses, the admin endpoint and
  // the HTTP file service take free ports too (the defaults 9100 and 8080
  // would be shared through SO_REUSEPORT, or refused).
  if (!admin_chosen) all_flags.push_back("--admin_port=0");
  if (!http_chosen) all_flags.push_back("--http_port=0");
  if (!dir_chosen) {
    absl::StatusOr<TempDir> dir = TempDir::Create("shardd-test-");
    if (!dir.ok()) return dir.status();
    all_flags.push_back(absl::StrCat("--dir=", dir->path()));
    *data_dir = *std::move(dir);
  }
  return all_flags;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> StartShardd(
    const std::vector<std::string>& flags) {
  const std::string binary = ShardBinary();
  if (binary.empty()) {
    return absl::FailedPreconditionError("no shardd binary to test");
  }
  // If the server does not start, `data_dir` is removed on return (after
  // Start has stopped the child).
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> all_flags =
      WithTestDefaults(flags, &data_dir);
  if (!all_flags.ok()) return all_flags.status();
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(binary, *all_flags);
  if (server.ok()) (*server)->OwnDataDir(std::move(data_dir));
  return server;
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

RespClient ShardServerTest::MustConnect() const {
  absl::StatusOr<RespClient> client = Connect();
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
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
