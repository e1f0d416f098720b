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
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/command_generator.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

constexpr int kCommandsPerSeed = 5000;
constexpr int kShards = 4;
constexpr int64_t kTtlToleranceSeconds = 1;
constexpr int64_t kPttlToleranceMillis = 100;

std::string Lowercase(const std::string& text) {
  std::string lower = text;
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower;
}

// True if the replies agree, allowing only the documented TTL tolerance.
bool RepliesAgree(const std::vector<std::string>& command,
                  const std::string& ours, const std::string& theirs,
                  RespClient&) {
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

class DifferentialTest : public DifferentialFixture {};

TEST_P(DifferentialTest, RepliesMatchRedis) {
  CommandGenerator generator(seed());
  RunStream(
      seed(), kCommandsPerSeed, [&] { return generator.Next(); }, RepliesAgree);
}

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest,
                         ::testing::ValuesIn(CasesToRun()), CaseName);

}  // namespace
}  // namespace shardd::integration
