// HttpGet: one blocking HTTP/1.1 GET, for reading the admin endpoint.
//
//   absl::StatusOr<HttpReply> r = HttpGet("127.0.0.1", 9100, "/stats", timeout);
//   if (r.ok() && r->status == 200) Use(r->body);
#ifndef SHARDD_TOOLS_SHARDCTL_HTTP_GET_H_
#define SHARDD_TOOLS_SHARDCTL_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace shardd::shardctl {

struct HttpReply {
  int status = 0;
  std::string body;
};

// Fails (Unavailable) when nothing listens there or the reply is not HTTP.
// A non-empty `bearer_token` goes as "Authorization: Bearer <token>".
absl::StatusOr<HttpReply> HttpGet(const std::string& host, int port,
                                  const std::string& path,
                                  absl::Duration timeout,
                                  const std::string& bearer_token = "");

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_HTTP_GET_H_
