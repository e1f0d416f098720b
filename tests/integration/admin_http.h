// Helpers for the admin endpoint's integration tests: a raw HTTP exchange
// over a RespClient socket (which speaks bytes as well as RESP), and a
// workload with keys on every shard.
#ifndef SHARDD_TESTS_INTEGRATION_ADMIN_HTTP_H_
#define SHARDD_TESTS_INTEGRATION_ADMIN_HTTP_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tests/integration/support/resp_client.h"

namespace shardd::integration {

// Sends `request` bytes to the admin port and returns all bytes until close.
inline absl::StatusOr<std::string> HttpExchange(int port,
                                                std::string_view request) {
  absl::StatusOr<RespClient> client = RespClient::ConnectTcp("127.0.0.1", port);
  if (!client.ok()) return client.status();
  if (absl::Status s = client->Send(request); !s.ok()) return s;
  return client->ReadUntilClosed();
}

// The body of GET `path` (the response must be 200).
inline absl::StatusOr<std::string> HttpGetBody(int port, std::string_view path) {
  absl::StatusOr<std::string> response = HttpExchange(
      port, "GET " + std::string(path) +
                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  if (!response.ok()) return response.status();
  if (!response->starts_with("HTTP/1.1 200 ")) {
    return absl::InternalError("not 200: " + response->substr(0, 40));
  }
  const size_t body = response->find("\r\n\r\n");
  return response->substr(body + 4);
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_ADMIN_HTTP_H_
