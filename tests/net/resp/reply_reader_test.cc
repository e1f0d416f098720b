#include "net/resp/reply_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"

namespace shardd::resp {
namespace {

using Views = std::vector<std::string_view>;
using std::string_literals::operator""s;

TEST(ReplyLengthTest, MeasuresEachReplyType) {
  EXPECT_EQ(ReplyLength("+OK\r\n"), 5u);
  EXPECT_EQ(ReplyLength("-ERR no\r\n"), 9u);
  EXPECT_EQ(ReplyLength(":-42\r\n"), 6u);
  EXPECT_EQ(ReplyLength("$5\r\nhello\r\n"), 11u);
  EXPECT_EQ(ReplyLength("$0\r\n\r\n"), 6u);
  EXPECT_EQ(ReplyLength("$-1\r\n"), 5u);
  EXPECT_EQ(ReplyLength("*-1\r\n"), 5u);
  EXPECT_EQ(ReplyLength("*0\r\n"), 4u);
}

TEST(ReplyLengthTest, MeasuresResp3Types) {
  EXPECT_EQ(ReplyLength("_\r\n"), 3u);
  EXPECT_EQ(ReplyLength(",1.5\r\n"), 6u);
  EXPECT_EQ(ReplyLength(",inf\r\n"), 6u);
  EXPECT_EQ(ReplyLength("#t\r\n"), 4u);
  EXPECT_EQ(ReplyLength("(123\r\n"), 6u);
  EXPECT_EQ(ReplyLength("=8\r\ntxt:a\r\nb\r\n"), 14u);
  // A map's count is of pairs: a key and a value each.
  EXPECT_EQ(ReplyLength("%1\r\n$1\r\nk\r\n:1\r\n:9\r\n"), 15u);
  EXPECT_EQ(ReplyLength("~2\r\n:1\r\n_\r\n:9\r\n"), 11u);
  EXPECT_EQ(ReplyLength(">1\r\n%0\r\n:9\r\n"), 8u);
  // An attribute: its map, then the reply it annotates.
  EXPECT_EQ(ReplyLength("|1\r\n+a\r\n:1\r\n:2\r\n:9\r\n"), 16u);
  // Only RESP2's bulk string and array have a null form.
  for (const std::string bad :
       {"_x\r\n", "#x\r\n", "=-1\r\n", "%-1\r\n", "~-1\r\n", "%1\r\n:1\r\n"}) {
    EXPECT_EQ(ReplyLength(bad), std::nullopt) << bad;
  }
}

TEST(IsNullTest, KnowsEveryNull) {
  EXPECT_TRUE(IsNull("$-1\r\n"));
  EXPECT_TRUE(IsNull("*-1\r\n"));
  EXPECT_TRUE(IsNull("_\r\n"));
  EXPECT_FALSE(IsNull("$0\r\n\r\n"));
  EXPECT_FALSE(IsNull("*0\r\n"));
  EXPECT_FALSE(IsNull(":0\r\n"));
}

TEST(ReplyLengthTest, MeasuresOnlyTheFirstReply) {
  EXPECT_EQ(ReplyLength(":1\r\n:2\r\n"), 4u);
  EXPECT_EQ(ReplyLength("*1\r\n:1\r\n:2\r\n"), 8u);
}

TEST(ReplyLengthTest, JumpsOverBinaryBulkPayload) {
  const std::string reply = "$6\r\n\r\n\0*1\r\r\n"s;
  EXPECT_EQ(ReplyLength(reply), 12u);
}

TEST(ReplyLengthTest, MeasuresNestedArrays) {
  const std::string reply = "*3\r\n*2\r\n:1\r\n$1\r\na\r\n*0\r\n*1\r\n*-1\r\n";
  EXPECT_EQ(ReplyLength(reply + ":9\r\n"), reply.size());
}

TEST(ReplyLengthTest, HandlesDeepNestingWithoutRecursion) {
  std::string reply;
  for (int i = 0; i < 100000; ++i) reply += "*1\r\n";
  reply += ":1\r\n";
  EXPECT_EQ(ReplyLength(reply), reply.size());
}

TEST(ReplyLengthTest, RejectsIncompleteReplies) {
  const std::string reply = "*2\r\n$5\r\nhello\r\n*1\r\n+OK\r\n";
  for (size_t n = 0; n < reply.size(); ++n) {
    EXPECT_EQ(ReplyLength(reply.substr(0, n)), std::nullopt) << n;
  }
  EXPECT_EQ(ReplyLength(reply), reply.size());
}

TEST(ReplyLengthTest, RejectsMalformedReplies) {
  for (const std::string bad :
       {"", "?x\r\n", "+OK", ":abc\r\n", ":01\r\n", "$-2\r\n", "$3\r\nabcde",
        "$x\r\n", "*-2\r\n", "*x\r\n", "*9999999999\r\n:1\r\n"}) {
    EXPECT_EQ(ReplyLength(bad), std::nullopt) << bad;
  }
}

TEST(IntegerValueTest, ReadsIntegerReplies) {
  EXPECT_EQ(IntegerValue(":42\r\n"), 42);
  EXPECT_EQ(IntegerValue(":0\r\n"), 0);
  EXPECT_EQ(IntegerValue(":-9223372036854775808\r\n"), INT64_MIN);
  EXPECT_EQ(IntegerValue(":9223372036854775807\r\n"), INT64_MAX);
}

TEST(IntegerValueTest, RejectsOtherReplies) {
  for (const std::string other : {"+42\r\n", "$2\r\n42\r\n", ":42", ":\r\n",
                                  ":4 2\r\n", ":9223372036854775808\r\n", ""}) {
    EXPECT_EQ(IntegerValue(other), std::nullopt) << other;
  }
}

TEST(SplitArrayTest, AppendsEachElementEncoding) {
  std::string encoded;
  ReplyWriter reply(&encoded);
  reply.ArrayHeader(4);
  reply.Bulk("a\r\nb");
  reply.NullBulk();
  reply.ArrayHeader(1);
  reply.Integer(7);
  reply.Error("ERR x");
  Views elements = {"kept"};
  ASSERT_TRUE(SplitArray(encoded, &elements));
  EXPECT_EQ(elements, (Views{"kept", "$4\r\na\r\nb\r\n", "$-1\r\n",
                             "*1\r\n:7\r\n", "-ERR x\r\n"}));
}

TEST(SplitArrayTest, EmptyArrayHasNoElements) {
  Views elements;
  EXPECT_TRUE(SplitArray("*0\r\n", &elements));
  EXPECT_TRUE(elements.empty());
}

TEST(SplitArrayTest, RejectsNonArraysAndLeavesElementsAlone) {
  for (const std::string other : {"*-1\r\n", ":1\r\n", "$1\r\n*\r\n",
                                  "*2\r\n:1\r\n", "*2\r\n:1\r\n:x\r\n", ""}) {
    Views elements = {"kept"};
    EXPECT_FALSE(SplitArray(other, &elements)) << other;
    EXPECT_EQ(elements, Views{"kept"}) << other;
  }
}

}  // namespace
}  // namespace shardd::resp
