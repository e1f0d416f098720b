// GET, SETNX, GETSET, MGET, MSET, APPEND, STRLEN. Expected bytes are what
// redis-server 7.0 replies.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(GetTest, ReturnsValueOrNull) {
  HandlerRunner run;
  EXPECT_EQ(run({"get", "k"}), "$-1\r\n");
  run({"set", "k", "hello"});
  EXPECT_EQ(run({"GET", "k"}), "$5\r\nhello\r\n");
  EXPECT_EQ(run({"get", "k", "extra"}),
            "-ERR wrong number of arguments for 'get' command\r\n");
}

TEST(GetTest, EmptyKeyAndValueAreValid) {
  HandlerRunner run;
  EXPECT_EQ(run({"get", ""}), "$-1\r\n");
  EXPECT_EQ(run({"set", "", ""}), "+OK\r\n");
  EXPECT_EQ(run({"get", ""}), "$0\r\n\r\n");
}

TEST(GetTest, ExpiredKeyReadsAsMissing) {
  HandlerRunner run;
  run({"set", "k", "v", "px", "100"});
  run.now_ms += 100;
  EXPECT_EQ(run({"get", "k"}), "$1\r\nv\r\n");
  run.now_ms += 1;
  EXPECT_EQ(run({"get", "k"}), "$-1\r\n");
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(SetNxTest, SetsOnlyMissingKeys) {
  HandlerRunner run;
  EXPECT_EQ(run({"setnx", "k", "a"}), ":1\r\n");
  EXPECT_EQ(run({"setnx", "k", "b"}), ":0\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\na\r\n");
}

TEST(SetNxTest, ExpiredKeyCountsAsMissing) {
  HandlerRunner run;
  run({"set", "k", "a", "px", "1"});
  run.now_ms += 2;
  EXPECT_EQ(run({"setnx", "k", "b"}), ":1\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":-1\r\n");
}

TEST(GetSetTest, ReturnsOldValueAndDropsExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"getset", "k", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\na\r\n");
  run({"expire", "k", "100"});
  EXPECT_EQ(run({"getset", "k", "b"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
  EXPECT_EQ(run.store.ExpiringKeyCount(), 0u);
}

TEST(MGetTest, OneElementPerKeyInOrder) {
  HandlerRunner run;
  run({"mset", "a", "1", "b", "2"});
  EXPECT_EQ(run({"mget", "a", "b", "nope", "a"}),
            "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"mget", "nope"}), "*1\r\n$-1\r\n");
  EXPECT_EQ(run({"mget"}),
            "-ERR wrong number of arguments for 'mget' command\r\n");
}

TEST(MSetTest, SetsAllPairsAndDropsExpiry) {
  HandlerRunner run;
  run({"set", "a", "old", "ex", "100"});
  EXPECT_EQ(run({"mset", "a", "1", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(run({"mget", "a", "b"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(run({"ttl", "a"}), ":-1\r\n");
  // A repeated key takes its last value.
  EXPECT_EQ(run({"mset", "c", "1", "c", "2"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "c"}), "$1\r\n2\r\n");
}

TEST(MSetTest, KeyWithoutValueIsAnArityError) {
  HandlerRunner run;
  EXPECT_EQ(run({"mset", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'mset' command\r\n");
  EXPECT_EQ(run({"mset", "a"}),
            "-ERR wrong number of arguments for 'mset' command\r\n");
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

// More keys than the store prefetches at once (Store::kPrefetchWindow):
// every key is still set and read in order, across the windows' edges.
TEST(MSetTest, ManyKeysAcrossPrefetchWindows) {
  HandlerRunner run;
  constexpr size_t kKeys = 2 * Store::kPrefetchWindow + 7;
  std::vector<std::string> names;
  for (size_t i = 0; i < kKeys; ++i) names.push_back(absl::StrCat("k", i));
  std::vector<std::string_view> mset = {"mset"};
  std::vector<std::string_view> msetnx = {"msetnx"};
  std::vector<std::string_view> mget = {"mget"};
  std::string expected = absl::StrCat("*", 2 * kKeys, "\r\n");
  for (size_t i = 0; i < kKeys; ++i) {
    mset.insert(mset.end(), {names[i], names[i]});
    // MSETNX names the keys MSET set only from the second window on.
    msetnx.insert(msetnx.end(),
                  {i < Store::kPrefetchWindow ? std::string_view("fresh")
                                              : std::string_view(names[i]),
                   "x"});
    mget.push_back(names[i]);
    absl::StrAppend(&expected, "$", names[i].size(), "\r\n", names[i], "\r\n");
  }
  for (size_t i = 0; i < kKeys; ++i) {
    mget.push_back("absent");
    expected += "$-1\r\n";
  }
  EXPECT_EQ(run(mset), "+OK\r\n");
  EXPECT_EQ(run.store.KeyCount(), kKeys);
  EXPECT_EQ(run(mget), expected);
  EXPECT_EQ(run(msetnx), ":0\r\n");
  EXPECT_EQ(run.store.KeyCount(), kKeys);
}

TEST(AppendTest, CreatesOrExtendsAndKeepsExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"append", "k", "hello"}), ":5\r\n");
  EXPECT_EQ(run({"append", "k", " world"}), ":11\r\n");
  EXPECT_EQ(run({"get", "k"}), "$11\r\nhello world\r\n");
  EXPECT_EQ(run({"append", "k", ""}), ":11\r\n");
  run({"expire", "k", "100"});
  EXPECT_EQ(run({"append", "k", "!"}), ":12\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":100\r\n");
  EXPECT_EQ(run({"append", "empty", ""}), ":0\r\n");
  EXPECT_EQ(run({"exists", "empty"}), ":1\r\n");
}

TEST(AppendTest, StringLimitIsProtoMaxBulkLen) {
  // APPEND refuses to grow a value past 512 MB; checked on the rule rather
  // than by allocating half a gigabyte in a unit test.
  EXPECT_EQ(kMaxStringBytes, 536870912u);
  EXPECT_TRUE(FitsStringLimit(0, kMaxStringBytes));
  EXPECT_TRUE(FitsStringLimit(kMaxStringBytes - 1, 1));
  EXPECT_TRUE(FitsStringLimit(kMaxStringBytes, 0));
  EXPECT_FALSE(FitsStringLimit(kMaxStringBytes, 1));
  EXPECT_FALSE(FitsStringLimit(1, kMaxStringBytes));
  EXPECT_FALSE(FitsStringLimit(kMaxStringBytes + 1, 0));
  EXPECT_EQ(kStringTooLongError,
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

TEST(StrLenTest, LengthOrZero) {
  HandlerRunner run;
  EXPECT_EQ(run({"strlen", "k"}), ":0\r\n");
  run({"set", "k", "hello"});
  EXPECT_EQ(run({"strlen", "k"}), ":5\r\n");
  run({"set", "n", "-123"});
  EXPECT_EQ(run({"strlen", "n"}), ":4\r\n");
}

}  // namespace
}  // namespace shardd::kv
