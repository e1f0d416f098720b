// RedisReference runs a real redis-server (Debian's, from PATH) as the
// reference implementation for differential tests. It listens only on a unix
// socket in a fresh temporary directory, so it needs no port and cannot clash
// with anything; persistence is off. The destructor kills it and removes the
// directory.
//
//   auto redis = RedisReference::Start();
//   absl::StatusOr<RespClient> client = (*redis)->Connect();
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_REDIS_REFERENCE_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_REDIS_REFERENCE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/support/child_process.h"
#include "tests/integration/support/resp_client.h"

namespace shardd::integration {

class RedisReference {
 public:
  // Starts redis-server and returns once its socket answers PING.
  static absl::StatusOr<std::unique_ptr<RedisReference>> Start(
      absl::Duration ready_timeout = absl::Seconds(10));

  RedisReference(const RedisReference&) = delete;
  RedisReference& operator=(const RedisReference&) = delete;
  ~RedisReference();

  const std::string& socket_path() const { return socket_path_; }
  absl::StatusOr<RespClient> Connect() const;

 private:
  explicit RedisReference(std::string dir);

  std::string dir_;  // temporary; holds the socket and the log
  std::string socket_path_;
  std::optional<ChildProcess> child_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_REDIS_REFERENCE_H_
