// Differential test of the list and sorted-set commands: the same seeded
// random command stream (support/list_zset_generator.h) goes to shardd (4
// shards, over several connections, so commands start on different shards)
// and to a real redis-server 7.0; every reply must be byte-for-byte equal.
// These types have a fully determined order, so no tolerance is needed.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./list_zset_differential_test
// To see every command and reply: SHARDD_DIFF_VERBOSE=1.
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/list_zset_generator.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kCommandsPerSeed = 3000;
constexpr int kShardConnections = 3;

std::vector<uint64_t> SeedsToRun() {
  if (const char* seed = std::getenv("SHARDD_DIFF_SEED"); seed != nullptr) {
    return {std::strtoull(seed, nullptr, 10)};
  }
  return {1, 2, 3, 20240607};
}

std::string Describe(const std::vector<std::string>& command) {
  std::string text;
  for (const std::string& arg : command) {
    absl::StrAppend(&text, text.empty() ? "" : " ", "\"", Printable(arg, 60),
                    "\"");
  }
  return text;
}

class ListZSetDifferentialTest
    : public ShardServerTest,
      public ::testing::WithParamInterface<uint64_t> {
 protected:
  void SetUp() override {
    ShardServerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::StatusOr<std::unique_ptr<RedisReference>> redis =
        RedisReference::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    absl::StatusOr<RespClient> reference = redis_->Connect();
    ASSERT_TRUE(reference.ok()) << reference.status();
    reference_.emplace(*std::move(reference));
    for (int i = 0; i < kShardConnections; ++i) {
      absl::StatusOr<RespClient> client = Connect();
      ASSERT_TRUE(client.ok()) << client.status();
      shardd_clients_.push_back(*std::move(client));
    }
  }

  std::unique_ptr<RedisReference> redis_;
  std::optional<RespClient> reference_;
  std::vector<RespClient> shardd_clients_;
};

TEST_P(ListZSetDifferentialTest, RepliesMatchRedis) {
  const uint64_t seed = GetParam();
  std::cout << "list/zset differential seed: " << seed << std::endl;
  ListZSetGenerator generator(seed);
  std::mt19937_64 connection_choice(seed);
  std::deque<std::string> recent;  // context for a failure message
  const bool verbose = std::getenv("SHARDD_DIFF_VERBOSE") != nullptr;

  for (int i = 0; i < kCommandsPerSeed; ++i) {
    const std::vector<std::string> command = generator.Next();
    RespClient& shardd =
        shardd_clients_[connection_choice() % shardd_clients_.size()];
    absl::StatusOr<std::string> ours = shardd.Command(command);
    ASSERT_TRUE(ours.ok()) << "seed " << seed << ", command #" << i << " "
                           << Describe(command)
                           << ": shardd: " << ours.status();
    absl::StatusOr<std::string> theirs = reference_->Command(command);
    ASSERT_TRUE(theirs.ok()) << "redis-server: " << theirs.status();

    if (*ours != *theirs) {
      std::string context;
      for (const std::string& line : recent) absl::StrAppend(&context, line);
      FAIL() << "seed " << seed << ", command #" << i << ": "
             << Describe(command) << "\n  shardd: " << Printable(*ours)
             << "\n  redis:  " << Printable(*theirs)
             << "\nprevious commands (with redis's replies):\n"
             << context;
    }
    recent.push_back(absl::StrCat("  #", i, " ", Describe(command), " -> ",
                                  Printable(*theirs, 80), "\n"));
    if (verbose) std::cout << recent.back();
    if (recent.size() > 15) recent.pop_front();
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ListZSetDifferentialTest,
                         ::testing::ValuesIn(SeedsToRun()));

}  // namespace
}  // namespace shardd::integration
