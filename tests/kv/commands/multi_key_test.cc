// Multi-key commands split over shards: each shard's handler sees only its
// own keys (in the client's order, values after keys for MSET), and its
// partial reply is what the service's merge expects.
#include <array>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "shard/key_slot.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr size_t kShards = 2;

// The sub-argument lists the service builds for a kAll or kPairs command.
std::array<std::vector<std::string_view>, kShards> SplitByOwner(
    const std::vector<std::string_view>& args) {
  const CommandSpec* spec = FindCommand(args[0]);
  const size_t step = spec->keys == KeyLayout::kPairs ? 2 : 1;
  std::array<std::vector<std::string_view>, kShards> parts;
  for (auto& part : parts) part.push_back(args[0]);
  for (size_t i = 1; i < args.size(); i += step) {
    auto& part = parts[KeySlot(args[i]) % kShards];
    part.insert(part.end(), args.begin() + i, args.begin() + i + step);
  }
  return parts;
}

class MultiKeyTest : public ::testing::Test {
 protected:
  // Runs each non-empty part on its shard; returns the partial replies.
  std::array<std::string, kShards> RunSplit(
      const std::vector<std::string_view>& args) {
    std::array<std::string, kShards> replies;
    const auto parts = SplitByOwner(args);
    for (size_t s = 0; s < kShards; ++s) {
      if (parts[s].size() > 1) replies[s] = shards_[s](parts[s]);
    }
    return replies;
  }

  std::array<HandlerRunner, kShards> shards_;
};

TEST_F(MultiKeyTest, KeysUsedHereLiveOnBothShards) {
  EXPECT_EQ(KeySlot("foo") % kShards, 0u);
  EXPECT_EQ(KeySlot("hello") % kShards, 0u);
  EXPECT_EQ(KeySlot("bar") % kShards, 1u);
  EXPECT_EQ(KeySlot("a") % kShards, 1u);
}

TEST_F(MultiKeyTest, MSetWritesEachPairOnItsOwner) {
  const auto replies =
      RunSplit({"mset", "foo", "1", "bar", "2", "hello", "3", "a", "4"});
  EXPECT_EQ(replies[0], "+OK\r\n");
  EXPECT_EQ(replies[1], "+OK\r\n");
  EXPECT_EQ(shards_[0]({"mget", "foo", "hello"}),
            "*2\r\n$1\r\n1\r\n$1\r\n3\r\n");
  EXPECT_EQ(shards_[1]({"mget", "bar", "a"}), "*2\r\n$1\r\n2\r\n$1\r\n4\r\n");
  EXPECT_EQ(shards_[0]({"dbsize"}), ":2\r\n");
  EXPECT_EQ(shards_[1]({"dbsize"}), ":2\r\n");
}

TEST_F(MultiKeyTest, MGetRepliesOneElementPerLocalKey) {
  RunSplit({"mset", "foo", "1", "bar", "2"});
  const auto replies = RunSplit({"mget", "bar", "foo", "hello", "bar"});
  EXPECT_EQ(replies[0], "*2\r\n$1\r\n1\r\n$-1\r\n");      // foo hello
  EXPECT_EQ(replies[1], "*2\r\n$1\r\n2\r\n$1\r\n2\r\n");  // bar bar
}

TEST_F(MultiKeyTest, DelAndExistsCountOnlyLocalKeys) {
  RunSplit({"mset", "foo", "1", "bar", "2", "a", "3"});
  auto exists = RunSplit({"exists", "foo", "bar", "a", "hello", "foo"});
  EXPECT_EQ(exists[0], ":2\r\n");  // foo twice; hello missing
  EXPECT_EQ(exists[1], ":2\r\n");
  auto deleted = RunSplit({"del", "a", "foo", "hello"});
  EXPECT_EQ(deleted[0], ":1\r\n");
  EXPECT_EQ(deleted[1], ":1\r\n");
  EXPECT_EQ(shards_[1]({"dbsize"}), ":1\r\n");
}

TEST_F(MultiKeyTest, HashTagsKeepKeysTogether) {
  const auto parts = SplitByOwner({"mget", "{user}:a", "{user}:b", "{user}"});
  const size_t owner = KeySlot("user") % kShards;
  EXPECT_EQ(parts[owner].size(), 4u);
  EXPECT_EQ(parts[1 - owner].size(), 1u);
}

TEST_F(MultiKeyTest, EveryShardCommandsSeeOnlyTheirShard) {
  RunSplit({"mset", "foo", "1", "bar", "2", "a", "3"});
  EXPECT_EQ(shards_[0]({"dbsize"}), ":1\r\n");
  EXPECT_EQ(shards_[1]({"dbsize"}), ":2\r\n");
  EXPECT_EQ(shards_[1]({"flushall"}), "+OK\r\n");
  EXPECT_EQ(shards_[0]({"dbsize"}), ":1\r\n");
  EXPECT_EQ(shards_[1]({"dbsize"}), ":0\r\n");
}

}  // namespace
}  // namespace shardd::kv
