// RespClient is a blocking RESP2 client for tests, over TCP or a unix socket.
// Every operation has a deadline (default 10 s), so a server that stops
// answering fails the test instead of hanging it. It returns replies as their
// raw bytes, which is what the differential test compares.
// One thread may send while another reads (a test that writes a long pipeline
// and drains the replies at once); otherwise it is single-threaded.
//
//   absl::StatusOr<RespClient> client = RespClient::ConnectTcp(host, port);
//   absl::StatusOr<std::string> reply = client->Command({"GET", "k"});
//   EXPECT_EQ(*reply, "$1\r\nv\r\n");
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CLIENT_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CLIENT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace shardd::integration {

class RespClient {
 public:
  static absl::StatusOr<RespClient> ConnectTcp(const std::string& host,
                                               int port);
  static absl::StatusOr<RespClient> ConnectUnix(const std::string& path);

  RespClient(RespClient&& other) noexcept;
  RespClient& operator=(RespClient&& other) noexcept;
  RespClient(const RespClient&) = delete;
  RespClient& operator=(const RespClient&) = delete;
  ~RespClient();

  // How long any single call may wait for the server.
  void set_timeout(absl::Duration timeout) { timeout_ = timeout; }

  // Sends `args` as one command and returns its reply's raw bytes.
  absl::StatusOr<std::string> Command(const std::vector<std::string>& args);

  // Writes all of `bytes` (used for pipelines and deliberately bad input).
  absl::Status Send(std::string_view bytes);

  // Writes as much of `bytes` as the server accepts within `timeout` and
  // returns how much that was; a server applying back-pressure stops reading,
  // so this may be less than everything.
  absl::StatusOr<size_t> SendSome(std::string_view bytes,
                                  absl::Duration timeout);

  // Reads exactly one complete reply (bytes after it stay buffered).
  absl::StatusOr<std::string> ReadReply();

  // Sends `commands` as one pipeline and returns their replies in order.
  // The bytes go out from another thread while the replies are read, so a
  // pipeline longer than the socket buffers cannot stall both sides.
  absl::StatusOr<std::vector<std::string>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Reads until the server closes the connection and returns what came
  // (buffered bytes included). Fails if it is still open after the timeout.
  absl::StatusOr<std::string> ReadUntilClosed();

  int fd() const { return fd_; }

 private:
  explicit RespClient(int fd) : fd_(fd) {}
  // Appends what the socket has to `buffer_`, waiting until `deadline`.
  // Returns false at EOF.
  absl::StatusOr<bool> Fill(absl::Time deadline);

  int fd_ = -1;
  absl::Duration timeout_ = absl::Seconds(10);
  std::string buffer_;  // received bytes not yet returned
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_RESP_CLIENT_H_
