// Differential test: the same seeded random command stream goes to shardd (4
// shards, over several connections, so commands start on different shards)
// and to a real redis-server 7.0; every reply must be byte-for-byte equal.
//
// The only tolerance is for time: a TTL (or EXPIRETIME) reply may differ by 1
// and a PTTL (or PEXPIRETIME)
// reply by 100 ms, because the two servers run each command at slightly
// different instants (and TTL rounds). It applies only when both replies are
// real TTLs (>= 0); -1 and -2 must match exactly.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./differential_test
// To see every command and reply: SHARDD_DIFF_VERBOSE=1.
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/command_generator.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kCommandsPerSeed = 5000;
constexpr int kShards = 4;
constexpr int kShardConnections = 3;
constexpr int64_t kTtlToleranceSeconds = 1;
constexpr int64_t kPttlToleranceMillis = 100;

std::vector<uint64_t> SeedsToRun() {
  if (const char* seed = std::getenv("SHARDD_DIFF_SEED"); seed != nullptr) {
    return {std::strtoull(seed, nullptr, 10)};
  }
  return {1, 2, 3, 20240607};
}

std::string Lowercase(const std::string& text) {
  std::string lower = text;
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower;
}

// True if the replies agree, allowing only the documented TTL tolerance.
bool RepliesAgree(const std::vector<std::string>& command,
                  const std::string& ours, const std::string& theirs) {
  if (ours == theirs) return true;
  const std::string name = Lowercase(command[0]);
  // EXPIRETIME/PEXPIRETIME read back an expiry set relative to each
  // server's own clock, so they differ as TTLs do.
  const bool seconds = name == "ttl" || name == "expiretime";
  const bool millis = name == "pttl" || name == "pexpiretime";
  const int64_t tolerance = seconds  ? kTtlToleranceSeconds
                            : millis ? kPttlToleranceMillis
                                     : -1;
  const std::optional<int64_t> a = IntegerOf(ours);
  const std::optional<int64_t> b = IntegerOf(theirs);
  return tolerance >= 0 && a && b && *a >= 0 && *b >= 0 &&
         std::llabs(*a - *b) <= tolerance;
}

std::string Describe(const std::vector<std::string>& command) {
  std::string text;
  for (const std::string& arg : command) {
    absl::StrAppend(&text, text.empty() ? "" : " ", "\"", Printable(arg, 60),
                    "\"");
  }
  return text;
}

// Redis Cluster's key slot (CRC16/XMODEM of the key or its hash tag), written
// here independently of shard/ to check the test's key space.
uint16_t Slot(const std::string& key) {
  std::string_view hashed = key;
  if (const size_t open = key.find('{'); open != std::string::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string::npos && close > open + 1) {
      hashed = std::string_view(key).substr(open + 1, close - open - 1);
    }
  }
  uint16_t crc = 0;
  for (const char c : hashed) {
    crc ^= static_cast<uint16_t>(static_cast<unsigned char>(c) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc % 16384;
}

TEST(DifferentialKeySpaceTest, KeysLandOnEveryShard) {
  EXPECT_EQ(Slot("123456789"), 0x31C3);  // the CRC16/XMODEM check value
  std::set<int> shards;
  for (const std::string& key : CommandGenerator::Keys()) {
    shards.insert(Slot(key) % kShards);
  }
  EXPECT_EQ(shards.size(), static_cast<size_t>(kShards));
}

class DifferentialTest : public ShardServerTest,
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

TEST_P(DifferentialTest, RepliesMatchRedis) {
  const uint64_t seed = GetParam();
  std::cout << "differential seed: " << seed << std::endl;
  CommandGenerator generator(seed);
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

    if (!RepliesAgree(command, *ours, *theirs)) {
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

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest,
                         ::testing::ValuesIn(SeedsToRun()));

}  // namespace
}  // namespace shardd::integration
