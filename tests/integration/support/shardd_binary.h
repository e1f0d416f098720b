// Where the shardd binary under test is, and a fixture that runs it.
//
// The build passes the path of the `shardd` target it built; the environment
// variable SHARDD_BINARY overrides it (to test another build, e.g. a release
// one). When the tree has no shardd target yet, the path is empty and the
// tests skip instead of failing.
//
//   class MyTest : public ShardServerTest {};
//   TEST_F(MyTest, Pings) {
//     EXPECT_EQ(*Connect()->Command({"PING"}), "+PONG\r\n");
//   }
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_SHARDD_BINARY_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_SHARDD_BINARY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {

// The shardd binary to test, or "" if there is none.
std::string ShardBinary();

// `flags` plus what every shardd a test starts needs unless the test chose
// it itself:
//  * --admin_port=0 (unless a flag is --admin, --noadmin or --admin_port,
//    with or without a value) and --http_port=0
//    (unless a flag is --http, --nohttp or --http_port, with or without a
//    value; --http_header_timeout and the like do not count): free ports,
//    since tests run side by side;
//  * --io_backend=$SHARDD_TEST_IO_BACKEND when that is set (unless a flag
//    is --io_backend): the *_epoll tests run the suite on epoll;
//  * --dir=<a fresh TempDir> (unless a flag is --dir), moved to `*data_dir`
//    (an empty TempDir, left as it is otherwise): no test uses the default
//    data directory or shares one, whose lock file would make the second
//    shardd refuse to start.
// For a test that runs shardd itself (under prlimit, or a second server on
// purpose) rather than by StartShardd; it keeps `*data_dir` until that
// shardd has exited.
absl::StatusOr<std::vector<std::string>> WithTestDefaults(
    const std::vector<std::string>& flags, TempDir* data_dir);

// Whether WithTestDefaults puts the servers on the epoll backend (the
// *_epoll tests).
bool TestsUseEpoll();

// Starts shardd with WithTestDefaults(flags) (`flags` should include
// --port=0). The returned server owns the temporary data directory, if one
// was made (data_dir()), and removes it once the server has stopped.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartShardd(
    const std::vector<std::string>& flags);

// Runs one shardd (--port=0 --shards=4 unless ServerFlags() says otherwise)
// per test, skipping the test when no binary exists.
class ShardServerTest : public ::testing::Test {
 protected:
  virtual std::vector<std::string> ServerFlags() const {
    return {"--port=0", "--shards=4"};
  }
  void SetUp() override;

  // A new client connection to the server.
  absl::StatusOr<RespClient> Connect() const;
  // The same, failing the test (and returning an unconnected client) if it
  // cannot connect.
  RespClient MustConnect() const;

  // The server is alive and answers PING on a fresh connection.
  void ExpectServerAnswers() const;

  // Asks INFO over `observer` until connected_clients is `count` (a closed
  // connection reaches the server asynchronously), for at most `timeout`;
  // the last INFO clients text seen, for a failure message.
  bool WaitForConnectedClients(RespClient& observer, int count,
                               absl::Duration timeout,
                               std::string* last_info) const;

  ServerProcess& server() const { return *server_; }
  int port() const { return server_->port(); }

  std::unique_ptr<ServerProcess> server_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_SHARDD_BINARY_H_
