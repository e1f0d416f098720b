// HRANDFIELD and HSCAN. Expected bytes are what redis-server 7.0 replies;
// random replies are checked for shape and membership.
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/kv/expected_replies.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

const std::string kRangeError = Err(
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807");

TEST(HRandFieldTest, MissingKey) {
  HandlerRunner run;
  EXPECT_EQ(run({"hrandfield", "nokey"}), kNil);
  EXPECT_EQ(run({"hrandfield", "nokey", "3"}), kEmptyArray);
  EXPECT_EQ(run({"hrandfield", "nokey", "-3", "withvalues"}), kEmptyArray);
  EXPECT_EQ(run({"hrandfield", "nokey", "3", "bad"}), Err("ERR syntax error"));
}

TEST(HRandFieldTest, ArgumentErrorsInRedisOrder) {
  HandlerRunner run;
  run({"hset", "r", "a", "1"});
  EXPECT_EQ(run({"hrandfield", "r", "abc", "x", "y"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run({"hrandfield", "r", "-9223372036854775808", "x", "y"}),
            kRangeError);
  EXPECT_EQ(run({"hrandfield", "r", "5", "x", "y"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"hrandfield", "r", "5", "withvalues", "x"}),
            Err("ERR syntax error"));
  EXPECT_EQ(run({"hrandfield", "r", "1.5"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run({"hrandfield", "r", "4611686018427387904", "withvalues"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(run({"hrandfield", "r", "-4611686018427387904", "WithValues"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(run({"hrandfield", "r", "4611686018427387903", "withvalues"}),
            Array({"a", "1"}));
  EXPECT_EQ(run({"hrandfield", "r", "9223372036854775807"}), Array({"a"}));
  run({"set", "s", "x"});
  EXPECT_EQ(run({"hrandfield", "s", "3", "bad"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"hrandfield", "s", "4611686018427387904", "withvalues"}),
            Err("ERR value is out of range"));
}

TEST(HRandFieldTest, SingleFieldHash) {
  HandlerRunner run;
  run({"hset", "r", "a", "1"});
  EXPECT_EQ(run({"hrandfield", "r"}), Bulk("a"));
  EXPECT_EQ(run({"hrandfield", "r", "0"}), kEmptyArray);
  EXPECT_EQ(run({"hrandfield", "r", "0", "withvalues"}), kEmptyArray);
  EXPECT_EQ(run({"hrandfield", "r", "3"}), Array({"a"}));
  EXPECT_EQ(run({"hrandfield", "r", "-3"}), Array({"a", "a", "a"}));
  EXPECT_EQ(run({"hrandfield", "r", "-2", "withvalues"}),
            Array({"a", "1", "a", "1"}));
}

// Every count strategy, on both encodings.
TEST(HRandFieldTest, PicksAreValidFieldsAndDistinctForPositiveCounts) {
  for (const int fields : {10, 600}) {
    HandlerRunner run;
    absl::flat_hash_map<std::string, std::string> hash;
    for (int i = 0; i < fields; ++i) {
      const std::string field = absl::StrCat("f", i);
      hash[field] = absl::StrCat("v", i);
      run({"hset", "h", field, hash[field]});
    }
    for (const int count :
         {1, 2, fields / 4, fields / 2, fields - 1, fields, fields + 5}) {
      const std::vector<std::string> picked = BulksOf(
          run({"hrandfield", "h", std::to_string(count), "withvalues"}));
      ASSERT_EQ(picked.size(), 2u * std::min(count, fields)) << count;
      std::set<std::string> distinct;
      for (size_t i = 0; i < picked.size(); i += 2) {
        ASSERT_TRUE(hash.contains(picked[i])) << picked[i];
        EXPECT_EQ(hash[picked[i]], picked[i + 1]);
        distinct.insert(picked[i]);
      }
      EXPECT_EQ(distinct.size(), picked.size() / 2) << count;
    }
    const std::vector<std::string> repeats =
        BulksOf(run({"hrandfield", "h", "-1000"}));
    ASSERT_EQ(repeats.size(), 1000u);
    std::set<std::string> seen;
    for (const std::string& field : repeats) {
      EXPECT_TRUE(hash.contains(field));
      seen.insert(field);
    }
    // 1000 draws from 10 fields see all; from 600, hundreds of them.
    EXPECT_GE(seen.size(), fields == 10 ? 10u : 300u);
  }
}

TEST(HScanTest, CompactHashComesWholeWithCursorZero) {
  HandlerRunner run;
  run({"hset", "r", "a", "1", "b", "2", "c", "3"});
  const std::string all = ScanPage("0", {"a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(run({"hscan", "r", "0"}), all);
  EXPECT_EQ(run({"hscan", "r", "5", "count", "1"}), all);
  EXPECT_EQ(run({"hscan", "r", "18446744073709551615"}), all);
  EXPECT_EQ(run({"hscan", "r", "-1"}), all);
  EXPECT_EQ(run({"hscan", "r", "+5"}), all);
  EXPECT_EQ(run({"hscan", "r", ""}), all);
  EXPECT_EQ(run({"hscan", "r", "0", "match", "*"}), all);
  EXPECT_EQ(run({"hscan", "r", "0", "match", "[ab]"}),
            ScanPage("0", {"a", "1", "b", "2"}));
  EXPECT_EQ(run({"hscan", "r", "0", "MATCH", "a", "COUNT", "1", "match", "b"}),
            ScanPage("0", {"b", "2"}));
}

TEST(HScanTest, EmptyFieldMatchesOnlyTheLoneStarAndTheEmptyPattern) {
  HandlerRunner run;
  run({"hset", "e", "", "v", "a", "w"});
  EXPECT_EQ(run({"hscan", "e", "0", "match", "*"}),
            ScanPage("0", {"", "v", "a", "w"}));
  EXPECT_EQ(run({"hscan", "e", "0", "match", "**"}), ScanPage("0", {"a", "w"}));
  EXPECT_EQ(run({"hscan", "e", "0", "match", ""}), ScanPage("0", {"", "v"}));
}

TEST(HScanTest, Errors) {
  HandlerRunner run;
  run({"hset", "r", "a", "1"});
  const std::string syntax = Err("ERR syntax error");
  EXPECT_EQ(run({"hscan", "r", "0", "match"}), syntax);
  EXPECT_EQ(run({"hscan", "r", "0", "count", "0"}), syntax);
  EXPECT_EQ(run({"hscan", "r", "0", "count", "-1"}), syntax);
  EXPECT_EQ(run({"hscan", "r", "0", "count", "abc"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run({"hscan", "r", "0", "foo", "bar"}), syntax);
  EXPECT_EQ(run({"hscan", "r", "0", "type", "string"}), syntax);
  const std::string invalid = Err("ERR invalid cursor");
  for (const std::string_view cursor :
       {"abc", " 5", "5 ", "18446744073709551616", "-18446744073709551616", "+",
        "-", "1.5"}) {
    EXPECT_EQ(run({"hscan", "r", cursor}), invalid) << cursor;
  }
  // The cursor is read first, then the key, and only then the options.
  EXPECT_EQ(run({"hscan", "nokey", "abc"}), invalid);
  EXPECT_EQ(run({"hscan", "nokey", "0", "count", "0"}), ScanPage("0", {}));
  run({"set", "s", "x"});
  EXPECT_EQ(run({"hscan", "s", "abc"}), invalid);
  EXPECT_EQ(run({"hscan", "s", "0", "count", "0"}), kWrongType);
}

// Scans a large hash in small steps while fields come and go: every field
// present from start to end must be seen, and no field twice.
TEST(HScanTest, LargeHashScanSeesEveryFieldPresentThroughout) {
  HandlerRunner run;
  for (int i = 0; i < 2000; ++i) {
    run({"hset", "h", absl::StrCat("stay", i), "v"});
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int step = 0;
  do {
    const ScanReply page = ParseScanReply(
        run({"hscan", "h", cursor, "count", std::to_string(1 + step % 7)}));
    cursor = page.cursor;
    const std::vector<std::string>& items = page.elements;
    ASSERT_EQ(items.size() % 2, 0u);
    for (size_t i = 0; i < items.size(); i += 2) {
      EXPECT_TRUE(seen.insert(items[i]).second) << "twice: " << items[i];
    }
    // Churn between steps: add new fields, delete some of them again.
    run({"hset", "h", absl::StrCat("new", step), "v"});
    if (step % 3 == 0) run({"hdel", "h", absl::StrCat("new", step / 2)});
    ++step;
  } while (cursor != "0");
  for (int i = 0; i < 2000; ++i) {
    EXPECT_TRUE(seen.contains(absl::StrCat("stay", i))) << i;
  }
  EXPECT_GT(step, 100);  // it really took many steps
}

TEST(HScanTest, LargeHashMatchFiltersAfterCounting) {
  HandlerRunner run;
  for (int i = 0; i < 600; ++i) {
    run({"hset", "h", absl::StrCat("k", i), std::to_string(i)});
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  do {
    const ScanReply page = ParseScanReply(
        run({"hscan", "h", cursor, "match", "k1?", "count", "50"}));
    cursor = page.cursor;
    const std::vector<std::string>& items = page.elements;
    for (size_t i = 0; i < items.size(); i += 2) seen.insert(items[i]);
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 10u);  // k10 .. k19
}

}  // namespace
}  // namespace shardd::kv
