// ZSetValue: both encodings, the switch between them, ranks on large sets
// checked against a plain sorted vector, and ZSCAN cursors that miss nothing.
#include "shard/kv/store/zset_value.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

using Element = std::pair<double, std::string>;

std::vector<Element> Contents(const ZSetValue& zset) {
  std::vector<Element> all;
  zset.ForEachInRanks(0, zset.size(), false,
                      [&](std::string_view member, double score) {
                        all.emplace_back(score, std::string(member));
                      });
  return all;
}

TEST(ZSetValueTest, SmallSetsAreCompactAndSorted) {
  ZSetValue zset;
  EXPECT_EQ(zset.Encoding(), "listpack");
  EXPECT_TRUE(zset.Put("b", 2));
  EXPECT_TRUE(zset.Put("a", 2));
  EXPECT_TRUE(zset.Put("c", 1));
  EXPECT_FALSE(zset.Put("c", 3));  // an update, not an addition
  EXPECT_EQ(Contents(zset),
            (std::vector<Element>{{2, "a"}, {2, "b"}, {3, "c"}}));
  EXPECT_EQ(zset.Rank("b"), 1u);
  EXPECT_EQ(zset.Score("c"), 3);
  EXPECT_EQ(zset.Score("zz"), std::nullopt);
  EXPECT_TRUE(zset.Remove("a"));
  EXPECT_FALSE(zset.Remove("a"));
  EXPECT_EQ(zset.size(), 2u);
}

TEST(ZSetValueTest, ConvertsPast128MembersAndStaysConverted) {
  ZSetValue zset;
  for (int i = 0; i < 128; ++i) zset.Put(absl::StrCat("m", i), i);
  EXPECT_EQ(zset.Encoding(), "listpack");
  zset.Put("m0", -1);  // an update does not convert
  EXPECT_EQ(zset.Encoding(), "listpack");
  zset.Put("one-more", 1000);
  EXPECT_EQ(zset.Encoding(), "skiplist");
  EXPECT_EQ(zset.size(), 129u);
  EXPECT_EQ(zset.Rank("m0"), 0u);
  EXPECT_EQ(zset.Rank("one-more"), 128u);
  for (int i = 0; i < 100; ++i) zset.Remove(absl::StrCat("m", i));
  EXPECT_EQ(zset.Encoding(), "skiplist");  // as in Redis, never back
}

TEST(ZSetValueTest, ConvertsForALongMember) {
  ZSetValue zset;
  zset.Put(std::string(64, 'x'), 1);
  EXPECT_EQ(zset.Encoding(), "listpack");
  zset.Put(std::string(65, 'y'), 2);
  EXPECT_EQ(zset.Encoding(), "skiplist");
  EXPECT_EQ(Contents(zset), (std::vector<Element>{{1, std::string(64, 'x')},
                                                  {2, std::string(65, 'y')}}));
}

TEST(ZSetValueTest, CompactSetsDropTheSignOfZero) {
  ZSetValue small;
  small.Put("a", -0.0);
  EXPECT_FALSE(std::signbit(*small.Score("a")));
  ZSetValue large;
  large.Reserve(1, 65);
  EXPECT_EQ(large.Encoding(), "skiplist");
  large.Put("a", -0.0);
  EXPECT_TRUE(std::signbit(*large.Score("a")));
}

TEST(ZSetValueTest, CopiesAreDeep) {
  ZSetValue original;
  for (int i = 0; i < 200; ++i) original.Put(absl::StrCat("m", i), i);
  ZSetValue copy(original);
  original.Remove("m5");
  original.Put("m6", -6);
  EXPECT_EQ(copy.size(), 200u);
  EXPECT_EQ(copy.Score("m5"), 5);
  EXPECT_EQ(copy.Rank("m6"), 6u);
  EXPECT_EQ(copy.Encoding(), "skiplist");
  ZSetValue assigned;
  assigned = copy;
  EXPECT_EQ(Contents(assigned), Contents(copy));
}

