#include "shard/kv/store/set_value.h"

#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

using Members = std::vector<std::string>;

TEST(SetValueTest, IntsetIsSortedNumerically) {
  SetValue set;
  for (const char* member : {"3", "1", "2", "-5", "10", "1"}) set.Add(member);
  EXPECT_EQ(set.Encoding(), "intset");
  EXPECT_EQ(set.Members(), (Members{"-5", "1", "2", "3", "10"}));
  EXPECT_TRUE(set.Contains("10"));
  EXPECT_FALSE(set.Contains("4"));
  EXPECT_FALSE(set.Contains("abc"));
  EXPECT_TRUE(set.Remove("10"));
  EXPECT_FALSE(set.Remove("10"));
  EXPECT_FALSE(set.Remove("abc"));
}

TEST(SetValueTest, OnlyCanonicalIntegersAreIntsetMembers) {
  for (const char* member :
       {"01", "-0", "+1", " 1", "1.0", "", "9223372036854775808", "abc"}) {
    SetValue set;
    set.Add("1");
    EXPECT_FALSE(set.Contains(member)) << member;
    EXPECT_TRUE(set.Add(member)) << member;
    EXPECT_EQ(set.Encoding(), "hashtable") << member;
    EXPECT_TRUE(set.Contains(member));
    EXPECT_TRUE(set.Contains("1"));
  }
  SetValue limits;
  limits.Add("-9223372036854775808");
  limits.Add("9223372036854775807");
  EXPECT_EQ(limits.Encoding(), "intset");
  EXPECT_EQ(limits.Members(),
            (Members{"-9223372036854775808", "9223372036854775807"}));
}

TEST(SetValueTest, ConvertsPastTheIntsetLimitAndNeverBack) {
  SetValue set;
  for (size_t i = 0; i < SetValue::kMaxIntsetEntries; ++i) {
    set.Add(std::to_string(i));
  }
  EXPECT_EQ(set.Encoding(), "intset");
  EXPECT_FALSE(set.Add("0"));
  EXPECT_EQ(set.Encoding(), "intset");
  set.Add("512");
  EXPECT_EQ(set.Encoding(), "hashtable");
  EXPECT_EQ(set.size(), 513u);
  for (int i = 0; i < 510; ++i) EXPECT_TRUE(set.Remove(std::to_string(i)));
  EXPECT_EQ(set.Encoding(), "hashtable");
  EXPECT_EQ(set.size(), 3u);
  EXPECT_TRUE(set.Contains("512"));
}

TEST(SetValueTest, CopiesAreDeepAndIndependent) {
  SetValue set;
  set.Add("a");
  SetValue copy = set;
  copy.Add("b");
  copy.Remove("a");
  EXPECT_TRUE(set.Contains("a"));
  EXPECT_FALSE(set.Contains("b"));
  EXPECT_EQ(copy.Members(), (Members{"b"}));
}

TEST(SetValueTest, IntsetScanReturnsEverythingWithCursorZero) {
  SetValue set;
  set.Add("2");
  set.Add("1");
  Members seen;
  EXPECT_EQ(set.Scan(999, 1, [&](std::string_view m) { seen.emplace_back(m); }),
            0u);
  EXPECT_EQ(seen, (Members{"1", "2"}));
}

TEST(SetValueTest, LargeScanVisitsEachMemberOnceInSteps) {
  SetValue set;
  for (int i = 0; i < 1000; ++i) set.Add(absl::StrCat("m", i));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = set.Scan(cursor, 7, [&](std::string_view m) {
      EXPECT_TRUE(seen.emplace(m).second);
    });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SetValueTest, RandomMemberIsAMember) {
  absl::BitGen gen;
  for (const bool integers : {true, false}) {
    SetValue set;
    for (int i = 0; i < 600; ++i) {
      set.Add(integers && i < 300 ? std::to_string(i) : absl::StrCat("m", i));
      if (integers && i == 299) {
        EXPECT_EQ(set.Encoding(), "intset");
      }
    }
    std::set<std::string> seen;
    for (int i = 0; i < 3000; ++i) {
      const std::string member = set.RandomMember(gen);
      EXPECT_TRUE(set.Contains(member)) << member;
      seen.insert(member);
    }
    EXPECT_GE(seen.size(), 400u);
  }
}

}  // namespace
}  // namespace shardd::kv
