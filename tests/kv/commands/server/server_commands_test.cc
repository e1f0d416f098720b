// DBSIZE and FLUSHALL. Expected bytes are what redis-server 7.0
// replies.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(DbSizeTest, CountsKeys) {
  HandlerRunner run;
  EXPECT_EQ(run({"dbsize"}), ":0\r\n");
  run({"mset", "a", "1", "b", "2"});
  EXPECT_EQ(run({"dbsize"}), ":2\r\n");
  EXPECT_EQ(run({"dbsize", "x"}),
            "-ERR wrong number of arguments for 'dbsize' command\r\n");
}

TEST(FlushAllTest, EmptiesTheStore) {
  HandlerRunner run;
  run({"mset", "a", "1", "b", "2"});
  run({"expire", "a", "100"});
  EXPECT_EQ(run({"flushall"}), "+OK\r\n");
  EXPECT_EQ(run({"dbsize"}), ":0\r\n");
  EXPECT_EQ(run.store.ExpiringKeyCount(), 0u);
}

TEST(FlushAllTest, AcceptsSyncOrAsync) {
  HandlerRunner run;
  run({"set", "a", "1"});
  EXPECT_EQ(run({"flushall", "SYNC"}), "+OK\r\n");
  run({"set", "a", "1"});
  EXPECT_EQ(run({"FLUSHALL", "async"}), "+OK\r\n");
  EXPECT_EQ(run({"dbsize"}), ":0\r\n");
}

TEST(FlushAllTest, OtherArgumentsAreSyntaxErrors) {
  HandlerRunner run;
  run({"set", "a", "1"});
  EXPECT_EQ(run({"flushall", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"flushall", "sync", "async"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"dbsize"}), ":1\r\n");
}

}  // namespace
}  // namespace shardd::kv
