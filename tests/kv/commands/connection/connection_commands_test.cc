// PING and ECHO. Expected bytes are what redis-server 7.0 replies.
#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

TEST(PingTest, PongOrEcho) {
  HandlerRunner run;
  EXPECT_EQ(run({"ping"}), "+PONG\r\n");
  EXPECT_EQ(run({"PING", "hi"}), "$2\r\nhi\r\n");
  EXPECT_EQ(run({"ping", ""}), "$0\r\n\r\n");
  EXPECT_EQ(run({"ping", "a", "b"}),
            "-ERR wrong number of arguments for 'ping' command\r\n");
}

TEST(EchoTest, RepliesItsArgument) {
  HandlerRunner run;
  EXPECT_EQ(run({"echo", "hi"}), "$2\r\nhi\r\n");
  EXPECT_EQ(run({"echo", ""}), "$0\r\n\r\n");
  EXPECT_EQ(run({"echo", "a\r\nb"}), "$4\r\na\r\nb\r\n");
  EXPECT_EQ(run({"echo"}),
            "-ERR wrong number of arguments for 'echo' command\r\n");
  EXPECT_EQ(run({"echo", "a", "b"}),
            "-ERR wrong number of arguments for 'echo' command\r\n");
}

}  // namespace
}  // namespace shardd::kv
