#include "shard/kv/persist/records.h"

#include <string>

#include "gtest/gtest.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/store.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

TEST(RecordsTest, CommandIsARespArrayOfBulkStrings) {
  std::string out;
  const std::string_view args[] = {"SET", "k", std::string_view("a\0b", 3)};
  AppendCommand(&out, args);
  std::string expected = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na";
  expected += '\0';
  expected += "b\r\n";
  EXPECT_EQ(out, expected);
}

TEST(RecordsTest, StringEntryWithExpiry) {
  Store store;
  store.SetString("k", "v", 1234);
  std::string out;
  AppendEntry(&out, "k", *store.Find("k", 0));
  EXPECT_EQ(out,
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
            "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$4\r\n1234\r\n");
}

TEST(RecordsTest, AggregatesGoInCommandsOfSixtyFourElements) {
  Store store;
  Entry& list = store.Create("l", ValueType::kList);
  for (int i = 0; i < 130; ++i) list.list().PushBack(std::to_string(i));
  std::string out;
  AppendEntry(&out, "l", list);
  // 64 + 64 + 2 elements, in order.
  EXPECT_EQ(out.find("*66\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\n0\r\n"), 0u);
  EXPECT_NE(out.find("$2\r\n63\r\n*66\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$2\r\n64"
                     "\r\n"),
            std::string::npos);
  EXPECT_NE(out.find("*4\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$3\r\n128\r\n$3\r\n129"
                     "\r\n"),
            std::string::npos);
}

TEST(RecordsTest, ZsetScoresReadBackExactly) {
  Store store;
  Entry& zset = store.Create("z", ValueType::kZSet);
  zset.zset().Put("a", 0.1);
  zset.zset().Put("b", -2.5);
  std::string out;
  AppendEntry(&out, "z", zset);
  EXPECT_NE(out.find("$4\r\n-2.5\r\n$1\r\nb\r\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("$19\r\n0.10000000000000001\r\n$1\r\na\r\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(std::stod("0.10000000000000001"), 0.1);
}

TEST(RecordsTest, TransactionMarks) {
  std::string out;
  AppendTxBegin(&out, "id.0.7", 2, 0);
  AppendTxEnd(&out);
  EXPECT_EQ(out, "#TX id.0.7 2\r\n*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nEXEC\r\n");
  out.clear();
  AppendTxBegin(&out, "id.0.7", 2, 3);
  EXPECT_EQ(out.substr(0, 16), "#TX id.0.7 2 3\r\n");

  TxMark mark;
  ASSERT_TRUE(ParseTxMark("#TX id.0.7 2 3", &mark));
  EXPECT_EQ(mark.id, "id.0.7");
  EXPECT_EQ(mark.index, 2u);
  EXPECT_EQ(mark.total, 3u);
  ASSERT_TRUE(ParseTxMark("#TX x 0", &mark));
  EXPECT_EQ(mark.total, 0u);
  for (const char* bad : {"#TX", "#TX x", "#TX x y", "#TX x 3 3", "#TX x 0 0",
                          "#TS:123", "#TX x 1 2 3"}) {
    EXPECT_FALSE(ParseTxMark(bad, &mark)) << bad;
  }
}

}  // namespace
}  // namespace shardd::kv
