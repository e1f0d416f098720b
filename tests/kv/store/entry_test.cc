#include "shard/kv/store/entry.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

TEST(EntryTest, StartsAsAnEmptyString) {
  Entry entry;
  EXPECT_EQ(entry.type(), ValueType::kString);
  EXPECT_EQ(entry.string(), "");
  EXPECT_EQ(entry.expire_at_ms(), 0);
}

TEST(EntryTest, AssignStringReplacesBytesOfAnySize) {
  Entry entry;
  entry.AssignString("hello");
  EXPECT_EQ(entry.string(), "hello");
  entry.AssignString(std::string(1000, 'x'));
  EXPECT_EQ(entry.string(), std::string(1000, 'x'));
  entry.AssignString("");
  EXPECT_EQ(entry.string(), "");
  entry.AssignString(std::string_view("a\0b", 3));
  EXPECT_EQ(entry.string(), std::string_view("a\0b", 3));
}

TEST(EntryTest, ResizeStringKeepsThePrefixAndZeroFillsGrowth) {
  Entry entry;
  entry.AssignString("abc");
  char* bytes = entry.ResizeString(6);
  EXPECT_EQ(entry.string(), std::string_view("abc\0\0\0", 6));
  bytes[5] = 'z';
  EXPECT_EQ(entry.string(), std::string_view("abc\0\0z", 6));
  entry.ResizeString(2);
  EXPECT_EQ(entry.string(), "ab");
  entry.ResizeString(0);
  EXPECT_EQ(entry.string(), "");
}

// Up to 8 bytes live inside the Entry, longer strings in a heap block; the
// bytes must survive every crossing of that line, both ways.
TEST(EntryTest, ResizeAcrossTheInlineLimitKeepsTheBytes) {
  Entry entry;
  entry.AssignString("12345678");
  EXPECT_EQ(entry.string(), "12345678");
  char* bytes = entry.ResizeString(12);
  bytes[8] = '9';
  EXPECT_EQ(entry.string(), std::string_view("123456789\0\0\0", 12));
  entry.ResizeString(5);
  EXPECT_EQ(entry.string(), "12345");
  entry.AssignString("a longer string");
  entry.AssignString("short");
  EXPECT_EQ(entry.string(), "short");
  Entry moved(std::move(entry));
  EXPECT_EQ(moved.string(), "short");
  moved.AssignString("a longer string");
  Entry target;
  target = std::move(moved);
  EXPECT_EQ(target.string(), "a longer string");
}

// A value may be assigned from a view of the entry's own bytes.
TEST(EntryTest, AssignStringFromItsOwnBytes) {
  Entry entry;
  entry.AssignString("a string longer than eight bytes");
  entry.AssignString(entry.string().substr(2));
  EXPECT_EQ(entry.string(), "string longer than eight bytes");
  entry.AssignString(entry.string().substr(0, 6));
  EXPECT_EQ(entry.string(), "string");
  entry.AssignString(entry.string().substr(1));
  EXPECT_EQ(entry.string(), "tring");
  entry.AssignString(entry.string());
  EXPECT_EQ(entry.string(), "tring");
}

TEST(EntryTest, ManySmallAppendsBuildTheWholeString) {
  Entry entry;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    const size_t old_size = entry.string().size();
    char* bytes = entry.ResizeString(old_size + piece.size());
    std::copy(piece.begin(), piece.end(), bytes + old_size);
    expected += piece;
  }
  EXPECT_EQ(entry.string(), expected);
}

TEST(EntryTest, MoveLeavesTheSourceAnEmptyString) {
  Entry source;
  source.AssignString("value");
  Entry moved(std::move(source));
  EXPECT_EQ(moved.string(), "value");
  // A moved-from Entry is specified: an empty string.
  EXPECT_EQ(source.type(), ValueType::kString);
  EXPECT_EQ(source.string(), "");

  Entry target;
  target.AssignString("old");
  target = std::move(moved);
  EXPECT_EQ(target.string(), "value");
}

TEST(EntryTest, CloneIsDeepAndEqual) {
  Entry entry;
  entry.AssignString("text");
  Entry copy = entry.Clone();
  EXPECT_TRUE(copy == entry);
  copy.AssignString("other");
  EXPECT_EQ(entry.string(), "text");
  EXPECT_FALSE(copy == entry);
}

}  // namespace
}  // namespace shardd::kv
