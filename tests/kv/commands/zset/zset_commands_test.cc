// The sorted-set commands. Every expected reply is what redis-server 7.0
// replied to the same commands.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(ZAddTest, AddsUpdatesAndCounts) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b"}), ":2\r\n");
  EXPECT_EQ(run({"zadd", "z", "3", "a", "4", "c"}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "z", "ch", "5", "a", "4", "c", "6", "d"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "-1", "withscores"}),
            "*8\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n$1\r\na\r\n$"
            "1\r\n5\r\n$1\r\nd\r\n$1\r\n6\r\n");
  EXPECT_EQ(run({"zadd", "z", "1", "a", "1", "a"}), ":0\r\n");
  EXPECT_EQ(run({"zscore", "z", "a"}), "$1\r\n1\r\n");
  EXPECT_EQ(run({"zcard", "z"}), ":4\r\n");
  EXPECT_EQ(run({"zcard", "missing"}), ":0\r\n");
}

TEST(ZAddTest, NxXxGtLt) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "5", "a"}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "z", "nx", "1", "a", "1", "b"}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "z", "xx", "7", "a", "1", "c"}), ":0\r\n");
  EXPECT_EQ(run({"zadd", "z", "gt", "ch", "6", "a", "8", "b"}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "z", "lt", "ch", "9", "a", "0", "b"}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "z", "xx", "gt", "ch", "10", "a", "10", "zz"}),
            ":1\r\n");
  EXPECT_EQ(
      run({"zadd", "z", "GT", "LT", "1", "a"}),
      "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  EXPECT_EQ(
      run({"zadd", "z", "nx", "gt", "1", "a"}),
      "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  EXPECT_EQ(
      run({"zadd", "z", "nx", "lt", "1", "a"}),
      "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  EXPECT_EQ(run({"zadd", "z", "nx", "xx", "1", "a"}),
            "-ERR XX and NX options at the same time are not compatible\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "-1", "withscores"}),
            "*4\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\na\r\n$2\r\n10\r\n");
  EXPECT_EQ(run({"zadd", "missing", "xx", "1", "a"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "missing"}), ":0\r\n");
}

TEST(ZAddTest, IncrRepliesTheNewScoreOrNull) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "incr", "1.5", "a"}), "$3\r\n1.5\r\n");
  EXPECT_EQ(run({"zadd", "z", "incr", "1", "a"}), "$3\r\n2.5\r\n");
  EXPECT_EQ(run({"zadd", "z", "nx", "incr", "1", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"zadd", "z", "xx", "incr", "1", "b"}), "$-1\r\n");
  EXPECT_EQ(run({"zadd", "z", "gt", "incr", "-1", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"zadd", "z", "lt", "incr", "-1", "a"}), "$3\r\n1.5\r\n");
  EXPECT_EQ(run({"zadd", "z", "incr", "1", "a", "2", "b"}),
            "-ERR INCR option supports a single increment-element pair\r\n");
  EXPECT_EQ(run({"zadd", "missing", "xx", "incr", "1", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"zadd", "z", "incr", "inf", "a"}), "$3\r\ninf\r\n");
  EXPECT_EQ(run({"zadd", "z", "incr", "-inf", "a"}),
            "-ERR resulting score is not a number (NaN)\r\n");
  EXPECT_EQ(run({"zscore", "z", "a"}), "$3\r\ninf\r\n");
}

TEST(ZAddTest, RejectsBadArguments) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1"}),
            "-ERR wrong number of arguments for 'zadd' command\r\n");
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zadd", "z", "nx"}),
            "-ERR wrong number of arguments for 'zadd' command\r\n");
  EXPECT_EQ(run({"zadd", "z", "xx", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zadd", "z", "x", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", "1", "a", "nan", "b"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", "", "a"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", " 1", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", "1 ", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", "1e400", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zadd", "z", "1e-400", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"exists", "z"}), ":0\r\n");
  EXPECT_EQ(run({"zadd", "z"}),
            "-ERR wrong number of arguments for 'zadd' command\r\n");
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"zadd", "s", "1", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"zadd", "s", "x", "a"}),
            "-ERR value is not a valid float\r\n");
}

TEST(ZAddTest, AcceptsWhatStrtodAccepts) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "0x10", "a", "1e3", "b", "-inf", "c", "+inf", "d",
                 ".5", "e", "1.", "f", "-0", "g", "infinity", "h"}),
            ":8\r\n");
  EXPECT_EQ(
      run({"zrange", "z", "0", "-1", "withscores"}),
      "*16\r\n$1\r\nc\r\n$4\r\n-inf\r\n$1\r\ng\r\n$1\r\n0\r\n$1\r\ne\r\n$"
      "3\r\n0.5\r\n$1\r\nf\r\n$1\r\n1\r\n$1\r\na\r\n$2\r\n16\r\n$1\r\nb\r\n$"
      "4\r\n1000\r\n$1\r\nd\r\n$3\r\ninf\r\n$1\r\nh\r\n$3\r\ninf\r\n");
}

