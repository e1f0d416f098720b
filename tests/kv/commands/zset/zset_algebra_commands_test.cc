// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD
// (zset_algebra_commands.cc). Every expected reply is what redis-server 7.0
// replied to the same commands.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(ZStoreTest, UnionWithWeightsAndAggregates) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "a", "1", "x", "2", "y"}), ":2\r\n");
  EXPECT_EQ(run({"zadd", "b", "10", "y", "20", "z"}), ":2\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b"}), ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$"
            "2\r\n20\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b", "weights", "2", "0.5"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n9\r\n$1\r\nz\r\n$"
            "2\r\n10\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b", "aggregate", "min"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$"
            "2\r\n20\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b", "aggregate", "max",
                 "weights", "1", "-1"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nz\r\n$3\r\n-20\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$"
            "1\r\n2\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "3", "a", "missing", "b"}), ":3\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
}

TEST(ZStoreTest, InterWithWeightsAndAggregates) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "a", "1", "x", "2", "y", "3", "w"}), ":3\r\n");
  EXPECT_EQ(run({"zadd", "b", "10", "y", "20", "z", "30", "w"}), ":3\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "b"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nw\r\n$2\r\n33\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "b", "weights", "2", "3",
                 "aggregate", "max"}),
            ":2\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*4\r\n$1\r\ny\r\n$2\r\n30\r\n$1\r\nw\r\n$2\r\n90\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "b", "aggregate", "MIN"}),
            ":2\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*4\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nw\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "a"}), ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nw\r\n$"
            "1\r\n6\r\n");
}

TEST(ZStoreTest, InfinitiesAndNaN) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "a", "inf", "x", "-inf", "y", "1", "z"}), ":3\r\n");
  EXPECT_EQ(run({"zadd", "b", "-inf", "x", "0", "y", "2", "z"}), ":3\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b"}), ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\ny\r\n$4\r\n-inf\r\n$1\r\nx\r\n$1\r\n0\r\n$1\r\nz\r\n$"
            "1\r\n3\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "b", "weights", "0", "1"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nx\r\n$4\r\n-inf\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$"
            "1\r\n2\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "a", "b", "aggregate", "max",
                 "weights", "1", "0"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*6\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\nx\r\n$"
            "3\r\ninf\r\n");
}

TEST(ZStoreTest, SetSourcesScoreOne) {
  HandlerRunner run;
  EXPECT_EQ(run({"sadd", "s", "x", "y"}), ":2\r\n");
  EXPECT_EQ(run({"zadd", "z", "5", "y"}), ":1\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "s", "z"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*4\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n6\r\n");
  EXPECT_EQ(run({"zinterstore", "d", "2", "s", "z", "weights", "3", "1"}),
            ":1\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1", "withscores"}),
            "*2\r\n$1\r\ny\r\n$1\r\n8\r\n");
}

TEST(ZStoreTest, RejectsBadArguments) {
  HandlerRunner run;
  EXPECT_EQ(
      run({"zunionstore", "d", "0", "a"}),
      "-ERR at least 1 input key is needed for 'zunionstore' command\r\n");
  EXPECT_EQ(
      run({"zinterstore", "d", "-1", "a"}),
      "-ERR at least 1 input key is needed for 'zinterstore' command\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "x", "a"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "3", "a", "b"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "weights"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "weights", "x"}),
            "-ERR weight value is not a float\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "weights", "nan"}),
            "-ERR weight value is not a float\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "2", "a", "b", "weights", "1"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "aggregate"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "aggregate", "avg"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "withscores"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunionstore", "d", "1", "a", "foo"}),
            "-ERR syntax error\r\n");
}

// The forms that reply: in score order, with scores when asked; a plain
// set's members score 1; ZDIFF takes no WEIGHTS.
TEST(ZAlgebraTest, UnionInterDiffReply) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "za", "1", "a", "2", "b", "3", "c"}), ":3\r\n");
  EXPECT_EQ(run({"zadd", "zb", "2", "b", "5", "d"}), ":2\r\n");
  EXPECT_EQ(run({"sadd", "sa", "a", "b", "z"}), ":3\r\n");
  EXPECT_EQ(run({"zunion", "2", "za", "zb", "withscores"}),
            "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n"
            "$1\r\nb\r\n$1\r\n4\r\n$1\r\nd\r\n$1\r\n5\r\n");
  EXPECT_EQ(run({"zinter", "2", "za", "zb", "withscores", "weights", "2", "3",
                 "aggregate", "max"}),
            "*2\r\n$1\r\nb\r\n$1\r\n6\r\n");
  EXPECT_EQ(run({"zdiff", "2", "za", "zb", "withscores"}),
            "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(run({"zdiff", "2", "sa", "za", "withscores"}),
            "*2\r\n$1\r\nz\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"zdiff", "2", "za", "zb", "weights", "1", "1"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zunion", "0", "za"}),
            "-ERR at least 1 input key is needed for 'zunion' command\r\n");
  EXPECT_EQ(run({"zunion", "3", "za", "zb"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zinter", "2", "za", "nosuch"}), "*0\r\n");
  EXPECT_EQ(run({"zdiffstore", "d", "2", "za", "zb"}), ":2\r\n");
  EXPECT_EQ(run({"zrange", "d", "0", "-1"}), "*2\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"zdiffstore", "d", "1", "nosuch"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "d"}), ":0\r\n");
}

TEST(ZAlgebraTest, InterCardCountsUpToItsLimit) {
  HandlerRunner run;
  EXPECT_EQ(run({"zadd", "za", "1", "a", "2", "b", "3", "c"}), ":3\r\n");
  EXPECT_EQ(run({"sadd", "sa", "a", "b", "z"}), ":3\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa"}), ":2\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa", "limit", "1"}), ":1\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa", "limit", "0"}), ":2\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa", "limit", "-1"}),
            "-ERR LIMIT can't be negative\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa", "limit", "x"}),
            "-ERR LIMIT can't be negative\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "sa", "withscores"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"zintercard", "0", "za"}),
            "-ERR at least 1 input key is needed for 'zintercard' command\r\n");
  EXPECT_EQ(run({"set", "str", "x"}), "+OK\r\n");
  EXPECT_EQ(run({"zintercard", "2", "za", "str"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of "
            "value\r\n");
}

}  // namespace
}  // namespace shardd::kv
