// DEL, EXISTS, TTL, PTTL, PERSIST. Expected bytes are what redis-server 7.0
// replies.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(DelTest, CountsDeletedKeysOnce) {
  HandlerRunner run;
  run({"mset", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(run({"del", "a", "a", "b", "nope"}), ":2\r\n");
  EXPECT_EQ(run({"exists", "a", "b", "c"}), ":1\r\n");
  EXPECT_EQ(run({"del", "a"}), ":0\r\n");
  EXPECT_EQ(run({"del"}),
            "-ERR wrong number of arguments for 'del' command\r\n");
}

TEST(DelTest, ExpiredKeyIsNotCounted) {
  HandlerRunner run;
  run({"set", "a", "1", "px", "10"});
  run({"set", "b", "1", "px", "10"});
  run.now_ms += 11;
  EXPECT_EQ(run({"del", "a", "b"}), ":0\r\n");
  EXPECT_EQ(run.store.KeyCount(), 0u);
  EXPECT_EQ(run.store.ExpiringKeyCount(), 0u);
}

TEST(ExistsTest, CountsEveryMention) {
  HandlerRunner run;
  run({"set", "a", "1"});
  run({"set", "h", "1"});
  EXPECT_EQ(run({"exists", "a", "a", "c", "h", "h"}), ":4\r\n");
  EXPECT_EQ(run({"exists", "c"}), ":0\r\n");
  EXPECT_EQ(run({"exists"}),
            "-ERR wrong number of arguments for 'exists' command\r\n");
}

TEST(ExistsTest, ExpiredKeyDoesNotExist) {
  HandlerRunner run;
  run({"set", "a", "1", "px", "10"});
  run.now_ms += 10;
  EXPECT_EQ(run({"exists", "a"}), ":1\r\n");
  run.now_ms += 1;
  EXPECT_EQ(run({"exists", "a"}), ":0\r\n");
}

// TOUCH marks a key as used, as Redis's lookupKeyRead does: its idle time
// starts again; EXISTS only looks. (redis-server 7.0, by hand: TOUCH k
// after 3 s, then OBJECT IDLETIME k is 0; after EXISTS it is still 3.)
TEST(TouchTest, RestartsIdleTimeWhereExistsDoesNot) {
  HandlerRunner run;
  run({"set", "touched", "v"});
  run({"set", "looked", "v"});
  run.now_ms += 3000;
  EXPECT_EQ(run({"touch", "touched", "absent", "touched"}), ":2\r\n");
  EXPECT_EQ(run({"exists", "looked"}), ":1\r\n");
  EXPECT_EQ(run({"object", "idletime", "touched"}), ":0\r\n");
  EXPECT_EQ(run({"object", "idletime", "looked"}), ":3\r\n");
}

// More keys than the store prefetches at once (Store::kPrefetchWindow),
// named twice: EXISTS counts every mention, DEL each key once.
TEST(DelTest, ManyKeysAcrossPrefetchWindows) {
  HandlerRunner run;
  constexpr size_t kKeys = Store::kPrefetchWindow + 1;  // a last window of one
  std::vector<std::string> names;
  for (size_t i = 0; i < kKeys; ++i) names.push_back(absl::StrCat("k", i));
  std::vector<std::string_view> exists = {"exists"};
  std::vector<std::string_view> del = {"del"};
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < kKeys; ++i) {
      exists.push_back(names[i]);
      del.push_back(names[i]);
    }
  }
  for (size_t i = 0; i < kKeys; i += 2) run({"set", names[i], "v"});
  const size_t set = (kKeys + 1) / 2;
  EXPECT_EQ(run(exists), absl::StrCat(":", 2 * set, "\r\n"));
  EXPECT_EQ(run(del), absl::StrCat(":", set, "\r\n"));
  EXPECT_EQ(run(exists), ":0\r\n");
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(TtlTest, MissingAndPersistentKeys) {
  HandlerRunner run;
  EXPECT_EQ(run({"ttl", "k"}), ":-2\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":-2\r\n");
  run({"set", "k", "v"});
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":-1\r\n");
}

TEST(TtlTest, SecondsRoundToNearest) {
  HandlerRunner run;
  run({"set", "k", "v", "px", "10499"});
  EXPECT_EQ(run({"ttl", "k"}), ":10\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":10499\r\n");
  run({"set", "k", "v", "px", "10500"});
  EXPECT_EQ(run({"ttl", "k"}), ":11\r\n");
  run({"set", "k", "v", "px", "499"});
  EXPECT_EQ(run({"ttl", "k"}), ":0\r\n");
}

TEST(TtlTest, CountsDownAndEnds) {
  HandlerRunner run;
  run({"set", "k", "v", "px", "1000"});
  run.now_ms += 400;
  EXPECT_EQ(run({"pttl", "k"}), ":600\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":1\r\n");
  run.now_ms += 600;
  EXPECT_EQ(run({"pttl", "k"}), ":0\r\n");  // its last millisecond
  run.now_ms += 1;
  EXPECT_EQ(run({"pttl", "k"}), ":-2\r\n");
}

TEST(PersistTest, RemovesExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"persist", "k"}), ":0\r\n");
  run({"set", "k", "v"});
  EXPECT_EQ(run({"persist", "k"}), ":0\r\n");
  run({"expire", "k", "100"});
  EXPECT_EQ(run({"persist", "k"}), ":1\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
  EXPECT_EQ(run({"persist", "k"}), ":0\r\n");
  EXPECT_EQ(run.store.ExpiringKeyCount(), 0u);
  run.now_ms += 1'000'000;
  EXPECT_EQ(run({"get", "k"}), "$1\r\nv\r\n");
}

TEST(PersistTest, TooLateForAnExpiredKey) {
  HandlerRunner run;
  run({"set", "k", "v", "px", "10"});
  run.now_ms += 11;
  EXPECT_EQ(run({"persist", "k"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
}

}  // namespace
}  // namespace shardd::kv