TEST(ZScoreTest, FormatsScoresLikeRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "0.1", "a", "1", "b", "1.5", "c", "1e20", "d",
                 "123456789012345678", "e", "3.0000000000000004", "f", "1e-300",
                 "g", "-2.5", "h"}),
            ":8\r\n");
  EXPECT_EQ(run({"zscore", "z", "a"}), "$19\r\n0.10000000000000001\r\n");
  EXPECT_EQ(run({"zscore", "z", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(run({"zscore", "z", "c"}), "$3\r\n1.5\r\n");
  EXPECT_EQ(run({"zscore", "z", "d"}), "$5\r\n1e+20\r\n");
  EXPECT_EQ(run({"zscore", "z", "e"}), "$22\r\n1.2345678901234568e+17\r\n");
  EXPECT_EQ(run({"zscore", "z", "f"}), "$18\r\n3.0000000000000004\r\n");
  EXPECT_EQ(run({"zscore", "z", "g"}), "$6\r\n1e-300\r\n");
  EXPECT_EQ(run({"zscore", "z", "h"}), "$4\r\n-2.5\r\n");
  EXPECT_EQ(run({"zscore", "z", "missing"}), "$-1\r\n");
  EXPECT_EQ(run({"zscore", "missing", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"zmscore", "z", "a", "missing", "b"}),
            "*3\r\n$19\r\n0.10000000000000001\r\n$-1\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"zmscore", "missing", "a", "b"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(run({"zmscore", "z"}),
            "-ERR wrong number of arguments for 'zmscore' command\r\n");
}

TEST(ZIncrByTest, IncrementsAndCreates) {
  HandlerRunner run;
  EXPECT_EQ(run({"zincrby", "z", "2", "a"}), "$1\r\n2\r\n");
  EXPECT_EQ(run({"zincrby", "z", "0.5", "a"}), "$3\r\n2.5\r\n");
  EXPECT_EQ(run({"zincrby", "z", "-0", "b"}), "$2\r\n-0\r\n");
  EXPECT_EQ(run({"zscore", "z", "b"}), "$1\r\n0\r\n");
  EXPECT_EQ(run({"zincrby", "z", "x", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zincrby", "z", "nan", "a"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"zincrby", "z", "inf", "a"}), "$3\r\ninf\r\n");
  EXPECT_EQ(run({"zincrby", "z", "-inf", "a"}),
            "-ERR resulting score is not a number (NaN)\r\n");
  EXPECT_EQ(run({"zscore", "z", "a"}), "$3\r\ninf\r\n");
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"zincrby", "s", "1", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

TEST(ZRemTest, RemovesAndDeletesEmptySets) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "3", "c"}), ":3\r\n");
  EXPECT_EQ(run({"zrem", "z", "a", "zz"}), ":1\r\n");
  EXPECT_EQ(run({"zrem", "z", "b", "c", "b"}), ":2\r\n");
  EXPECT_EQ(run({"exists", "z"}), ":0\r\n");
  EXPECT_EQ(run({"zrem", "missing", "a"}), ":0\r\n");
  EXPECT_EQ(run({"zrem", "z"}),
            "-ERR wrong number of arguments for 'zrem' command\r\n");
}

TEST(ZRankTest, RanksBothWays) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "3", "c", "3", "d"}),
            ":4\r\n");
  EXPECT_EQ(run({"zrank", "z", "a"}), ":0\r\n");
  EXPECT_EQ(run({"zrank", "z", "d"}), ":3\r\n");
  EXPECT_EQ(run({"zrevrank", "z", "a"}), ":3\r\n");
  EXPECT_EQ(run({"zrevrank", "z", "d"}), ":0\r\n");
  EXPECT_EQ(run({"zrank", "z", "zz"}), "$-1\r\n");
  EXPECT_EQ(run({"zrevrank", "missing", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"zrank", "z"}),
            "-ERR wrong number of arguments for 'zrank' command\r\n");
}

