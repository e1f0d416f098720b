// The commands on one set, SMOVE and SSCAN. Expected bytes are what
// redis-server 7.0 replies; hashtable order is unspecified, so those replies
// are compared as sets.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/kv/store/set_value.h"
#include "tests/kv/expected_replies.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

std::string_view EncodingOf(HandlerRunner& run, std::string_view key) {
  return run.store.Find(key, run.now_ms)->set().Encoding();
}

std::vector<std::string> Sorted(std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  return members;
}

TEST(SetCommandsTest, AddRemoveAndRead) {
  HandlerRunner run;
  EXPECT_EQ(run({"sadd", "s", "3", "1", "2", "1"}), Int(3));
  EXPECT_EQ(run({"sadd", "s", "2", "4"}), Int(1));
  EXPECT_EQ(run({"smembers", "s"}), Array({"1", "2", "3", "4"}));
  EXPECT_EQ(run({"sismember", "s", "1"}), Int(1));
  EXPECT_EQ(run({"sismember", "s", "01"}), Int(0));
  EXPECT_EQ(run({"smismember", "s", "1", "9", "01", "4"}),
            "*4\r\n:1\r\n:0\r\n:0\r\n:1\r\n");
  EXPECT_EQ(run({"scard", "s"}), Int(4));
  EXPECT_EQ(run({"srem", "s", "1", "9", "1"}), Int(1));
  EXPECT_EQ(run({"srem", "s", "2", "3", "4"}), Int(3));
  EXPECT_EQ(run({"exists", "s"}), Int(0));  // no empty sets
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(SetCommandsTest, MissingKeyReadsAsEmpty) {
  HandlerRunner run;
  EXPECT_EQ(run({"sismember", "nos", "1"}), Int(0));
  EXPECT_EQ(run({"smismember", "nos", "a", "b"}), "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(run({"scard", "nos"}), Int(0));
  EXPECT_EQ(run({"smembers", "nos"}), kEmptyArray);
  EXPECT_EQ(run({"srem", "nos", "a"}), Int(0));
  EXPECT_EQ(run({"sscan", "nos", "0"}), ScanPage("0", {}));
  EXPECT_EQ(run({"spop", "nos"}), kNil);
  EXPECT_EQ(run({"srandmember", "nos"}), kNil);
  EXPECT_EQ(run.store.KeyCount(), 0u);
}

TEST(SetCommandsTest, WrongType) {
  HandlerRunner run;
  run({"set", "str", "x"});
  for (const std::vector<std::string_view>& command :
       std::vector<std::vector<std::string_view>>{{"sadd", "str", "a"},
                                                  {"srem", "str", "a"},
                                                  {"smembers", "str"},
                                                  {"sismember", "str", "a"},
                                                  {"smismember", "str", "a"},
                                                  {"scard", "str"},
                                                  {"spop", "str"},
                                                  {"spop", "str", "2"},
                                                  {"srandmember", "str"},
                                                  {"srandmember", "str", "2"},
                                                  {"sscan", "str", "0"}}) {
    EXPECT_EQ(run(command), kWrongType) << command[0];
  }
}

TEST(SetCommandsTest, ArityErrors) {
  HandlerRunner run;
  for (const auto& [command, name] :
       std::vector<std::pair<std::vector<std::string_view>, std::string>>{
           {{"sadd", "s"}, "sadd"},
           {{"smismember", "s"}, "smismember"},
           {{"sismember", "s"}, "sismember"},
           {{"smove", "s"}, "smove"},
           {{"sinter"}, "sinter"},
           {{"sinterstore", "d"}, "sinterstore"},
           {{"sintercard", "1"}, "sintercard"},
           {{"sscan", "s"}, "sscan"},
           {{"spop"}, "spop"},
           {{"srandmember"}, "srandmember"}}) {
    EXPECT_EQ(run(command),
              Err(absl::StrCat("ERR wrong number of arguments for '", name,
                               "' command")));
  }
}

TEST(SetCommandsTest, EncodingFollowsTheMembers) {
  HandlerRunner run;
  run({"sadd", "s", "1", "2"});
  EXPECT_EQ(EncodingOf(run, "s"), "intset");
  run({"sadd", "s", "a"});
  EXPECT_EQ(EncodingOf(run, "s"), "hashtable");
  run({"srem", "s", "a"});
  EXPECT_EQ(EncodingOf(run, "s"), "hashtable");
  run({"sadd", "t", "01"});
  EXPECT_EQ(EncodingOf(run, "t"), "hashtable");
  for (int i = 0; i < 513; ++i) run({"sadd", "big", std::to_string(i)});
  EXPECT_EQ(EncodingOf(run, "big"), "hashtable");
  EXPECT_EQ(run({"scard", "big"}), Int(513));
}

TEST(SetCommandsTest, SMove) {
  HandlerRunner run;
  run({"sadd", "s", "1", "2"});
  run({"set", "str", "x"});
  EXPECT_EQ(run({"smove", "s", "str", "1"}), kWrongType);
  EXPECT_EQ(run({"smove", "str", "s", "1"}), kWrongType);
  // A missing source answers 0 before the destination is type-checked.
  EXPECT_EQ(run({"smove", "nos", "str", "1"}), Int(0));
  EXPECT_EQ(run({"smove", "s", "s", "1"}), Int(1));
  EXPECT_EQ(run({"smove", "s", "s", "999"}), Int(0));
  EXPECT_EQ(run({"smove", "s", "str", "999"}), kWrongType);
  EXPECT_EQ(run({"smove", "s", "d", "999"}), Int(0));
  EXPECT_EQ(run({"exists", "d"}), Int(0));
  EXPECT_EQ(run({"smove", "s", "d", "1"}), Int(1));
  EXPECT_EQ(run({"smembers", "d"}), Array({"1"}));
  EXPECT_EQ(run({"smove", "s", "d", "2"}), Int(1));
  EXPECT_EQ(run({"exists", "s"}), Int(0));  // emptied source is deleted
  EXPECT_EQ(run({"smembers", "d"}), Array({"1", "2"}));
  run({"sadd", "s", "1"});
  EXPECT_EQ(run({"smove", "s", "d", "1"}), Int(1));  // already there
  EXPECT_EQ(run({"scard", "d"}), Int(2));
  run({"sadd", "s", "x"});
  EXPECT_EQ(run({"smove", "s", "d", "x"}), Int(1));
  EXPECT_EQ(EncodingOf(run, "d"), "hashtable");
}

TEST(SScanTest, IntsetComesWholeAndSorted) {
  HandlerRunner run;
  run({"sadd", "i", "5", "-1", "3"});
  EXPECT_EQ(run({"sscan", "i", "0"}), ScanPage("0", {"-1", "3", "5"}));
  EXPECT_EQ(run({"sscan", "i", "77", "count", "1"}),
            ScanPage("0", {"-1", "3", "5"}));
  EXPECT_EQ(run({"sscan", "i", "0", "match", "-*"}), ScanPage("0", {"-1"}));
}

TEST(SScanTest, ErrorsAsHScan) {
  HandlerRunner run;
  run({"sadd", "s", "a"});
  EXPECT_EQ(run({"sscan", "s", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(run({"sscan", "s", "0", "count", "0"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"sscan", "s", "0", "count"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"sscan", "nos", "0", "count", "0"}), ScanPage("0", {}));
}

TEST(SScanTest, LargeSetScanSeesEveryMemberPresentThroughout) {
  HandlerRunner run;
  for (int i = 0; i < 1500; ++i) run({"sadd", "s", absl::StrCat("m", i)});
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int step = 0;
  do {
    const ScanReply page = ParseScanReply(run({"sscan", "s", cursor}));
    cursor = page.cursor;
    seen.insert(page.elements.begin(), page.elements.end());
    // Churn: remove members already seen or not, add new ones.
    run({"srem", "s", absl::StrCat("m", 1000 + step)});
    run({"sadd", "s", absl::StrCat("n", step)});
    ++step;
  } while (cursor != "0");
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(seen.count(absl::StrCat("m", i)), 1u) << i;
  }
  EXPECT_GT(step, 100);
}

TEST(SPopTest, ArgumentsAndEdges) {
  HandlerRunner run;
  run({"sadd", "s", "1", "2", "3"});
  const std::string positive =
      Err("ERR value is out of range, must be positive");
  EXPECT_EQ(run({"spop", "s", "-1"}), positive);
  EXPECT_EQ(run({"spop", "s", "abc"}), positive);
  EXPECT_EQ(run({"spop", "nos", "-1"}), positive);
  run({"set", "str", "x"});
  EXPECT_EQ(run({"spop", "str", "abc"}), positive);  // count comes first
  EXPECT_EQ(run({"spop", "s", "1", "2"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"spop", "s", "0"}), kEmptyArray);
  EXPECT_EQ(run({"spop", "nos", "0"}), kEmptyArray);
  EXPECT_EQ(run({"spop", "nos", "5"}), kEmptyArray);
  EXPECT_EQ(run({"scard", "s"}), Int(3));
  EXPECT_EQ(run({"spop", "s", "3"}), Array({"1", "2", "3"}));
  EXPECT_EQ(run.store.Find("s", run.now_ms), nullptr);
  run({"sadd", "s", "only"});
  EXPECT_EQ(run({"spop", "s"}), Bulk("only"));
  EXPECT_EQ(run({"exists", "s"}), Int(0));
}

// Counts that take each of SPOP's strategies, on both encodings: the popped
// and the remaining members are disjoint and together the original set.
TEST(SPopTest, PoppedAndRemainingPartitionTheSet) {
  for (const bool integers : {true, false}) {
    for (const int count : {1, 5, 9, 10}) {
      HandlerRunner run;
      std::vector<std::string> all;
      for (int i = 0; i < 11; ++i) {
        all.push_back(absl::StrCat(integers ? "" : "m", i));
        run({"sadd", "s", all.back()});
      }
      std::vector<std::string> popped =
          BulksOf(run({"spop", "s", std::to_string(count)}));
      ASSERT_EQ(popped.size(), static_cast<size_t>(count));
      std::vector<std::string> left = BulksOf(run({"smembers", "s"}));
      EXPECT_EQ(left.size(), 11u - count);
      popped.insert(popped.end(), left.begin(), left.end());
      EXPECT_EQ(Sorted(popped), Sorted(all));
    }
  }
}

TEST(SPopTest, RebuildingStrategyStartsCompactAsRedis) {
  HandlerRunner run;
  run({"sadd", "s", "x"});
  for (int i = 0; i < 10; ++i) run({"sadd", "s", std::to_string(i)});
  EXPECT_EQ(EncodingOf(run, "s"), "hashtable");
  // 11 members, pop 10: one remains, so the set is rebuilt from it. Redis
  // then reports intset unless the one left is "x".
  const std::vector<std::string> popped = BulksOf(run({"spop", "s", "10"}));
  const bool x_left =
      std::find(popped.begin(), popped.end(), "x") == popped.end();
  EXPECT_EQ(EncodingOf(run, "s"), x_left ? "hashtable" : "intset");
}

TEST(SRandMemberTest, CountsAndErrors) {
  HandlerRunner run;
  run({"sadd", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  EXPECT_EQ(run({"srandmember", "s", "abc"}),
            Err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run({"srandmember", "s", "abc", "x"}), Err("ERR syntax error"));
  EXPECT_EQ(run({"srandmember", "nos", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between "
                "-9223372036854775807 and 9223372036854775807"));
  EXPECT_EQ(run({"srandmember", "nos", "5"}), kEmptyArray);
  EXPECT_EQ(run({"srandmember", "s", "0"}), kEmptyArray);
  EXPECT_EQ(run({"srandmember", "s", "100"}),
            Array({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
  for (const int count : {1, 3, 4, 9}) {
    const std::vector<std::string> picked =
        BulksOf(run({"srandmember", "s", std::to_string(count)}));
    EXPECT_EQ(picked.size(), static_cast<size_t>(count));
    EXPECT_EQ(std::set<std::string>(picked.begin(), picked.end()).size(),
              picked.size());
  }
  const std::vector<std::string> repeats =
      BulksOf(run({"srandmember", "s", "-50"}));
  EXPECT_EQ(repeats.size(), 50u);
  for (const std::string& member : repeats) {
    EXPECT_EQ(run({"sismember", "s", member}), Int(1));
  }
  EXPECT_EQ(run({"scard", "s"}), Int(10));
}

}  // namespace
}  // namespace shardd::kv

namespace shardd::kv {
namespace {

// Redis would try to build this reply and run out of memory; shardd refuses.
TEST(SetCommandsTest, HugeNegativeRandomCountIsRefused) {
  HandlerRunner run;
  run({"sadd", "s", "a"});
  EXPECT_EQ(run({"srandmember", "s", "-100000000"}),
            "-ERR value is out of range, must be at least -16777216\r\n");
  EXPECT_EQ(run({"srandmember", "s", "-2"}), "*2\r\n$1\r\na\r\n$1\r\na\r\n");
}

}  // namespace
}  // namespace shardd::kv
