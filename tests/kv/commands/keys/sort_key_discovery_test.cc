// SORT's key finders (SortKeys, SortRoKeys) and what the router asks to
// find the keys its BY and GET patterns read on other shards
// (SortReadsOtherKeys, SortPatternKeys): they must name every key the
// handler reads, and the STORE destination it writes.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

using Keys = std::vector<std::string>;
using Positions = std::vector<size_t>;

// The positions the command's own row lists (SortKeys, SortRoKeys).
Positions KeyPositions(const std::vector<std::string_view>& args) {
  Positions positions;
  FindKeyPositions(*FindCommand(args.at(0)), CommandArgs(args), &positions);
  return positions;
}

bool ReadsOtherKeys(const std::vector<std::string_view>& args) {
  return SortReadsOtherKeys(CommandArgs(args));
}

Keys PatternKeys(HandlerRunner& run,
                 const std::vector<std::string_view>& args) {
  Keys keys;
  SortPatternKeys(run.store, CommandArgs(args), run.now_ms, &keys);
  return keys;
}

TEST(SortKeysTest, SourceAndDestination) {
  EXPECT_EQ(KeyPositions({"sort", "l"}), Positions{1});
  EXPECT_EQ(KeyPositions({"sort", "l", "store", "d"}), (Positions{1, 3}));
  EXPECT_EQ(KeyPositions({"sort", "l", "STORE", "d", "by", "w_*", "store", "e",
                          "get", "#"}),
            (Positions{1, 7}));
  // The arguments of options are not options.
  EXPECT_EQ(KeyPositions({"sort", "l", "by", "store", "get", "store", "limit",
                          "0", "1", "store", "d"}),
            (Positions{1, 10}));
  EXPECT_EQ(KeyPositions({"sort", "l", "store", "by", "store", "d"}),
            (Positions{1, 5}));
  // SORT_RO has no STORE; malformed options store nothing.
  EXPECT_EQ(KeyPositions({"sort_ro", "l", "store", "d"}), Positions{1});
  EXPECT_EQ(KeyPositions({"sort", "l", "limit", "x", "1", "store", "d"}),
            Positions{1});
  EXPECT_EQ(KeyPositions({"sort", "l", "store"}), Positions{1});
}

TEST(SortReadsOtherKeysTest, OnlyPatternsWithAStar) {
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l"}));
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l", "alpha", "limit", "0", "1"}));
  EXPECT_TRUE(ReadsOtherKeys({"sort", "l", "by", "w_*"}));
  EXPECT_TRUE(ReadsOtherKeys({"sort", "l", "by", "h_*->f"}));
  EXPECT_TRUE(ReadsOtherKeys({"sort_ro", "l", "get", "k_*"}));
  EXPECT_TRUE(ReadsOtherKeys({"sort", "l", "by", "nosort", "get", "k_*"}));
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l", "by", "nosort", "get", "#"}));
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l", "get", "nostar"}));
  // One BY without '*' turns sorting off, so no BY key is read.
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l", "by", "nosort", "by", "w_*"}));
  // Bad options are refused before anything is read.
  EXPECT_FALSE(ReadsOtherKeys({"sort", "l", "by", "w_*", "bogus"}));
  // SORT_RO's options are read as SORT's: its STORE, an error, may have
  // keys looked for in vain, no more.
  EXPECT_TRUE(ReadsOtherKeys({"sort_ro", "l", "get", "k_*", "store", "d"}));
}

TEST(SortPatternKeysTest, EveryElementWhenBySortsByOtherKeys) {
  HandlerRunner run;
  run({"rpush", "l", "b", "a", "c", "a"});
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "by", "w_*", "get", "#", "get",
                              "h_*->f", "get", "w_*", "limit", "0", "1"}),
            (Keys{"w_b", "h_b", "w_a", "h_a", "w_c", "h_c"}));
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "by", "p*s->f", "alpha"}),
            (Keys{"pbs", "pas", "pcs"}));
}

TEST(SortPatternKeysTest, OnlyTheWindowWhenTheOrderIsKnown) {
  HandlerRunner run;
  run({"rpush", "l", "3", "1", "2"});
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "by", "nosort", "limit", "1", "1",
                              "get", "k_*"}),
            Keys{"k_1"});
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "by", "nosort", "desc", "limit", "0",
                              "1", "get", "k_*"}),
            Keys{"k_2"});
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "limit", "0", "2", "get", "k_*",
                              "get", "#", "get", "j_*->f"}),
            (Keys{"k_1", "j_1", "k_2", "j_2"}));
  EXPECT_EQ(
      PatternKeys(run, {"sort", "l", "desc", "limit", "0", "1", "get", "k_*"}),
      Keys{"k_3"});
  run({"sadd", "s", "b", "a", "c"});
  EXPECT_EQ(PatternKeys(run, {"sort", "s", "by", "nosort", "limit", "0", "1",
                              "get", "k_*", "store", "d"}),
            Keys{"k_a"});
  run({"zadd", "z", "1", "c", "2", "b"});
  EXPECT_EQ(PatternKeys(run, {"sort", "z", "by", "nosort", "get", "k_*"}),
            (Keys{"k_c", "k_b"}));
}

TEST(SortPatternKeysTest, NothingToRead) {
  HandlerRunner run;
  run({"rpush", "l", "x", "y"});
  run({"set", "str", "v"});
  EXPECT_TRUE(PatternKeys(run, {"sort", "l"}).empty());
  EXPECT_TRUE(PatternKeys(run, {"sort", "l", "alpha", "get", "#"}).empty());
  EXPECT_TRUE(PatternKeys(run, {"sort", "l", "by", "nosort", "by", "w_*", "get",
                                "nostar"})
                  .empty());
  EXPECT_TRUE(PatternKeys(run, {"sort", "nosuch", "by", "w_*"}).empty());
  EXPECT_TRUE(PatternKeys(run, {"sort", "str", "by", "w_*"}).empty());
  // Elements that are not numbers: the command replies an error.
  EXPECT_TRUE(PatternKeys(run, {"sort", "l", "get", "k_*"}).empty());
}

TEST(SortPatternKeysTest, MalformedOptionsGiveWhatTheyCan) {
  HandlerRunner run;
  run({"rpush", "l", "2", "1"});
  EXPECT_EQ(
      PatternKeys(run, {"sort", "l", "get", "k_*", "bogus", "get", "j_*"}),
      (Keys{"k_1", "k_2"}));
  EXPECT_EQ(PatternKeys(run, {"sort", "l", "limit", "x"}), Keys{});
}

TEST(SortPatternKeysTest, LeavesTheSourceUntouched) {
  HandlerRunner run;
  run.store.set_clock(run.now_ms);
  run({"zadd", "z", "1", "a"});
  run.store.set_clock(run.now_ms + 100'000);
  EXPECT_EQ(PatternKeys(run, {"sort", "z", "by", "w_*"}), Keys{"w_a"});
  const Entry* z = run.store.Peek("z", run.now_ms);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(Store::IdleSeconds(*z, run.now_ms + 100'000), 100);
  EXPECT_EQ(run({"object", "encoding", "z"}), "$8\r\nlistpack\r\n");
}

}  // namespace
}  // namespace shardd::kv
