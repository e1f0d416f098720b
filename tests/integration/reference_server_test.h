// A fixture with the real shardd (ShardServerTest) and, at the first call
// of ConnectReference(), a reference redis-server to compare it with.
//
//   class MyTest : public ReferenceServerTest {};
//   absl::StatusOr<RespClient> theirs = ConnectReference();
#ifndef SHARDD_TESTS_INTEGRATION_REFERENCE_SERVER_TEST_H_
#define SHARDD_TESTS_INTEGRATION_REFERENCE_SERVER_TEST_H_

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {

class ReferenceServerTest : public ShardServerTest {
 protected:
  absl::StatusOr<RespClient> ConnectReference() {
    if (redis_ == nullptr) {
      absl::StatusOr<std::unique_ptr<RedisReference>> redis =
          RedisReference::Start();
      if (!redis.ok()) return redis.status();
      redis_ = *std::move(redis);
    }
    return redis_->Connect();
  }

 private:
  std::unique_ptr<RedisReference> redis_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_REFERENCE_SERVER_TEST_H_