TEST(ZPopTest, PopsMinAndMax) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"}),
            ":4\r\n");
  EXPECT_EQ(run({"zpopmin", "z"}), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"zpopmax", "z"}), "*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
  EXPECT_EQ(run({"zpopmin", "z", "0"}), "*0\r\n");
  EXPECT_EQ(run({"zpopmax", "z", "5"}),
            "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(run({"exists", "z"}), ":0\r\n");
  EXPECT_EQ(run({"zpopmin", "z"}), "*0\r\n");
  EXPECT_EQ(run({"zpopmax", "z", "2"}), "*0\r\n");
  EXPECT_EQ(run({"zpopmin", "z", "-1"}),
            "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(run({"zpopmin", "z", "x"}),
            "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(run({"zpopmin", "z", "1", "2"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zpopmax", "z", "1", "2"}), "-ERR syntax error\r\n");
}

TEST(ZScanTest, ScansSmallSetsWhole) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b", "1.5", "c",
                 "123456789012345678", "d", "-0", "e", "1e20", "f"}),
            ":6\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "0"}),
      "*2\r\n$1\r\n0\r\n*12\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$"
      "1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$"
      "18\r\n123456789012345680\r\n$1\r\nf\r\n$5\r\n1e+20\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "5", "count", "1"}),
      "*2\r\n$1\r\n0\r\n*12\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$"
      "1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$"
      "18\r\n123456789012345680\r\n$1\r\nf\r\n$5\r\n1e+20\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "0", "match", "[ab]"}),
      "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "0", "match", "*"}),
      "*2\r\n$1\r\n0\r\n*12\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$"
      "1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$"
      "18\r\n123456789012345680\r\n$1\r\nf\r\n$5\r\n1e+20\r\n");
  EXPECT_EQ(run({"zscan", "missing", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(run({"zscan", "missing", "x"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(run({"zscan", "z", "x"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(run({"zscan", "z", "0", "count", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zscan", "z", "0", "count", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"zscan", "z", "0", "match"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zscan", "z", "0", "foo", "bar"}), "-ERR syntax error\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "", "count", "1"}),
      "*2\r\n$1\r\n0\r\n*12\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$"
      "1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$"
      "18\r\n123456789012345680\r\n$1\r\nf\r\n$5\r\n1e+20\r\n");
  EXPECT_EQ(
      run({"zscan", "z", "-1"}),
      "*2\r\n$1\r\n0\r\n*12\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n1\r\n$"
      "1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$"
      "18\r\n123456789012345680\r\n$1\r\nf\r\n$5\r\n1e+20\r\n");
}

TEST(ZSetEncodingTest, FollowsRedisThresholds) {
  HandlerRunner run;
  const std::string long_member(65, 'x');  // past the compact limit
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b"}), ":2\r\n");
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nlistpack\r\n");
  EXPECT_EQ(run({"zadd", "z", "3", long_member}), ":1\r\n");
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "z"}), ":3\r\n");
  EXPECT_EQ(run({"object", "encoding", "d"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"zrem", "z", long_member}), ":1\r\n");
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "z"}), ":2\r\n");
  EXPECT_EQ(run({"object", "encoding", "d"}), "$8\r\nlistpack\r\n");
  EXPECT_EQ(run({"zrangestore", "d", "z", "0", "-1"}), ":2\r\n");
  EXPECT_EQ(run({"object", "encoding", "d"}), "$8\r\nlistpack\r\n");
  EXPECT_EQ(run({"rpush", "l", "a"}), ":1\r\n");
  EXPECT_EQ(run({"object", "encoding", "l"}), "$9\r\nquicklist\r\n");
}

TEST(ZSetEncodingTest, OnlyTheSkipListKeepsNegativeZero) {
  HandlerRunner run;
  const std::string long_member(65, 'x');  // past the compact limit
  EXPECT_EQ(run({"zadd", "big", "1", long_member}), ":1\r\n");
  EXPECT_EQ(run({"zadd", "big", "-0", "g"}), ":1\r\n");
  EXPECT_EQ(run({"zscore", "big", "g"}), "$2\r\n-0\r\n");
  EXPECT_EQ(run({"zrange", "big", "0", "-1", "withscores"}),
            "*4\r\n$1\r\ng\r\n$2\r\n-0\r\n$"
            "65\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxx\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"zincrby", "big", "-0", "h"}), "$2\r\n-0\r\n");
  EXPECT_EQ(run({"zscore", "big", "h"}), "$2\r\n-0\r\n");
  EXPECT_EQ(run({"zunionstore", "copy", "1", "big"}), ":3\r\n");
  EXPECT_EQ(run({"zscore", "copy", "g"}), "$2\r\n-0\r\n");
  EXPECT_EQ(run({"zrangestore", "small", "big", "0", "0"}), ":1\r\n");
  EXPECT_EQ(run({"zscore", "small", "g"}), "$1\r\n0\r\n");
  EXPECT_EQ(run({"zadd", "small", "-0", "k"}), ":1\r\n");
  EXPECT_EQ(run({"zscore", "small", "k"}), "$1\r\n0\r\n");
  EXPECT_EQ(run({"zincrby", "small", "-0", "k"}), "$1\r\n0\r\n");
}

TEST(ZSetLargeTest, RanksAndRangesOnASkipList) {
  HandlerRunner run;
  // 200 members, scores 7i mod 200: all distinct, not in member order.
  std::vector<std::string> zadd = {"zadd", "z"};
  for (int i = 0; i < 200; ++i) {
    zadd.push_back(std::to_string(i * 7 % 200));
    std::string member = std::to_string(1000 + i);  // m000 ... m199
    member[0] = 'm';
    zadd.push_back(member);
  }
  EXPECT_EQ(run(std::vector<std::string_view>(zadd.begin(), zadd.end())),
            ":200\r\n");
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nskiplist\r\n");
  EXPECT_EQ(run({"zcard", "z"}), ":200\r\n");
  EXPECT_EQ(run({"zrank", "z", "m000"}), ":0\r\n");
  EXPECT_EQ(run({"zrank", "z", "m199"}), ":193\r\n");
  EXPECT_EQ(run({"zrevrank", "z", "m100"}), ":99\r\n");
  EXPECT_EQ(run({"zrange", "z", "100", "104", "withscores"}),
            "*10\r\n$4\r\nm100\r\n$3\r\n100\r\n$4\r\nm043\r\n$"
            "3\r\n101\r\n$4\r\nm186\r\n$3\r\n102\r\n$4\r\nm129\r\n$"
            "3\r\n103\r\n$4\r\nm072\r\n$3\r\n104\r\n");
  EXPECT_EQ(run({"zrevrange", "z", "0", "2", "withscores"}),
            "*6\r\n$4\r\nm057\r\n$3\r\n199\r\n$4\r\nm114\r\n$"
            "3\r\n198\r\n$4\r\nm171\r\n$3\r\n197\r\n");
  EXPECT_EQ(run({"zrange", "z", "50", "(52", "byscore", "withscores"}),
            "*4\r\n$4\r\nm150\r\n$2\r\n50\r\n$4\r\nm093\r\n$2\r\n51\r\n");
  EXPECT_EQ(run({"zrangebyscore", "z", "(198", "+inf", "withscores", "limit",
                 "1", "3"}),
            "*0\r\n");
  EXPECT_EQ(run({"zcount", "z", "10", "20"}), ":11\r\n");
  EXPECT_EQ(run({"zremrangebyrank", "z", "0", "9"}), ":10\r\n");
  EXPECT_EQ(run({"zremrangebyscore", "z", "150", "160"}), ":11\r\n");
  EXPECT_EQ(run({"zcard", "z"}), ":179\r\n");
  EXPECT_EQ(run({"zrange", "z", "0", "4"}),
            "*5\r\n$4\r\nm030\r\n$4\r\nm173\r\n$4\r\nm116\r\n$"
            "4\r\nm059\r\n$4\r\nm002\r\n");
  EXPECT_EQ(run({"zpopmax", "z", "3"}),
            "*6\r\n$4\r\nm057\r\n$3\r\n199\r\n$4\r\nm114\r\n$"
            "3\r\n198\r\n$4\r\nm171\r\n$3\r\n197\r\n");
  EXPECT_EQ(run({"zpopmin", "z", "2"}),
            "*4\r\n$4\r\nm030\r\n$2\r\n10\r\n$4\r\nm173\r\n$2\r\n11\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "z", "z", "weights", "1", "2"}),
            ":174\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "2", "withscores"}),
            "*6\r\n$4\r\nm116\r\n$2\r\n36\r\n$4\r\nm059\r\n$"
            "2\r\n39\r\n$4\r\nm002\r\n$2\r\n42\r\n");
}

// Run once (as the blocking machinery and MULTI run them): the first key
// with members gives its lowest or highest, else a null array.
TEST(ZSetCommandsTest, BlockingPopsRunOnce) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "z", "1", "a", "2", "b"}), ":2\r\n");
  EXPECT_EQ(run({"bzpopmin", "missing", "z", "0"}),
            "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"bzpopmax", "z", "0"}),
            "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(run({"exists", "z"}), ":0\r\n");
  EXPECT_EQ(run({"bzpopmin", "z", "1"}), "*-1\r\n");
  EXPECT_EQ(run({"bzpopmin", "z", "x"}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"bzpopmin", "z", "-1"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(run({"bzpopmin", "s", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of "
            "value\r\n");
}

}  // namespace
}  // namespace shardd::kv
