// SETEX, PSETEX, GETDEL, GETEX, GETRANGE, SETRANGE, INCRBYFLOAT, MSETNX and
// the WRONGTYPE answers of string commands. Expected bytes are Redis 7.0's.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(StringExtraCommandsTest, SetExSetsValueAndExpiry) {
  HandlerRunner run;
  EXPECT_EQ(run({"setex", "k", "100", "v"}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":100000\r\n");
  EXPECT_EQ(run({"psetex", "k", "1500", "w"}), "+OK\r\n");
  EXPECT_EQ(run({"pttl", "k"}), ":1500\r\n");
  EXPECT_EQ(run({"setex", "k", "0", "v"}),
            "-ERR invalid expire time in 'setex' command\r\n");
  EXPECT_EQ(run({"psetex", "k", "-1", "v"}),
            "-ERR invalid expire time in 'psetex' command\r\n");
  EXPECT_EQ(run({"setex", "k", "abc", "v"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(StringExtraCommandsTest, GetDelReturnsAndDeletes) {
  HandlerRunner run;
  run({"set", "k", "v"});
  EXPECT_EQ(run({"getdel", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"getdel", "k"}), "$-1\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");
}

TEST(StringExtraCommandsTest, GetExSetsOrDropsExpiryAfterCheckingKey) {
  HandlerRunner run;
  run({"set", "k", "v"});
  EXPECT_EQ(run({"getex", "k", "EX", "10"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":10\r\n");
  EXPECT_EQ(run({"getex", "k", "persist"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"ttl", "k"}), ":-1\r\n");
  EXPECT_EQ(run({"getex", "k", "EX", "1", "PX", "5"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"getex", "k", "PERSIST", "EX", "5"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"getex", "k", "KEEPTTL"}), "-ERR syntax error\r\n");
  // A missing key answers nil before the expire time is validated.
  EXPECT_EQ(run({"getex", "missing", "PX", "1.5"}), "$-1\r\n");
  EXPECT_EQ(run({"getex", "k", "PX", "0"}),
            "-ERR invalid expire time in 'getex' command\r\n");
  EXPECT_EQ(run({"getex", "k", "PXAT", "1"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"exists", "k"}), ":0\r\n");  // a past time deletes
}

TEST(StringExtraCommandsTest, GetRangeClampsLikeRedis) {
  HandlerRunner run;
  run({"set", "s", "Hello World"});
  EXPECT_EQ(run({"getrange", "s", "0", "4"}), "$5\r\nHello\r\n");
  EXPECT_EQ(run({"getrange", "s", "-5", "-1"}), "$5\r\nWorld\r\n");
  EXPECT_EQ(run({"getrange", "s", "6", "100"}), "$5\r\nWorld\r\n");
  EXPECT_EQ(run({"getrange", "s", "-1", "-5"}), "$0\r\n\r\n");
  EXPECT_EQ(run({"getrange", "s", "5", "2"}), "$0\r\n\r\n");
  EXPECT_EQ(run({"getrange", "missing", "0", "1"}), "$0\r\n\r\n");
  EXPECT_EQ(run({"getrange", "s", "a", "1"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(StringExtraCommandsTest, SetRangePadsWithZeroBytes) {
  HandlerRunner run;
  EXPECT_EQ(run({"setrange", "k", "3", "ab"}), ":5\r\n");
  EXPECT_EQ(run({"get", "k"}), std::string("$5\r\n\0\0\0ab\r\n", 11));
  EXPECT_EQ(run({"setrange", "k", "0", "xy"}), ":5\r\n");
  EXPECT_EQ(run({"setrange", "k", "1", ""}), ":5\r\n");
  EXPECT_EQ(run({"setrange", "none", "1", ""}), ":0\r\n");
  EXPECT_EQ(run({"exists", "none"}), ":0\r\n");
  EXPECT_EQ(run({"setrange", "k", "-1", "x"}),
            "-ERR offset is out of range\r\n");
  EXPECT_EQ(run({"setrange", "k", "536870911", "xy"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
}

TEST(StringExtraCommandsTest, IncrByFloatFormatsLikeRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"incrbyfloat", "f", "10.5"}), "$4\r\n10.5\r\n");
  EXPECT_EQ(run({"incrbyfloat", "f", "0.1"}), "$4\r\n10.6\r\n");
  // Redis prints 17 decimals of the long double, trailing zeros trimmed.
  EXPECT_EQ(run({"incrbyfloat", "f", "-5.0e3"}),
            "$23\r\n-4989.39999999999999991\r\n");
  run({"set", "e", "3.0"});
  EXPECT_EQ(run({"incrbyfloat", "e", "1"}), "$1\r\n4\r\n");
  EXPECT_EQ(run({"incrbyfloat", "e", "abc"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"incrbyfloat", "e", " 1"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"incrbyfloat", "e", "inf"}),
            "-ERR increment would produce NaN or Infinity\r\n");
  run({"set", "t", "x"});
  EXPECT_EQ(run({"incrbyfloat", "t", "1"}),
            "-ERR value is not a valid float\r\n");
}

TEST(StringExtraCommandsTest, MSetNxIsAllOrNothing) {
  HandlerRunner run;
  EXPECT_EQ(run({"msetnx", "a", "1", "b", "2"}), ":1\r\n");
  EXPECT_EQ(run({"msetnx", "b", "3", "c", "4"}), ":0\r\n");
  EXPECT_EQ(run({"mget", "a", "b", "c"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
  EXPECT_EQ(run({"msetnx", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'msetnx' command\r\n");
}

}  // namespace
}  // namespace shardd::kv
