// ServerProcess runs the real shardd binary for one test: it starts it with
// the given flags, waits (with a deadline, never a sleep) for the line
//
//   shardd ready port=<P> shards=<N> admin_port=<A> http_port=<H> [more]
//
// on its stdout, and exposes the ports. The destructor stops the server with
// SIGTERM (SIGKILL if that does not work), so a failing test leaks nothing,
// and then removes the data directory the server owns, if any.
//
// Tests normally start shardd with StartShardd (shardd_binary.h), which adds
// free ports and a fresh --dir; a test calling Start itself passes them too:
//
//   absl::StatusOr<TempDir> dir = TempDir::Create();
//   auto server = ServerProcess::Start(
//       ShardBinary(), {"--port=0", "--admin_port=0", "--http_port=0",
//                       absl::StrCat("--dir=", dir->path())});
//   (*server)->OwnDataDir(*std::move(dir));
//   auto client = RespClient::ConnectTcp("127.0.0.1", (*server)->port());
//   absl::StatusOr<ExitStatus> status = (*server)->Stop(SIGTERM);
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_SERVER_PROCESS_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_SERVER_PROCESS_H_

#include <signal.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/support/child_process.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {

class ServerProcess {
 public:
  // Starts `binary` with `flags` and returns once it printed its ready line.
  // Fails if the server exits, prints a malformed ready line, or is not ready
  // within `ready_timeout`.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::vector<std::string>& flags,
      absl::Duration ready_timeout = absl::Seconds(60));

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  int port() const { return port_; }
  int shards() const { return shards_; }
  // The admin endpoint's port, 0 when the server runs without one.
  int admin_port() const { return admin_port_; }
  // The HTTP file service's port, 0 when the server runs without it.
  int http_port() const { return http_port_; }
  // The data directory (--dir) this object owns, "" if it owns none (the
  // test chose its own directory).
  const std::string& data_dir() const { return data_dir_.path(); }
  pid_t pid() const { return child_.pid(); }
  bool running() const { return child_.running(); }

  // Sends `signal` and waits up to `timeout` for the server to exit. The
  // elapsed time in the result runs from the signal to the reap.
  absl::StatusOr<ExitStatus> Stop(int signal = SIGTERM,
                                  absl::Duration timeout = absl::Seconds(5));

  // Non-blocking: the exit status if the server has already exited (crashed).
  std::optional<ExitStatus> TryReap() { return child_.TryReap(); }

  // From now on this object owns `dir` (the server's --dir): it is removed
  // recursively once the server has stopped, when this object is destroyed.
  void OwnDataDir(TempDir dir) { data_dir_ = std::move(dir); }

  // Everything the server wrote to stdout so far (the ready line included).
  std::string Output() const;

 private:
  ServerProcess(ChildProcess child, int stdout_fd)
      : child_(std::move(child)), stdout_fd_(stdout_fd) {}
  absl::Status WaitForReadyLine(absl::Duration timeout);
  // After the ready line, keeps reading stdout until EOF so that a chatty
  // server never blocks on a full pipe.
  void DrainStdout();
  void JoinDrainer();

  // Declared first, so destroyed last: after child_ has been reaped.
  TempDir data_dir_;
  ChildProcess child_;
  int stdout_fd_;  // read end of the server's stdout pipe
  int port_ = 0;
  int shards_ = 0;
  int admin_port_ = 0;
  int http_port_ = 0;
  std::thread drainer_;
  mutable std::mutex output_mutex_;
  std::string output_;  // guarded by output_mutex_ once drainer_ runs
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_SERVER_PROCESS_H_
