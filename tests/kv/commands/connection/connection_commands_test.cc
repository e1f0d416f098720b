// PING and ECHO (store handlers), QUIT, SELECT and HELLO (session handlers).
// Expected bytes are what redis-server 7.0 replies with its 16 databases.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"
#include "tests/kv/session_runner.h"

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

TEST(QuitTest, RepliesOkAndCloses) {
  SessionRunner run;
  EXPECT_EQ(run({"select", "0"}), "+OK\r\n");
  EXPECT_FALSE(run.closed);
  EXPECT_EQ(run({"quit"}), "+OK\r\n");
  EXPECT_TRUE(run.closed);
  EXPECT_EQ(run({"QUIT", "extra"}), "+OK\r\n");
  EXPECT_TRUE(run.closed);
}

TEST(SelectTest, DatabasesInRange) {
  SessionRunner run;  // 16 databases
  EXPECT_EQ(run({"select", "0"}), "+OK\r\n");
  EXPECT_EQ(run({"SELECT", "15"}), "+OK\r\n");
  EXPECT_EQ(run({"SELECT", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"select", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"select", "2147483648"}),
            "-ERR value is out of range, value must between -2147483648 and "
            "2147483647\r\n");
  EXPECT_EQ(run({"select", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"select"}),
            "-ERR wrong number of arguments for 'select' command\r\n");
  EXPECT_EQ(run({"select", "0", "1"}),
            "-ERR wrong number of arguments for 'select' command\r\n");
  EXPECT_FALSE(run.closed);
}

// HELLO's reply to a client whose id is 42.
constexpr std::string_view kHelloReply =
    "*14\r\n"
    "$6\r\nserver\r\n$5\r\nredis\r\n"
    "$7\r\nversion\r\n$5\r\n7.0.0\r\n"
    "$5\r\nproto\r\n:2\r\n"
    "$2\r\nid\r\n:42\r\n"
    "$4\r\nmode\r\n$10\r\nstandalone\r\n"
    "$4\r\nrole\r\n$6\r\nmaster\r\n"
    "$7\r\nmodules\r\n*0\r\n";

TEST(HelloTest, DescribesTheServerAndTheClient) {
  SessionRunner run;
  run.client_id = 42;
  EXPECT_EQ(run({"hello"}), kHelloReply);
  EXPECT_EQ(run({"HELLO", "2"}), kHelloReply);
  // No password is set: the default user takes any.
  EXPECT_EQ(run({"hello", "2", "AUTH", "default", "p", "SETNAME", "n"}),
            kHelloReply);
  EXPECT_EQ(run({"hello", "2", "setname", "n", "auth", "default", "p"}),
            kHelloReply);
  EXPECT_EQ(
      run({"hello", "2", "AUTH", "u", "p"}),
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  run.client_id = 7;
  EXPECT_NE(run({"hello"}).find("$2\r\nid\r\n:7\r\n"), std::string::npos);
  EXPECT_FALSE(run.closed);
}

// HELLO 3's reply: a map, in the protocol it switches to.
constexpr std::string_view kHello3Reply =
    "%7\r\n"
    "$6\r\nserver\r\n$5\r\nredis\r\n"
    "$7\r\nversion\r\n$5\r\n7.0.0\r\n"
    "$5\r\nproto\r\n:3\r\n"
    "$2\r\nid\r\n:42\r\n"
    "$4\r\nmode\r\n$10\r\nstandalone\r\n"
    "$4\r\nrole\r\n$6\r\nmaster\r\n"
    "$7\r\nmodules\r\n*0\r\n";

TEST(HelloTest, SwitchesBetweenProtocolsTwoAndThree) {
  SessionRunner run;
  run.client_id = 42;
  EXPECT_EQ(run({"hello", "3"}), kHello3Reply);
  EXPECT_EQ(run.protocol, resp::Protocol::kResp3);
  // Without a version HELLO keeps the protocol; a refused one changes nothing.
  EXPECT_EQ(run({"hello"}), kHello3Reply);
  EXPECT_EQ(run({"hello", "1"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(run({"hello", "2", "AUTH", "u", "p"}).substr(0, 10), "-WRONGPASS");
  EXPECT_EQ(run.protocol, resp::Protocol::kResp3);
  EXPECT_EQ(run({"hello", "2"}), kHelloReply);
  EXPECT_EQ(run.protocol, resp::Protocol::kResp2);
  EXPECT_EQ(run({"hello", "4"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(run({"hello", "x"}),
            "-ERR Protocol version is not an integer or out of range\r\n");
  EXPECT_EQ(run.protocol, resp::Protocol::kResp2);
}

TEST(HelloTest, RejectsBadOptions) {
  SessionRunner run;
  EXPECT_EQ(run({"hello", "2", "FOO"}),
            "-ERR Syntax error in HELLO option 'FOO'\r\n");
  // AUTH needs a user and a password, SETNAME a name.
  EXPECT_EQ(run({"hello", "2", "AUTH", "u"}),
            "-ERR Syntax error in HELLO option 'AUTH'\r\n");
  EXPECT_EQ(run({"hello", "2", "SETNAME"}),
            "-ERR Syntax error in HELLO option 'SETNAME'\r\n");
  EXPECT_EQ(run({"hello", "2", "SETNAME", "n", "x\r\ny"}),
            "-ERR Syntax error in HELLO option 'x  y'\r\n");
}

}  // namespace
}  // namespace shardd::kv
