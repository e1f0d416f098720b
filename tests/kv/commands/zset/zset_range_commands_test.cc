// The sorted-set range commands: ZRANGE in all its forms, ZRANGESTORE,
// ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*. Every expected reply is what
// redis-server 7.0 replied to the same commands.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(ZRangeTest, ByRank) {
  HandlerRunner run;
  EXPECT_EQ(
      run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}),
      ":5\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "-1"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zrange", "z", "1", "2", "withscores"}),
            "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zrange", "z", "-2", "-1"}), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zrange", "z", "3", "1"}), "*0\r\n");
  EXPECT_EQ(run({"zrange", "z", "-100", "100"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zrange", "z", "5", "10"}), "*0\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "rev"}),
            "*2\r\n$1\r\ne\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "rev", "withscores"}),
            "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n");
  EXPECT_EQ(run({"zrevrange", "z", "0", "-1"}),
            "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"zrevrange", "z", "1", "1", "withscores"}),
            "*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
  EXPECT_EQ(run({"zrange", "z", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"zrange", "missing", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "limit", "0", "-1"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "limit", "0", "1"}),
            "-ERR syntax error, LIMIT is only supported in combination with "
            "either BYSCORE or BYLEX\r\n");
  EXPECT_EQ(run({"zrevrange", "z", "0", "1", "limit", "0", "1"}),
            "-ERR syntax error, LIMIT is only supported in combination with "
            "either BYSCORE or BYLEX\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "limit", "0"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "1", "foo"}), "-ERR syntax error\r\n");
}

TEST(ZRangeTest, ByScore) {
  HandlerRunner run;
  EXPECT_EQ(
      run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}),
      ":5\r\n");
  EXPECT_EQ(run({"zrange", "z", "2", "4", "byscore"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"zrange", "z", "(2", "4", "byscore"}),
            "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"zrange", "z", "2", "(4", "byscore", "withscores"}),
            "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "2"}),
            "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "-1"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zrange", "z", "-inf", "+inf", "byscore", "limit", "-1", "2"}),
            "*0\r\n");
  EXPECT_EQ(run({"zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "0"}),
            "*0\r\n");
  EXPECT_EQ(run({"zrange", "z", "4", "2", "byscore", "rev"}),
            "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrange", "z", "+inf", "-inf", "byscore", "rev", "limit", "1",
                 "2", "withscores"}),
            "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "3", "+inf"}),
            "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(
      run({"zrangebyscore", "z", "3", "+inf", "withscores", "limit", "1", "5"}),
      "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "(1", "(1"}), "*0\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "3", "2"}), "*0\r\n");
  EXPECT_EQ(run({"zrevrangebyscore", "z", "3", "1"}),
            "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"zrevrangebyscore", "z", "+inf", "(4", "withscores"}),
            "*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"zrevrangebyscore", "z", "1", "3"}), "*0\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "x", "1"}),
            "-ERR min or max is not a float\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "1", "nan"}),
            "-ERR min or max is not a float\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "(", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", " 2", "3"}),
            "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "1e400", "+inf"}), "*0\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "1", "2", "rev"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "1", "2", "byscore"}),
            "-ERR syntax error\r\n");
}

