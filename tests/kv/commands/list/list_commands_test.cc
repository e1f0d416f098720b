// The list commands, including the try-once blocking pops. Every expected
// reply is what redis-server 7.0 replied to the same commands.
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(ListPushTest, PushesAtBothEndsAndReportsLength) {
  HandlerRunner run;
  EXPECT_EQ(run({"lpush", "l", "a", "b"}), ":2\r\n");
  EXPECT_EQ(run({"rpush", "l", "c"}), ":3\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"llen", "l"}), ":3\r\n");
  EXPECT_EQ(run({"llen", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"lpush"}),
            "-ERR wrong number of arguments for 'lpush' command\r\n");
  EXPECT_EQ(run({"rpush", "l"}),
            "-ERR wrong number of arguments for 'rpush' command\r\n");
}

TEST(ListPushTest, PushXOnlyOnExistingLists) {
  HandlerRunner run;
  EXPECT_EQ(run({"lpushx", "l", "a"}), ":0\r\n");
  EXPECT_EQ(run({"rpushx", "l", "a"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "l"}), ":0\r\n");
  EXPECT_EQ(run({"rpush", "l", "b"}), ":1\r\n");
  EXPECT_EQ(run({"lpushx", "l", "a"}), ":2\r\n");
  EXPECT_EQ(run({"rpushx", "l", "c", "d"}), ":4\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
}

TEST(ListPopTest, PopsOneOrCount) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(run({"lpop", "l"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"rpop", "l"}), "$1\r\ne\r\n");
  EXPECT_EQ(run({"lpop", "l", "2"}), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"rpop", "l", "0"}), "*0\r\n");
  EXPECT_EQ(run({"rpop", "l", "5"}), "*1\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"exists", "l"}), ":0\r\n");
  EXPECT_EQ(run({"lpop", "l"}), "$-1\r\n");
  EXPECT_EQ(run({"lpop", "l", "1"}), "*-1\r\n");
  EXPECT_EQ(run({"rpop", "l", "0"}), "*-1\r\n");
}

TEST(ListPopTest, RejectsBadCountsAndExtraArguments) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a"}), ":1\r\n");
  EXPECT_EQ(run({"lpop", "l", "-1"}),
            "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(run({"lpop", "l", "x"}),
            "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(run({"rpop", "l", "1.5"}),
            "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(run({"lpop", "l", "1", "2"}),
            "-ERR wrong number of arguments for 'lpop' command\r\n");
  EXPECT_EQ(run({"rpop", "l", "1", "2"}),
            "-ERR wrong number of arguments for 'rpop' command\r\n");
  EXPECT_EQ(run({"lpop", "missing", "x"}),
            "-ERR value is out of range, must be positive\r\n");
}

