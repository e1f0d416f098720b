// ListValue: both ends, positional edits, LREM's three directions and LTRIM.
#include "shard/kv/store/list_value.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

std::vector<std::string> Contents(const ListValue& list) {
  std::vector<std::string> all;
  for (size_t i = 0; i < list.size(); ++i) all.push_back(list[i]);
  return all;
}

ListValue Of(const std::vector<std::string>& items) {
  ListValue list;
  for (const std::string& item : items) list.PushBack(item);
  return list;
}

TEST(ListValueTest, PushesAndPopsAtBothEnds) {
  ListValue list;
  EXPECT_EQ(list.Encoding(), "quicklist");
  list.PushBack("b");
  list.PushFront("a");
  list.PushBack("c");
  EXPECT_EQ(Contents(list), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(list.PopFront(), "a");
  EXPECT_EQ(list.PopBack(), "c");
  EXPECT_EQ(list.PopBack(), "b");
  EXPECT_TRUE(list.empty());
}

TEST(ListValueTest, SetsAndInsertsByIndex) {
  ListValue list = Of({"a", "b"});
  list.Set(1, "B");
  list.Insert(0, "first");
  list.Insert(3, "last");
  list.Insert(2, "mid");
  EXPECT_EQ(Contents(list),
            (std::vector<std::string>{"first", "a", "mid", "B", "last"}));
}

TEST(ListValueTest, RemovesFromHeadTailOrEverywhere) {
  const std::vector<std::string> items = {"x", "a", "x", "b", "x", "x"};
  ListValue head = Of(items);
  EXPECT_EQ(head.Remove("x", 2), 2u);
  EXPECT_EQ(Contents(head), (std::vector<std::string>{"a", "b", "x", "x"}));
  ListValue tail = Of(items);
  EXPECT_EQ(tail.Remove("x", -3), 3u);
  EXPECT_EQ(Contents(tail), (std::vector<std::string>{"x", "a", "b"}));
  ListValue all = Of(items);
  EXPECT_EQ(all.Remove("x", 0), 4u);
  EXPECT_EQ(Contents(all), (std::vector<std::string>{"a", "b"}));
  ListValue most = Of(items);
  EXPECT_EQ(most.Remove("x", INT64_MIN), 4u);
  EXPECT_EQ(most.Remove("zz", 0), 0u);
}

TEST(ListValueTest, TrimsToARange) {
  ListValue list = Of({"a", "b", "c", "d"});
  list.Trim(1, 3);
  EXPECT_EQ(Contents(list), (std::vector<std::string>{"b", "c"}));
  list.Trim(0, 0);
  EXPECT_TRUE(list.empty());
}

TEST(ListValueTest, CopiesAreIndependent) {
  ListValue original = Of({"a", "b"});
  ListValue copy(original);
  original.PushBack("c");
  EXPECT_EQ(Contents(copy), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace shardd::kv