TEST(ZRangeTest, ByLex) {
  HandlerRunner run;
  EXPECT_EQ(
      run({"zadd", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"}),
      ":5\r\n");
  EXPECT_EQ(run({"zrange", "z", "[b", "(d", "bylex"}),
            "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrange", "z", "-", "+", "bylex", "limit", "1", "2"}),
            "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrange", "z", "+", "-", "bylex", "rev"}),
            "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"zrange", "z", "(d", "-", "bylex", "rev", "limit", "0", "2"}),
            "*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "-", "[c"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "(a", "(c"}), "*1\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "[c", "[a"}), "*0\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "[c", "[c"}), "*1\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "(c", "[c"}), "*0\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "[", "+"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "+", "-"}), "*0\r\n");
  EXPECT_EQ(run({"zrevrangebylex", "z", "[d", "(a"}),
            "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"zrevrangebylex", "z", "+", "-", "limit", "1", "1"}),
            "*1\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "a", "c"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "[a", "c"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "", "+"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "+x", "+"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "-", "+", "withscores"}),
            "-ERR syntax error, WITHSCORES not supported in combination with "
            "BYLEX\r\n");
  EXPECT_EQ(run({"zrange", "z", "-", "+", "bylex", "withscores"}),
            "-ERR syntax error, WITHSCORES not supported in combination with "
            "BYLEX\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "-", "+", "rev"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zrangebylex", "z", "-", "+", "limit", "0"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zlexcount", "z", "-", "+"}), ":5\r\n");
  EXPECT_EQ(run({"zlexcount", "z", "[b", "(d"}), ":2\r\n");
  EXPECT_EQ(run({"zlexcount", "z", "a", "b"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zlexcount", "missing", "-", "+"}), ":0\r\n");
}

TEST(ZRangeTest, WrongType) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"zrange", "s", "0", "-1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"zrange", "s", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(
      run({"zrangebyscore", "s", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zrangebylex", "s", "-", "+"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zrangestore", "d", "s", "0", "-1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zcount", "s", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zlexcount", "s", "-", "+"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zremrangebyrank", "s", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zremrangebyscore", "s", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zremrangebylex", "s", "-", "+"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zscore", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zmscore", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zcard", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zrank", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zrem", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zpopmin", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zscan", "s", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zunionstore", "d", "1", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"zinterstore", "d", "2", "missing", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

TEST(ZCountTest, CountsScoreRanges) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "3", "c"}), ":3\r\n");
  EXPECT_EQ(run({"zcount", "z", "-inf", "+inf"}), ":3\r\n");
  EXPECT_EQ(run({"zcount", "z", "(1", "3"}), ":2\r\n");
  EXPECT_EQ(run({"zcount", "z", "2", "1"}), ":0\r\n");
  EXPECT_EQ(run({"zcount", "z", "x", "1"}),
            "-ERR min or max is not a float\r\n");
  EXPECT_EQ(run({"zcount", "missing", "0", "1"}), ":0\r\n");
}

TEST(ZRemRangeTest, ByRankScoreAndLex) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
                 "6", "f"}),
            ":6\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "0", "0"}), ":1\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "-1", "-1"}), ":1\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "5", "10"}), ":0\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"zremrangebyscore", "z", "(2", "3"}), ":1\r\n");
  EXPECT_EQ(run({"zremrangebyscore", "z", "x", "1"}),
            "-ERR min or max is not a float\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"zremrangebylex", "z", "x", "1"}),
            "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "0", "-1"}), ":3\r\n");
  EXPECT_EQ(run({"exists", "z"}), ":0\r\n");
  EXPECT_EQ(run({"zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d"}),
            ":4\r\n");
  EXPECT_EQ(run({"zremrangebylex", "l", "[b", "(d"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "l", "0", "-1"}), "*2\r\n$1\r\na\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"zremrangebylex", "l", "-", "+"}), ":2\r\n");
  EXPECT_EQ(run({"exists", "l"}), ":0\r\n");
  EXPECT_EQ(run({"zremrangebyscore", "missing", "0", "1"}), ":0\r\n");
  EXPECT_EQ(run({"zremrangebylex", "missing", "-", "+"}), ":0\r\n");
}

TEST(ZRangeStoreTest, StoresRanges) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "src", "1", "a", "2", "b", "3", "c", "4", "d"}),
            ":4\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "src", "1", "2"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "dst", "0", "-1", "withscores"}),
            "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "src", "2", "4", "byscore", "rev"}),
            ":0\r\n");
  EXPECT_EQ(run({"zrange", "dst", "0", "-1", "withscores"}), "*0\r\n");
  EXPECT_EQ(
      run({"zrangestore", "dst", "src", "(b", "+", "bylex", "limit", "0", "1"}),
      ":1\r\n");
  EXPECT_EQ(run({"zrange", "dst", "0", "-1"}), "*1\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "src", "5", "10"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "dst"}), ":0\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "missing", "0", "-1"}), ":0\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "src", "0", "-1", "withscores"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zrangestore", "dst", "src", "0", "-1", "limit", "0", "1"}),
            "-ERR syntax error, LIMIT is only supported in combination with "
            "either BYSCORE or BYLEX\r\n");
  EXPECT_EQ(run({"zrangestore", "src", "src", "0", "0"}), ":1\r\n");
  EXPECT_EQ(run({"zrange", "src", "0", "-1", "withscores"}),
            "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(run({"zrangestore", "s", "src", "0", "-1"}), ":1\r\n");
  EXPECT_EQ(run({"type", "s"}), "+zset\r\n");
}

}  // namespace
}  // namespace shardd::kv