TEST(ListRangeTest, ClampsIndexesLikeRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"lrange", "l", "-3", "-2"}), "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"lrange", "l", "-100", "1"}), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"lrange", "l", "3", "100"}), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"lrange", "l", "4", "2"}), "*0\r\n");
  EXPECT_EQ(run({"lrange", "l", "5", "10"}), "*0\r\n");
  EXPECT_EQ(run({"lrange", "l", "-1", "-1"}), "*1\r\n$1\r\ne\r\n");
  EXPECT_EQ(run({"lrange", "missing", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(run({"lrange", "l", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lrange", "missing", "0", "y"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(ListIndexTest, ReadsAndWritesByIndex) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(run({"lindex", "l", "0"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"lindex", "l", "-1"}), "$1\r\nc\r\n");
  EXPECT_EQ(run({"lindex", "l", "3"}), "$-1\r\n");
  EXPECT_EQ(run({"lindex", "l", "-4"}), "$-1\r\n");
  EXPECT_EQ(run({"lindex", "missing", "0"}), "$-1\r\n");
  EXPECT_EQ(run({"lindex", "missing", "x"}), "$-1\r\n");
  EXPECT_EQ(run({"lindex", "l", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lset", "l", "1", "B"}), "+OK\r\n");
  EXPECT_EQ(run({"lset", "l", "-1", "C"}), "+OK\r\n");
  EXPECT_EQ(run({"lset", "l", "3", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(run({"lset", "l", "-4", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(run({"lset", "l", "x", "y"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lset", "missing", "0", "x"}), "-ERR no such key\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nC\r\n");
}

TEST(ListInsertTest, InsertsAroundTheFirstPivot) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "a"}), ":3\r\n");
  EXPECT_EQ(run({"linsert", "l", "before", "a", "x"}), ":4\r\n");
  EXPECT_EQ(run({"linsert", "l", "AFTER", "a", "y"}), ":5\r\n");
  EXPECT_EQ(run({"linsert", "l", "after", "zz", "y"}), ":-1\r\n");
  EXPECT_EQ(run({"linsert", "l", "middle", "a", "y"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"linsert", "missing", "before", "a", "x"}), ":0\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*5\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\ny\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"exists", "missing"}), ":0\r\n");
}

TEST(ListRemTest, RemovesFromHeadTailOrAll) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "a", "c", "a", "b", "a"}), ":7\r\n");
  EXPECT_EQ(run({"lrem", "l", "2", "a"}), ":2\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"lrem", "l", "-1", "b"}), ":1\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"lrem", "l", "0", "a"}), ":2\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"lrem", "l", "0", "zz"}), ":0\r\n");
  EXPECT_EQ(run({"lrem", "l", "x", "a"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lrem", "missing", "1", "a"}), ":0\r\n");
  EXPECT_EQ(run({"lrem", "l", "0", "b"}), ":1\r\n");
  EXPECT_EQ(run({"lrem", "l", "0", "c"}), ":1\r\n");
  EXPECT_EQ(run({"exists", "l"}), ":0\r\n");
}

TEST(ListTrimTest, KeepsTheRangeAndDeletesEmptyLists) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(run({"ltrim", "l", "1", "-2"}), "+OK\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"ltrim", "l", "-100", "100"}), "+OK\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"ltrim", "missing", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(run({"ltrim", "l", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"ltrim", "l", "2", "1"}), "+OK\r\n");
  EXPECT_EQ(run({"exists", "l"}), ":0\r\n");
}

TEST(ListPosTest, FindsMatchesWithRankCountAndMaxlen) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c", "a", "b", "c", "a"}), ":7\r\n");
  EXPECT_EQ(run({"lpos", "l", "a"}), ":0\r\n");
  EXPECT_EQ(run({"lpos", "l", "c"}), ":2\r\n");
  EXPECT_EQ(run({"lpos", "l", "zz"}), "$-1\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "2"}), ":3\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "-1"}), ":6\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "-2"}), ":3\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "4"}), "$-1\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "count", "0"}), "*3\r\n:0\r\n:3\r\n:6\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "count", "2"}), "*2\r\n:0\r\n:3\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "-1", "count", "0"}),
            "*3\r\n:6\r\n:3\r\n:0\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "2", "count", "5"}),
            "*2\r\n:3\r\n:6\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "maxlen", "3"}), ":0\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "maxlen", "3", "count", "0"}),
            "*1\r\n:0\r\n");
  EXPECT_EQ(run({"lpos", "l", "c", "rank", "-1", "maxlen", "2"}), ":5\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "RANK", "1", "COUNT", "1", "MAXLEN", "0"}),
            "*1\r\n:0\r\n");
  EXPECT_EQ(run({"lpos", "l", "zz", "count", "0"}), "*0\r\n");
  EXPECT_EQ(run({"lpos", "missing", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"lpos", "missing", "a", "count", "1"}), "*0\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "-9223372036854775808"}), ":6\r\n");
  EXPECT_EQ(
      run({"lpos", "l", "a", "rank", "-9223372036854775808", "count", "1"}),
      "*3\r\n:6\r\n:3\r\n:0\r\n");
}

TEST(ListPosTest, RejectsBadOptions) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a"}), ":1\r\n");
  EXPECT_EQ(
      run({"lpos", "l", "a", "rank", "0"}),
      "-ERR RANK can't be zero: use 1 to start from the first match, 2 from "
      "the second ... or use negative to start from the end of the list\r\n");
  EXPECT_EQ(
      run({"lpos", "missing", "a", "rank", "0"}),
      "-ERR RANK can't be zero: use 1 to start from the first match, 2 from "
      "the second ... or use negative to start from the end of the list\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "count", "-1"}),
            "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "count", "x"}),
            "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "maxlen", "-1"}),
            "-ERR MAXLEN can't be negative\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "foo", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "count"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lpos", "l", "a", "rank", "1", "count"}),
            "-ERR syntax error\r\n");
}

TEST(ListMoveTest, MovesBetweenEnds) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "src", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "left", "right"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "RIGHT", "LEFT"}), "$1\r\nc\r\n");
  EXPECT_EQ(run({"lrange", "dst", "0", "-1"}), "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "left", "left"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"exists", "src"}), ":0\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "left", "left"}), "$-1\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "up", "left"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lmove", "src", "dst", "left", "down"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lrange", "dst", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
}

TEST(ListMoveTest, RotatesWithinOneList) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(run({"lmove", "l", "l", "left", "right"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"rpoplpush", "l", "l"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"del", "l"}), ":1\r\n");
  EXPECT_EQ(run({"rpush", "l", "only"}), ":1\r\n");
  EXPECT_EQ(run({"lmove", "l", "l", "right", "left"}), "$4\r\nonly\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}), "*1\r\n$4\r\nonly\r\n");
}

