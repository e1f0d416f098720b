// ChildProcess starts a program with posix_spawn and waits for it with a
// deadline. It is the one place the integration tests create processes, so
// that every child is reaped, even when a test fails half-way.
//
//   ChildProcess::Options options{.stdout_fd = pipe_write_end};
//   absl::StatusOr<ChildProcess> child = ChildProcess::Spawn(argv, options);
//   absl::StatusOr<ExitStatus> status = child->Stop(SIGTERM, absl::Seconds(1));
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_CHILD_PROCESS_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace shardd::integration {

// How a child ended: exactly one of `exit_code` >= 0 or `signal` > 0.
struct ExitStatus {
  int exit_code = -1;
  int signal = 0;
  absl::Duration elapsed;  // from the stop signal (or the wait) to the reap

  std::string ToString() const;
};

class ChildProcess {
 public:
  struct Options {
    int stdout_fd = -1;  // -1: inherit the test's stdout
    int stderr_fd = -1;  // -1: inherit the test's stderr
    // stdin is always /dev/null, so a child never waits on a terminal. The
    // helpers open every descriptor O_CLOEXEC, so a child inherits no other.
  };

  // Starts argv[0] (searched in PATH when it has no '/').
  static absl::StatusOr<ChildProcess> Spawn(
      const std::vector<std::string>& argv, const Options& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills (SIGKILL) and reaps the child if it is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Non-blocking: the exit status if the child has already ended.
  std::optional<ExitStatus> TryReap();

  // Sends `signal` and waits up to `timeout` for the child to end. If it has
  // not ended by then it is killed with SIGKILL, reaped, and an error returned
  // (a hung stop is a test failure, never a hung test).
  absl::StatusOr<ExitStatus> Stop(int signal, absl::Duration timeout);

 private:
  ChildProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  // Waits for the exit with poll() on the pidfd; false on timeout.
  bool WaitForExit(absl::Duration timeout);
  ExitStatus Reap();
  void KillAndReap();

  pid_t pid_ = -1;
  int pidfd_ = -1;  // becomes readable when the child exits
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_CHILD_PROCESS_H_
