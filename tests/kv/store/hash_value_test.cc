#include "shard/kv/store/hash_value.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs AllOf(const HashValue& hash) {
  Pairs pairs;
  hash.ForEach([&pairs](std::string_view field, std::string_view value) {
    pairs.emplace_back(field, value);
  });
  return pairs;
}

TEST(HashValueTest, CompactKeepsInsertionOrder) {
  HashValue hash;
  EXPECT_TRUE(hash.Set("b", "1"));
  EXPECT_TRUE(hash.Set("a", "2"));
  EXPECT_FALSE(hash.Set("b", "3"));  // an update keeps its place
  EXPECT_EQ(hash.Encoding(), "listpack");
  EXPECT_EQ(AllOf(hash), (Pairs{{"b", "3"}, {"a", "2"}}));
  EXPECT_TRUE(hash.Erase("b"));
  EXPECT_FALSE(hash.Erase("b"));
  EXPECT_TRUE(hash.Set("b", "4"));
  EXPECT_EQ(AllOf(hash), (Pairs{{"a", "2"}, {"b", "4"}}));
  ASSERT_NE(hash.Find("a"), nullptr);
  EXPECT_EQ(*hash.Find("a"), "2");
  EXPECT_EQ(hash.Find("z"), nullptr);
}

TEST(HashValueTest, ConvertsPastTheEntryLimitAndKeepsEveryEntry) {
  HashValue hash;
  for (size_t i = 0; i < HashValue::kMaxCompactEntries; ++i) {
    hash.Set(absl::StrCat("f", i), std::to_string(i));
  }
  EXPECT_EQ(hash.Encoding(), "listpack");
  hash.Set("one more", "x");
  EXPECT_EQ(hash.Encoding(), "hashtable");
  EXPECT_EQ(hash.size(), HashValue::kMaxCompactEntries + 1);
  for (size_t i = 0; i < HashValue::kMaxCompactEntries; ++i) {
    const std::string* value = hash.Find(absl::StrCat("f", i));
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(*value, std::to_string(i));
  }
  EXPECT_FALSE(hash.Set("f0", "new"));
  EXPECT_EQ(*hash.Find("f0"), "new");
  EXPECT_TRUE(hash.Erase("f0"));
  EXPECT_EQ(hash.Find("f0"), nullptr);
}

TEST(HashValueTest, ConvertsForALongFieldOrValue) {
  HashValue by_field;
  by_field.Set(std::string(HashValue::kMaxCompactLength, 'f'), "v");
  EXPECT_EQ(by_field.Encoding(), "listpack");
  by_field.Set(std::string(HashValue::kMaxCompactLength + 1, 'f'), "v");
  EXPECT_EQ(by_field.Encoding(), "hashtable");
  HashValue by_value;
  by_value.Set("f", std::string(HashValue::kMaxCompactLength + 1, 'v'));
  EXPECT_EQ(by_value.Encoding(), "hashtable");
  EXPECT_EQ(by_value.size(), 1u);
}

TEST(HashValueTest, CopiesAreDeepAndIndependent) {
  HashValue large;
  for (int i = 0; i < 600; ++i) large.Set(std::to_string(i), "v");
  HashValue copy = large;
  copy.Set("0", "changed");
  copy.Erase("1");
  EXPECT_EQ(*large.Find("0"), "v");
  EXPECT_NE(large.Find("1"), nullptr);
  EXPECT_EQ(copy.Encoding(), "hashtable");
  EXPECT_EQ(copy.size(), 599u);
}

TEST(HashValueTest, CompactScanReturnsEverythingWithCursorZero) {
  HashValue hash;
  hash.Set("a", "1");
  hash.Set("b", "2");
  Pairs seen;
  const uint64_t next = hash.Scan(
      12345, 1,
      [&](std::string_view f, std::string_view v) { seen.emplace_back(f, v); });
  EXPECT_EQ(next, 0u);
  EXPECT_EQ(seen, (Pairs{{"a", "1"}, {"b", "2"}}));
}

TEST(HashValueTest, LargeScanVisitsEachEntryOnceInSteps) {
  HashValue hash;
  for (int i = 0; i < 1000; ++i) hash.Set(std::to_string(i), "v");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int steps = 0;
  do {
    size_t visited = 0;
    cursor = hash.Scan(cursor, 10, [&](std::string_view f, std::string_view) {
      EXPECT_TRUE(seen.insert(std::string(f)).second);
      ++visited;
    });
    EXPECT_GE(visited, cursor == 0 ? 0u : 10u);
    ++steps;
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_GE(steps, 100);
}

TEST(HashValueTest, RandomEntryIsAnEntry) {
  absl::BitGen gen;
  for (const int size : {5, 700}) {
    HashValue hash;
    for (int i = 0; i < size; ++i)
      hash.Set(std::to_string(i), absl::StrCat("v", i));
    std::set<std::string> seen;
    for (int i = 0; i < 3000; ++i) {
      const HashValue::EntryView entry = hash.RandomEntry(gen);
      EXPECT_EQ(absl::StrCat("v", std::string(entry.first)), entry.second);
      seen.emplace(entry.first);
    }
    EXPECT_GE(seen.size(), size == 5 ? 5u : 400u);
  }
}

}  // namespace
}  // namespace shardd::kv