// Random puts, updates and removals on a large set, checked after each step
// against a std::set of (score, member): ranks, rank ranges, counts below a
// score and erased rank ranges.
TEST(ZSetValueTest, LargeSetRanksMatchASortedReference) {
  std::mt19937_64 random(7);
  ZSetValue zset;
  std::set<Element> reference;
  auto score_of = [&](const std::string& member) {
    for (const Element& e : reference) {
      if (e.second == member) return std::optional<double>(e.first);
    }
    return std::optional<double>();
  };
  for (int step = 0; step < 6000; ++step) {
    const std::string member = absl::StrCat("m", random() % 3000);
    const double score = static_cast<double>(random() % 500) / 4;
    if (random() % 4 == 0) {
      const std::optional<double> old = score_of(member);
      EXPECT_EQ(zset.Remove(member), old.has_value());
      if (old) reference.erase({*old, member});
    } else {
      const std::optional<double> old = score_of(member);
      EXPECT_EQ(zset.Put(member, score), !old.has_value());
      if (old) reference.erase({*old, member});
      reference.insert({score, member});
    }
  }
  ASSERT_EQ(zset.Encoding(), "skiplist");
  const std::vector<Element> sorted(reference.begin(), reference.end());
  ASSERT_EQ(Contents(zset), sorted);
  for (size_t i = 0; i < sorted.size(); i += 37) {
    EXPECT_EQ(zset.Rank(sorted[i].second), i);
  }
  for (double bound : {-1.0, 0.0, 10.25, 60.0, 124.75, 200.0}) {
    const size_t below = static_cast<size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), Element{bound, ""}) -
        sorted.begin());
    EXPECT_EQ(zset.CountWhile([&](double score, std::string_view) {
      return score < bound;
    }),
              below);
  }
  std::vector<Element> reversed;
  zset.ForEachInRanks(100, 150, true, [&](std::string_view m, double s) {
    reversed.emplace_back(s, std::string(m));
  });
  EXPECT_EQ(reversed,
            std::vector<Element>(sorted.rbegin() + (sorted.size() - 150),
                                 sorted.rbegin() + (sorted.size() - 100)));
  zset.EraseRanks(10, 500);
  std::vector<Element> rest(sorted.begin(), sorted.begin() + 10);
  rest.insert(rest.end(), sorted.begin() + 500, sorted.end());
  EXPECT_EQ(Contents(zset), rest);
  EXPECT_EQ(zset.Rank(rest[10].second), 10u);
}

TEST(ZSetValueTest, CompactScanReturnsEverythingAtOnce) {
  ZSetValue zset;
  zset.Put("a", 1);
  zset.Put("b", 2);
  std::vector<std::string> seen;
  EXPECT_EQ(
      zset.Scan(12345, 1,
                [&](std::string_view m, double) { seen.emplace_back(m); }),
      0u);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
}

// Members present for the whole scan are all returned, while others come and
// go between the calls and the index grows and shrinks under the cursor.
TEST(ZSetValueTest, LargeScanMissesNoStableMember) {
  std::mt19937_64 random(11);
  ZSetValue zset;
  for (int i = 0; i < 2000; ++i) zset.Put(absl::StrCat("stable", i), i);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = zset.Scan(cursor, 10,
                       [&](std::string_view m, double) { seen.emplace(m); });
    ++calls;
    // Churn: add many (forcing growth), later remove them (shrinking).
    const int base = calls * 100;
    if (calls < 60) {
      for (int i = 0; i < 100; ++i) zset.Put(absl::StrCat("temp", base + i), 1);
    } else {
      for (int i = 0; i < 6100; ++i) zset.Remove(absl::StrCat("temp", i));
    }
    zset.Put(absl::StrCat("stable", random() % 2000), -1);  // score changes
  } while (cursor != 0);
  for (int i = 0; i < 2000; ++i) {
    EXPECT_TRUE(seen.count(absl::StrCat("stable", i))) << i;
  }
  EXPECT_GT(calls, 100);  // it really took many steps
}

}  // namespace
}  // namespace shardd::kv
