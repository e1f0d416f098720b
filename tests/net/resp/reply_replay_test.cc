#include "net/resp/reply_replay.h"

#include <string>

#include "gtest/gtest.h"

namespace shardd::resp {
namespace {

// Nested maps, sets, arrays and every scalar Replay takes.
constexpr char kResp3[] =
    "%2\r\n$4\r\nname\r\n+ok\r\n$5\r\nflags\r\n~2\r\n:1\r\n:-7\r\n"
    "*3\r\n,1.5\r\n_\r\n$0\r\n\r\n";

TEST(ReplyReplayTest, RespThreeComesBackAsItWas) {
  std::string out;
  ReplyWriter writer(&out, Protocol::kResp3);
  ASSERT_TRUE(Replay(kResp3, writer));
  EXPECT_EQ(out, kResp3);
}

TEST(ReplyReplayTest, RespTwoGetsItsOwnTypes) {
  std::string out;
  ReplyWriter writer(&out, Protocol::kResp2);
  ASSERT_TRUE(Replay(kResp3, writer));
  EXPECT_EQ(out,
            "*4\r\n$4\r\nname\r\n+ok\r\n$5\r\nflags\r\n*2\r\n:1\r\n:-7\r\n"
            "*3\r\n$3\r\n1.5\r\n$-1\r\n$0\r\n\r\n");
}

TEST(ReplyReplayTest, StopsAtWhatIsNotAWholeReply) {
  for (const char* bad : {"$5\r\nab\r\n", "$2\r\nabcd\r\n", "*-1\r\n", "x\r\n",
                          ":\r\n", "+no end", "_x\r\n", "\r\n"}) {
    std::string out;
    ReplyWriter writer(&out, Protocol::kResp3);
    EXPECT_FALSE(Replay(bad, writer)) << bad;
  }
  std::string out;
  ReplyWriter writer(&out, Protocol::kResp3);
  EXPECT_FALSE(Replay(":1\r\n$3\r\nab", writer));
  EXPECT_EQ(out, ":1\r\n");
  std::string short_out;
  ReplyWriter short_writer(&short_out, Protocol::kResp3);
  EXPECT_FALSE(Replay("*3\r\n:1\r\n", short_writer));
  EXPECT_FALSE(Replay("%1\r\n:1\r\n", short_writer));
}

}  // namespace
}  // namespace shardd::resp