TEST(ListMoveTest, RPopLPushMovesTailToHead) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "src", "a", "b"}), ":2\r\n");
  EXPECT_EQ(run({"rpush", "dst", "x"}), ":1\r\n");
  EXPECT_EQ(run({"rpoplpush", "src", "dst"}), "$1\r\nb\r\n");
  EXPECT_EQ(run({"rpoplpush", "src", "dst"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"rpoplpush", "src", "dst"}), "$-1\r\n");
  EXPECT_EQ(run({"exists", "src"}), ":0\r\n");
  EXPECT_EQ(run({"lrange", "dst", "0", "-1"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nx\r\n");
}

TEST(ListBlockingTest, PopsAtOnceWhenThereIsData) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "b", "x", "y"}), ":2\r\n");
  EXPECT_EQ(run({"blpop", "a", "b", "0"}), "*2\r\n$1\r\nb\r\n$1\r\nx\r\n");
  EXPECT_EQ(run({"brpop", "a", "b", "0"}), "*2\r\n$1\r\nb\r\n$1\r\ny\r\n");
  EXPECT_EQ(run({"blpop", "a", "b", "1.5"}), "*-1\r\n");
  EXPECT_EQ(run({"exists", "b"}), ":0\r\n");
  EXPECT_EQ(run({"rpush", "src", "a"}), ":1\r\n");
  EXPECT_EQ(run({"blmove", "src", "dst", "left", "right", "0"}), "$1\r\na\r\n");
  EXPECT_EQ(run({"lrange", "dst", "0", "-1"}), "*1\r\n$1\r\na\r\n");
}

TEST(ListBlockingTest, RepliesNullWhenNothingIsThere) {
  HandlerRunner run;
  EXPECT_EQ(run({"blpop", "a", "b", "0.01"}), "*-1\r\n");
  EXPECT_EQ(run({"brpop", "a", "0.01"}), "*-1\r\n");
  EXPECT_EQ(run({"blmove", "a", "b", "left", "left", "0.01"}), "*-1\r\n");
}

TEST(ListBlockingTest, ValidatesTheTimeoutLikeRedis) {
  HandlerRunner run;
  EXPECT_EQ(run({"rpush", "l", "a", "b", "c", "d", "e", "f", "g", "h"}),
            ":8\r\n");
  EXPECT_EQ(run({"blpop", "l", "-1"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"blpop", "l", "abc"}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"blpop", "l", ""}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"blpop", "l", " 1"}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"blpop", "l", "nan"}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"blpop", "l", "inf"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"blpop", "l", "1e16"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"blpop", "l", "9223372036854775.9"}),
            "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"blpop", "l", "1e-5000"}),
            "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(run({"blpop", "l", "-0.0001"}), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
  EXPECT_EQ(run({"blpop", "l", "0x10"}), "*2\r\n$1\r\nl\r\n$1\r\nb\r\n");
  EXPECT_EQ(run({"blpop", "l", "1e-400"}), "*2\r\n$1\r\nl\r\n$1\r\nc\r\n");
  EXPECT_EQ(run({"blpop", "l", "0.0009"}), "*2\r\n$1\r\nl\r\n$1\r\nd\r\n");
  EXPECT_EQ(run({"blmove", "l", "x", "left", "left", "-1"}),
            "-ERR timeout is negative\r\n");
  EXPECT_EQ(run({"blmove", "l", "x", "middle", "left", "-1"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"blmove", "l", "x", "left", "left", "x"}),
            "-ERR timeout is not a float or out of range\r\n");
}

TEST(ListTypeTest, WrongTypeEverywhere) {
  HandlerRunner run;
  EXPECT_EQ(run({"set", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"lpush", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"rpushx", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lpop", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lpop", "s", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"llen", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lrange", "s", "0", "-1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lindex", "s", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lset", "s", "0", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"linsert", "s", "before", "a", "b"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lrem", "s", "0", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"ltrim", "s", "0", "1"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lpos", "s", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"rpush", "l", "a"}), ":1\r\n");
  EXPECT_EQ(
      run({"lmove", "s", "l", "left", "left"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"lmove", "l", "s", "left", "left"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"rpoplpush", "l", "s"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"blpop", "s", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"blpop", "missing", "s", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"brpop", "l", "s", "0"}), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
  EXPECT_EQ(
      run({"blmove", "s", "l", "left", "left", "0"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"lrange", "l", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(run({"get", "s"}), "$1\r\nv\r\n");
}

TEST(ListTest, ExpiredListReadsAsMissing) {
  HandlerRunner run;
  run({"rpush", "l", "a"});
  run({"pexpire", "l", "10"});
  run.now_ms += 11;
  EXPECT_EQ(run({"llen", "l"}), ":0\r\n");
  EXPECT_EQ(run({"rpushx", "l", "b"}), ":0\r\n");
  EXPECT_EQ(run({"lpush", "l", "b"}), ":1\r\n");
  EXPECT_EQ(run({"pttl", "l"}), ":-1\r\n");
}

TEST(ListTest, CommandTableMatchesRedis) {
  std::vector<size_t> keys;
  const CommandSpec* blpop = FindCommand("BLPOP");
  ASSERT_NE(blpop, nullptr);
  EXPECT_NE(blpop->flags & kBlocking, 0u);
  std::vector<std::string_view> args = {"blpop", "a", "b", "0"};
  blpop->key_finder(CommandArgs(args), &keys);
  EXPECT_EQ(keys, (std::vector<size_t>{1, 2}));
  keys.clear();
  const CommandSpec* lmove = FindCommand("lmove");
  args = {"lmove", "a", "b", "left", "right"};
  lmove->key_finder(CommandArgs(args), &keys);
  EXPECT_EQ(keys, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(lmove->merge, Merge::kCoordinated);
}

}  // namespace
}  // namespace shardd::kv
