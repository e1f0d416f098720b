// TcpClient: a blocking TCP connection with a deadline on every call, for
// shardctl's short request/response exchanges.
//
//   absl::StatusOr<TcpClient> c = TcpClient::Connect("127.0.0.1", 9100, timeout);
//   RETURN_IF_ERROR(c->SendAll(request));
//   absl::StatusOr<size_t> n = c->ReceiveSome(&buffer);  // 0 at EOF
#ifndef SHARDD_TOOLS_SHARDCTL_TCP_CLIENT_H_
#define SHARDD_TOOLS_SHARDCTL_TCP_CLIENT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace shardd::shardctl {

class TcpClient {
 public:
  static absl::StatusOr<TcpClient> Connect(const std::string& host, int port,
                                           absl::Duration timeout);
  TcpClient(TcpClient&& other) noexcept;
  TcpClient& operator=(TcpClient&&) = delete;
  TcpClient(const TcpClient&) = delete;
  ~TcpClient();

  absl::Status SendAll(std::string_view bytes);
  // Appends what arrives to `buffer`; 0 means the peer closed.
  absl::StatusOr<size_t> ReceiveSome(std::string* buffer);

 private:
  TcpClient(int fd, absl::Duration timeout) : fd_(fd), timeout_(timeout) {}
  absl::Status WaitFor(short events);

  int fd_;
  absl::Duration timeout_;
};

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_TCP_CLIENT_H_
