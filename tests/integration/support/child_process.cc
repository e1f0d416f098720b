#include "tests/integration/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace shardd::integration {
namespace {

absl::Status ErrnoError(std::string_view what, int err) {
  return absl::InternalError(
      absl::StrCat(std::string(what), ": ", std::strerror(err)));
}

// glibc 2.36 has no wrapper for pidfd_open; the syscall exists since 5.3.
int PidfdOpen(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

}  // namespace

std::string ExitStatus::ToString() const {
  std::string text = signal > 0 ? absl::StrCat("killed by signal ", signal,
                                               " (", strsignal(signal), ")")
                                : absl::StrCat("exit code ", exit_code);
  if (elapsed > absl::ZeroDuration()) {
    absl::StrAppend(&text, " after ", absl::FormatDuration(elapsed));
  }
  return text;
}

absl::StatusOr<ChildProcess> ChildProcess::Spawn(
    const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::vector<char*> raw_argv;
  for (const std::string& arg : argv) {
    raw_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  raw_argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  if (options.stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, options.stdout_fd,
                                     STDOUT_FILENO);
  }
  if (options.stderr_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, options.stderr_fd,
                                     STDERR_FILENO);
  }
  pid_t pid = -1;
  const int err = posix_spawnp(&pid, raw_argv[0], &actions, nullptr,
                               raw_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return ErrnoError(absl::StrCat("spawn ", argv[0]), err);

  const int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    const int open_err = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return ErrnoError("pidfd_open", open_err);
  }
  return ChildProcess(pid, pidfd);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    KillAndReap();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
  }
  return *this;
}

ChildProcess::~ChildProcess() { KillAndReap(); }

std::optional<ExitStatus> ChildProcess::TryReap() {
  if (!running()) return std::nullopt;
  if (!WaitForExit(absl::ZeroDuration())) return std::nullopt;
  return Reap();
}

absl::StatusOr<ExitStatus> ChildProcess::Stop(int signal,
                                              absl::Duration timeout) {
  if (!running()) return absl::FailedPreconditionError("child already reaped");
  const absl::Time start = absl::Now();
  if (kill(pid_, signal) != 0) return ErrnoError("kill", errno);
  if (!WaitForExit(timeout)) {
    KillAndReap();
    return absl::DeadlineExceededError(absl::StrCat(
        "child did not exit within ", absl::FormatDuration(timeout),
        " of signal ", signal, "; killed it"));
  }
  ExitStatus status = Reap();
  status.elapsed = absl::Now() - start;
  return status;
}

bool ChildProcess::WaitForExit(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    pollfd pfd{.fd = pidfd_, .events = POLLIN, .revents = 0};
    const int64_t left_ms =
        std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now()));
    const int ready = poll(&pfd, 1, static_cast<int>(left_ms));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

ExitStatus ChildProcess::Reap() {
  int raw = 0;
  while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  close(pidfd_);
  pid_ = -1;
  pidfd_ = -1;
  ExitStatus status;
  if (WIFEXITED(raw)) status.exit_code = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
  return status;
}

void ChildProcess::KillAndReap() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  Reap();
}

}  // namespace shardd::integration
