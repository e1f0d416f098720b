// SET and its options. Expected bytes are what redis-server 7.0 replies.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kSyntax = "-ERR syntax error\r\n";
constexpr std::string_view kInvalidExpire =
    "-ERR invalid expire time in 'set' command\r\n";
constexpr std::string_view kNotInteger =
    "-ERR value is not an integer or out of range\r\n";

TEST(SetTest, SetsAndReplacesValue) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "a"}), "+OK\r\n");
  EXPECT_EQ(run({"set", "k", "b"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"set", "k"}),
            "-ERR wrong number of arguments for 'set' command\r\n");
}

TEST(SetTest, PlainSetDropsExpiry) {
  HandlerRunner run;
  run({"set", "k", "a", "ex", "10"});
  run({"set", "k", "b"});
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
}

TEST(SetTest, RelativeExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "v", "EX", "10"}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":10000\r\n");
  EXPECT_EQ(run({"set", "k", "v", "px", "1500"}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":1500\r\n");
  run.now_ms += 1501;
  EXPECT_EQ(run({"get", "k"}), "$-1\r\n");
}

TEST(SetTest, AbsoluteExpiry) {
  HandlerRunner run;
  const int64_t at_s = kTestEpochMs / 1000 + 20;
  EXPECT_EQ(run({"set", "k", "v", "exat", std::to_string(at_s)}), "+OK\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":20\r\n");
  const int64_t at_ms = kTestEpochMs + 1234;
  EXPECT_EQ(run({"set", "k", "v", "PXAT", std::to_string(at_ms)}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":1234\r\n");
}

TEST(SetTest, PastAbsoluteExpiryStoresAnExpiredKey) {
  // Redis 7.0 stores it: DBSIZE counts it until it is collected.
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "v", "exat", "1"}), "+OK\r\n");
  EXPECT_EQ(run({"dbsize"}), ":1\r\n");
  EXPECT_EQ(run({"get", "k"}), "$-1\r\n");
  EXPECT_EQ(run({"dbsize"}), ":0\r\n");
}

TEST(SetTest, RepeatedExpiryOptionLastWins) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "v", "EX", "10", "EX", "20"}), "+OK\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":20\r\n");
}

TEST(SetTest, KeepTtl) {
  HandlerRunner run;
  run({"set", "k", "a", "ex", "20"});
  EXPECT_EQ(run({"set", "k", "b", "KEEPTTL"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":20\r\n");
  EXPECT_EQ(run({"set", "new", "v", "keepttl"}), "+OK\r\n");
  EXPECT_EQ(run({"ttl", "new"}), ":-1\r\n");
}

TEST(SetTest, NxAndXx) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "a", "XX"}), "$-1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
  EXPECT_EQ(run({"set", "k", "a", "NX"}), "+OK\r\n");
  EXPECT_EQ(run({"set", "k", "b", "nx"}), "$-1\r\n");
  EXPECT_EQ(run({"set", "k", "c", "xx"}), "+OK\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nc\r\n");
  EXPECT_EQ(run({"set", "k", "d", "nx", "nx"}), "$-1\r\n");
}

TEST(SetTest, NxSeesExpiredKeyAsMissing) {
  HandlerRunner run;
  run({"set", "k", "a", "px", "5"});
  run.now_ms += 6;
  EXPECT_EQ(run({"set", "k", "b", "nx", "px", "5"}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":5\r\n");
}

TEST(SetTest, GetReturnsOldValue) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "a", "GET"}), "$-1\r\n");
  EXPECT_EQ(run({"set", "k", "b", "get"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"set", "k", "c", "GET", "GET"}), "$1\r\nb\r\n");
}

