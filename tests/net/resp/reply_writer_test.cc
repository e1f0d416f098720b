#include "net/resp/reply_writer.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace shardd::resp {
namespace {

using std::string_literals::operator""s;

TEST(ReplyWriterTest, WritesEachReplyType) {
  std::string out;
  ReplyWriter reply(&out);
  reply.Ok();
  reply.SimpleString("PONG");
  reply.Error("ERR syntax error");
  reply.Integer(42);
  reply.Bulk("value");
  reply.NullBulk();
  reply.ArrayHeader(2);
  reply.NullArray();
  EXPECT_EQ(out,
            "+OK\r\n+PONG\r\n-ERR syntax error\r\n:42\r\n$5\r\nvalue\r\n"
            "$-1\r\n*2\r\n*-1\r\n");
}

// What a handler names, as Redis 7.0 sends it to a RESP2 and to a RESP3
// client.
TEST(ReplyWriterTest, Resp3TypesFallBackToResp2) {
  auto write = [](Protocol protocol) {
    std::string out;
    ReplyWriter reply(&out, protocol);
    reply.MapHeader(1);
    reply.Bulk("k");
    reply.SetHeader(2);
    reply.PushHeader(1);
    reply.Double("1.5");
    reply.Double("inf");
    reply.NullBulk();
    reply.NullArray();
    reply.Verbatim("a:1\r\n");
    return out;
  };
  EXPECT_EQ(write(Protocol::kResp2),
            "*2\r\n$1\r\nk\r\n*2\r\n*1\r\n$3\r\n1.5\r\n$3\r\ninf\r\n"
            "$-1\r\n*-1\r\n$5\r\na:1\r\n\r\n");
  EXPECT_EQ(write(Protocol::kResp3),
            "%1\r\n$1\r\nk\r\n~2\r\n>1\r\n,1.5\r\n,inf\r\n_\r\n_\r\n"
            "=9\r\ntxt:a:1\r\n\r\n");
}

TEST(ReplyWriterTest, StartsInResp2) {
  std::string out;
  ReplyWriter reply(&out);
  EXPECT_FALSE(reply.resp3());
  EXPECT_EQ(reply.protocol(), Protocol::kResp2);
}

TEST(ReplyWriterTest, AppendsToExistingBuffer) {
  std::string out = "previous";
  ReplyWriter reply(&out);
  reply.Integer(1);
  EXPECT_EQ(out, "previous:1\r\n");
  EXPECT_EQ(reply.buffer(), &out);
}

TEST(ReplyWriterTest, WritesIntegerExtremes) {
  std::string out;
  ReplyWriter reply(&out);
  reply.Integer(0);
  reply.Integer(-1);
  reply.Integer(INT64_MAX);
  reply.Integer(INT64_MIN);
  EXPECT_EQ(out,
            ":0\r\n:-1\r\n:9223372036854775807\r\n"
            ":-9223372036854775808\r\n");
}

TEST(ReplyWriterTest, BulkIsBinarySafe) {
  std::string out;
  ReplyWriter reply(&out);
  reply.Bulk("a\r\n\0b"s);
  reply.Bulk("");
  EXPECT_EQ(out, "$5\r\na\r\n\0b\r\n$0\r\n\r\n"s);
}

TEST(ReplyWriterTest, ArrayHeaderCountsElementsThatFollow) {
  std::string out;
  ReplyWriter reply(&out);
  reply.ArrayHeader(0);
  reply.ArrayHeader(1234567);
  EXPECT_EQ(out, "*0\r\n*1234567\r\n");
}

}  // namespace
}  // namespace shardd::resp
