#include "tests/integration/support/redis_reference.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace shardd::integration {
namespace {

// sun_path holds 108 bytes; a long $TMPDIR would not fit the socket path.
constexpr size_t kMaxDirLength = 80;

absl::StatusOr<std::string> MakeTempDir() {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  if (base.string().size() > kMaxDirLength) base = "/tmp";
  std::string pattern = (base / "shardd-redis-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  return pattern;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

RedisReference::RedisReference(std::string dir)
    : dir_(std::move(dir)), socket_path_(dir_ + "/redis.sock") {}

absl::StatusOr<std::unique_ptr<RedisReference>> RedisReference::Start(
    absl::Duration ready_timeout) {
  absl::StatusOr<std::string> dir = MakeTempDir();
  if (!dir.ok()) return dir.status();
  std::unique_ptr<RedisReference> redis(new RedisReference(*dir));
  const std::string log_path = redis->dir_ + "/redis.log";

  const int dev_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  absl::StatusOr<ChildProcess> child = ChildProcess::Spawn(
      {"redis-server", "--port", "0", "--unixsocket", redis->socket_path_,
       "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
       redis->dir_, "--logfile", log_path,
       // A blocked client's timeout is checked on the server's timer, every
       // 1/hz s: at Redis's default of 10, a 10 ms timeout took up to 100.
       "--hz", "100"},
      {.stdout_fd = dev_null});
  close(dev_null);
  if (!child.ok()) return child.status();
  redis->child_.emplace(*std::move(child));

  // Polls until the socket answers: redis-server has no ready signal.
  const absl::Time deadline = absl::Now() + ready_timeout;
  while (absl::Now() < deadline) {
    if (std::optional<ExitStatus> exit = redis->child_->TryReap()) {
      return absl::InternalError(absl::StrCat("redis-server exited at start (",
                                              exit->ToString(),
                                              "); log: ", ReadFile(log_path)));
    }
    if (absl::StatusOr<RespClient> client = redis->Connect(); client.ok()) {
      client->set_timeout(absl::Seconds(1));
      absl::StatusOr<std::string> pong = client->Command({"PING"});
      if (pong.ok() && *pong == "+PONG\r\n") return redis;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "redis-server did not answer PING within ",
      absl::FormatDuration(ready_timeout), "; log: ", ReadFile(log_path)));
}

RedisReference::~RedisReference() {
  if (child_ && child_->running()) {
    (void)child_->Stop(SIGKILL, absl::Seconds(5));
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::StatusOr<RespClient> RedisReference::Connect() const {
  return RespClient::ConnectUnix(socket_path_);
}

}  // namespace shardd::integration