TEST(SetTest, GetWithNxOrXxRepliesOldValueEvenWhenNotSet) {
  HandlerRunner run;
  run({"set", "k", "a"});
  EXPECT_EQ(run({"set", "k", "b", "NX", "GET"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"set", "k", "c", "XX", "GET"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"get", "k"}), "$1\r\nc\r\n");
  EXPECT_EQ(run({"set", "k2", "v", "XX", "GET"}), "$-1\r\n");
  EXPECT_EQ(run({"exists", "k2"}), ":0\r\n");
  EXPECT_EQ(run({"set", "k2", "v", "GET", "NX"}), "$-1\r\n");
  EXPECT_EQ(run({"get", "k2"}), "$1\r\nv\r\n");
}

TEST(SetTest, ConflictingOptionsAreSyntaxErrors) {
  HandlerRunner run;
  run({"set", "k", "orig"});
  for (const std::vector<std::string_view>& args :
       std::vector<std::vector<std::string_view>>{
           {"set", "k", "v", "NX", "XX"},
           {"set", "k", "v", "xx", "nx"},
           {"set", "k", "v", "EX", "10", "PX", "100"},
           {"set", "k", "v", "PX", "100", "PXAT", "5"},
           {"set", "k", "v", "EXAT", "10", "EX", "10"},
           {"set", "k", "v", "EX", "10", "KEEPTTL"},
           {"set", "k", "v", "KEEPTTL", "EX", "10"},
           {"set", "k", "v", "KEEPTTL", "PXAT", "10"},
           {"set", "k", "v", "EX"},
           {"set", "k", "v", "NX", "PX"},
           {"set", "k", "v", "foo"},
           {"set", "k", "v", "PERSIST"},
           {"set", "k", "v", "EX", "abc", "NX", "XX"},
       }) {
    EXPECT_EQ(run(args), kSyntax) << args[3];
  }
  EXPECT_EQ(run({"get", "k"}), "$4\r\norig\r\n");
}

TEST(SetTest, ExpireTimeMustBeAPositiveInteger) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "k", "v", "EX", "abc"}), kNotInteger);
  EXPECT_EQ(run({"set", "k", "v", "ex", "01"}), kNotInteger);
  EXPECT_EQ(run({"set", "k", "v", "ex", "+1"}), kNotInteger);
  EXPECT_EQ(run({"set", "k", "v", "ex", " 1"}), kNotInteger);
  EXPECT_EQ(run({"set", "k", "v", "px", "1.5"}), kNotInteger);
  EXPECT_EQ(run({"set", "k", "v", "EX", "0"}), kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "EX", "-1"}), kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "EXAT", "0"}), kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "PXAT", "-5"}), kInvalidExpire);
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(SetTest, ExpireTimeOverflowIsInvalid) {
  HandlerRunner run;
  // Seconds that overflow when converted to ms.
  EXPECT_EQ(run({"set", "k", "v", "EX", "9223372036854775807"}),
            kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "EX", "9223372036854775"}), kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "EXAT", "9223372036854775807"}),
            kInvalidExpire);
  // Fits in ms, but not once the current time is added.
  EXPECT_EQ(run({"set", "k", "v", "EX", "9223372036854774"}), kInvalidExpire);
  EXPECT_EQ(run({"set", "k", "v", "PX", "9223372036854775807"}),
            kInvalidExpire);
  EXPECT_EQ(run.store.KeyCount(), 0u);
  // An absolute time is not added to anything, so the largest one works.
  EXPECT_EQ(run({"set", "k", "v", "PXAT", "9223372036854775807"}), "+OK\r\n");
}

TEST(SetTest, SyntaxCheckedBeforeExpireTimeBeforeKey) {
  HandlerRunner run;
  run({"set", "k", "a"});
  EXPECT_EQ(run({"set", "k", "b", "EX", "0", "foo"}), kSyntax);
  EXPECT_EQ(run({"set", "k", "b", "GET", "EX", "0"}), kInvalidExpire);
  EXPECT_EQ(run({"get", "k"}), "$1\r\na\r\n");
}

}  // namespace
}  // namespace shardd::kv
