// RespCall: send one command to the Redis-protocol port and return its reply,
// rendered the way redis-cli prints it (strings bare, errors prefixed
// "(error)", integers "(integer) n", arrays one element per line).
//
//   absl::StatusOr<std::string> text = RespCall("127.0.0.1", 6379, {"PING"}, t);
#ifndef SHARDD_TOOLS_SHARDCTL_RESP_CALL_H_
#define SHARDD_TOOLS_SHARDCTL_RESP_CALL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace shardd::shardctl {

// With a `password`, AUTH goes first; a refused AUTH is the error
// (PermissionDenied).
absl::StatusOr<std::string> RespCall(const std::string& host, int port,
                                     const std::vector<std::string>& args,
                                     absl::Duration timeout,
                                     const std::string& password = "");

// `encoded` (one complete RESP2 reply) as redis-cli would print it.
std::string RenderReply(std::string_view encoded);

}  // namespace shardd::shardctl

#endif  // SHARDD_TOOLS_SHARDCTL_RESP_CALL_H_
