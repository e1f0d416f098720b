#include "tests/integration/support/differential_fixture.h"

#include <cstdlib>
#include <deque>
#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

// Several connections, so that replies to one client stay ordered while
// others interleave on other shards.
constexpr int kShardConnections = 3;
// Commands shown before a mismatch.
constexpr size_t kContextCommands = 15;

}  // namespace

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

void DifferentialFixture::SetUp() {
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

void DifferentialFixture::RunStream(uint64_t seed, int count,
                                    const NextCommand& next,
                                    const Agree& agree) {
  std::cout << "differential seed: " << seed << std::endl;
  std::mt19937_64 connection_choice(seed);
  std::deque<std::string> recent;  // context for a failure message
  const bool verbose = std::getenv("SHARDD_DIFF_VERBOSE") != nullptr;
  for (int i = 0; i < count; ++i) {
    const std::vector<std::string> command = next();
    RespClient& shardd =
        shardd_clients_[connection_choice() % shardd_clients_.size()];
    absl::StatusOr<std::string> ours = shardd.Command(command);
    ASSERT_TRUE(ours.ok()) << "seed " << seed << ", command #" << i << " "
                           << Describe(command)
                           << ": shardd: " << ours.status();
    absl::StatusOr<std::string> theirs = reference_->Command(command);
    ASSERT_TRUE(theirs.ok()) << "redis-server: " << theirs.status();
    if (!agree(command, *ours, *theirs, shardd)) {
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
    if (recent.size() > kContextCommands) recent.pop_front();
  }
}

}  // namespace shardd::integration
