#include "tests/integration/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

constexpr std::string_view kReadyPrefix = "shardd ready ";

// Parses "shardd ready port=<P> shards=<N> admin_port=<A> http_port=<H> ..."
// (the whole line, no newline): space-separated key=value fields, of which
// port and shards are required; admin_port and http_port are read when
// present (0: no admin endpoint, no HTTP file service) and fields added by
// later versions are accepted.
absl::Status ParseReadyLine(std::string_view line, int* port, int* shards,
                            int* admin_port, int* http_port) {
  const absl::Status malformed = absl::InternalError(
      absl::StrCat("malformed ready line: '", std::string(line), "'"));
  if (!line.starts_with(kReadyPrefix)) return malformed;
  std::optional<int64_t> parsed_port, parsed_shards, parsed_admin,
      parsed_http;
  const std::string_view fields = line.substr(kReadyPrefix.size());
  for (absl::string_view word :
       absl::StrSplit(absl::string_view(fields.data(), fields.size()), ' ')) {
    const std::string_view field(word.data(), word.size());
    const size_t equals = field.find('=');
    if (equals == std::string_view::npos || equals == 0) return malformed;
    const std::string_view key = field.substr(0, equals);
    const std::optional<int64_t> value = ParseInt64(field.substr(equals + 1));
    if (!value || *value < 0) return malformed;
    if (key == "port") parsed_port = value;
    if (key == "shards") parsed_shards = value;
    if (key == "admin_port") parsed_admin = value;
    if (key == "http_port") parsed_http = value;
  }
  if (!parsed_port || *parsed_port == 0 || *parsed_port > 65535 ||
      !parsed_shards || *parsed_shards == 0 ||
      (parsed_admin && *parsed_admin > 65535) ||
      (parsed_http && *parsed_http > 65535)) {
    return malformed;
  }
  *port = static_cast<int>(*parsed_port);
  *shards = static_cast<int>(*parsed_shards);
  *admin_port = static_cast<int>(parsed_admin.value_or(0));
  *http_port = static_cast<int>(parsed_http.value_or(0));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::vector<std::string>& flags,
    absl::Duration ready_timeout) {
  int fds[2];
  // O_CLOEXEC: no other child (a redis-server started by another helper)
  // may inherit the write end, or EOF would never come.
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<ChildProcess> child =
      ChildProcess::Spawn(argv, {.stdout_fd = fds[1]});
  close(fds[1]);
  if (!child.ok()) {
    close(fds[0]);
    return child.status();
  }
  std::unique_ptr<ServerProcess> server(
      new ServerProcess(*std::move(child), fds[0]));
  if (absl::Status ready = server->WaitForReadyLine(ready_timeout);
      !ready.ok()) {
    return absl::Status(
        ready.code(),
        absl::StrCat(ready.message(), "; command: ", absl::StrJoin(argv, " "),
                     "; stdout so far: '", server->output_, "'"));
  }
  server->drainer_ = std::thread([s = server.get()] { s->DrainStdout(); });
  return server;
}

absl::Status ServerProcess::WaitForReadyLine(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  size_t line_start = 0;
  while (true) {
    // Complete lines so far: the ready line may follow other output.
    for (size_t eol;
         (eol = output_.find('\n', line_start)) != std::string::npos;
         line_start = eol + 1) {
      std::string_view line(output_.data() + line_start, eol - line_start);
      if (line.substr(0, kReadyPrefix.size()) == kReadyPrefix) {
        return ParseReadyLine(line, &port_, &shards_, &admin_port_,
                              &http_port_);
      }
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("no ready line within ", absl::FormatDuration(timeout)));
    }
    pollfd pfd{.fd = stdout_fd_, .events = POLLIN, .revents = 0};
    const int ready =
        poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
    }
    if (ready <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::optional<ExitStatus> status =
          child_.TryReap();  // EOF: usually the server died
      return absl::InternalError(absl::StrCat(
          "server closed stdout before its ready line",
          status ? absl::StrCat(" (", status->ToString(), ")") : ""));
    }
    output_.append(buffer, static_cast<size_t>(n));
  }
}

void ServerProcess::DrainStdout() {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    std::lock_guard<std::mutex> lock(output_mutex_);
    output_.append(buffer, static_cast<size_t>(n));
  }
}

std::string ServerProcess::Output() const {
  std::lock_guard<std::mutex> lock(output_mutex_);
  return output_;
}

absl::StatusOr<ExitStatus> ServerProcess::Stop(int signal,
                                               absl::Duration timeout) {
  absl::StatusOr<ExitStatus> status = child_.Stop(signal, timeout);
  JoinDrainer();  // the server is gone, so stdout reaches EOF
  return status;
}

void ServerProcess::JoinDrainer() {
  if (drainer_.joinable()) drainer_.join();
}

ServerProcess::~ServerProcess() {
  if (child_.running()) {
    // Best effort: the test that cares about the exit status calls Stop().
    (void)child_.Stop(SIGTERM, absl::Seconds(5));
  }
  JoinDrainer();
  close(stdout_fd_);
}

}  // namespace shardd::integration
