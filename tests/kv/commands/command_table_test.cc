#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "shard/kv/commands/command_table.h"

namespace shardd::kv {
namespace {

TEST(CommandTableTest, FindsCommandsInAnyCase) {
  const CommandSpec* get = FindCommand("get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->name, "get");
  EXPECT_EQ(FindCommand("GET"), get);
  EXPECT_EQ(FindCommand("gEt"), get);
  EXPECT_EQ(FindCommand("FLUSHALL")->name, "flushall");
}

TEST(CommandTableTest, UnknownNamesAreNull) {
  EXPECT_EQ(FindCommand(""), nullptr);
  EXPECT_EQ(FindCommand("ge"), nullptr);
  EXPECT_EQ(FindCommand("gett"), nullptr);
  EXPECT_EQ(FindCommand(std::string_view("get\0", 4)), nullptr);
  EXPECT_EQ(FindCommand(std::string(1000, 'g')), nullptr);
}

TEST(CommandTableTest, NamesAreLowerCaseAndUnique) {
  absl::flat_hash_set<std::string_view> seen;
  for (const CommandSpec* spec_ptr : AllCommands()) {
    const CommandSpec& spec = *spec_ptr;
    for (const char c : spec.name) {
      EXPECT_FALSE(absl::ascii_isupper(static_cast<unsigned char>(c)))
          << spec.name;
    }
    EXPECT_TRUE(seen.insert(spec.name).second) << spec.name;
    EXPECT_EQ(FindCommand(spec.name), &spec);
  }
}

TEST(CommandTableTest, ArityAndFlagsMatchRedis) {
  struct Expected {
    std::string_view name;
    int arity;
    std::string_view flags;
  };
  // From COMMAND INFO on redis-server 7.0.
  const Expected kExpected[] = {
      {"get", 2, "readonly fast"},
      {"set", -3, "write denyoom"},
      {"setnx", 3, "write denyoom fast"},
      {"getset", 3, "write denyoom fast"},
      {"mget", -2, "readonly fast"},
      {"mset", -3, "write denyoom"},
      {"incr", 2, "write denyoom fast"},
      {"decr", 2, "write denyoom fast"},
      {"incrby", 3, "write denyoom fast"},
      {"decrby", 3, "write denyoom fast"},
      {"append", 3, "write denyoom fast"},
      {"strlen", 2, "readonly fast"},
      {"del", -2, "write"},
      {"exists", -2, "readonly fast"},
      {"expire", -3, "write fast"},
      {"pexpire", -3, "write fast"},
      {"ttl", 2, "readonly fast"},
      {"pttl", 2, "readonly fast"},
      {"persist", 2, "write fast"},
      {"dbsize", 1, "readonly fast"},
      {"flushall", -1, "write"},
      {"ping", -1, "fast"},
      {"echo", 2, "loading stale fast"},
      {"quit", -1, "noscript loading stale fast no_auth allow_busy"},
      {"select", 2, "loading stale fast"},
      {"hello", -1, "noscript loading stale fast no_auth allow_busy"},
      {"command", -1, "loading stale"},
      {"info", -1, "loading stale"},
      {"config", -2, ""},
  };
  for (const Expected& expected : kExpected) {
    const CommandSpec* spec = FindCommand(expected.name);
    ASSERT_NE(spec, nullptr) << expected.name;
    EXPECT_EQ(spec->arity, expected.arity) << expected.name;
    std::string names;
    for (std::string_view flag : CommandFlagNames(spec->flags)) {
      if (!names.empty()) names += ' ';
      names += flag;
    }
    EXPECT_EQ(names, expected.flags) << expected.name;
  }
}

TEST(CommandTableTest, LayoutsSayWhereCommandsRun) {
  EXPECT_EQ(FindCommand("get")->keys, KeyLayout::kFirst);
  EXPECT_EQ(FindCommand("get")->merge, Merge::kSingle);
  EXPECT_EQ(FindCommand("mget")->keys, KeyLayout::kAll);
  EXPECT_EQ(FindCommand("mget")->merge, Merge::kArrayByKey);
  EXPECT_EQ(FindCommand("mset")->keys, KeyLayout::kPairs);
  EXPECT_EQ(FindCommand("mset")->merge, Merge::kAllOk);
  EXPECT_EQ(FindCommand("del")->keys, KeyLayout::kAll);
  EXPECT_EQ(FindCommand("del")->merge, Merge::kSumIntegers);
  EXPECT_EQ(FindCommand("exists")->merge, Merge::kSumIntegers);
  EXPECT_EQ(FindCommand("dbsize")->keys, KeyLayout::kEveryShard);
  EXPECT_EQ(FindCommand("dbsize")->merge, Merge::kSumIntegers);
  EXPECT_EQ(FindCommand("flushall")->keys, KeyLayout::kEveryShard);
  EXPECT_EQ(FindCommand("flushall")->merge, Merge::kAllOk);
  EXPECT_EQ(FindCommand("ping")->keys, KeyLayout::kNone);
  EXPECT_EQ(FindCommand("echo")->keys, KeyLayout::kNone);
}

TEST(CommandTableTest, EveryRowHasExactlyOneKindOfHandler) {
  for (const CommandSpec* spec : AllCommands()) {
    const int kinds = (spec->handler != nullptr) + (spec->session != nullptr) +
                      (spec->waiting_session != nullptr) +
                      (spec->tx != TxControl::kNone) +
                      (spec->router_op != RouterOp::kNone);
    EXPECT_EQ(kinds, 1) << spec->name;
    // WATCH names keys (for COMMAND) but, as the other transaction
    // commands, runs in the router.
    if (spec->tx != TxControl::kNone) continue;
    if (spec->handler == nullptr) {
      // Session commands run where the connection is and are never split.
      EXPECT_EQ(spec->keys, KeyLayout::kNone) << spec->name;
      EXPECT_EQ(spec->merge, Merge::kSingle) << spec->name;
    }
  }
}

TEST(CommandTableTest, ConnectionAndServerCommandsRunInTheSession) {
  for (std::string_view name :
       {"quit", "select", "hello", "command", "config"}) {
    EXPECT_NE(FindCommand(name)->session, nullptr) << name;
  }
  EXPECT_NE(FindCommand("info")->waiting_session, nullptr);
  // PING and ECHO are keyless store commands, like Redis's.
  EXPECT_NE(FindCommand("ping")->handler, nullptr);
  EXPECT_NE(FindCommand("echo")->handler, nullptr);
}

TEST(CommandTableTest, ArityCountsTheName) {
  const CommandSpec& get = *FindCommand("get");
  EXPECT_FALSE(ArityMatches(get, 1));
  EXPECT_TRUE(ArityMatches(get, 2));
  EXPECT_FALSE(ArityMatches(get, 3));
  const CommandSpec& set = *FindCommand("set");
  EXPECT_FALSE(ArityMatches(set, 2));
  EXPECT_TRUE(ArityMatches(set, 3));
  EXPECT_TRUE(ArityMatches(set, 100));
  const CommandSpec& ping = *FindCommand("ping");
  EXPECT_TRUE(ArityMatches(ping, 1));
  EXPECT_TRUE(ArityMatches(ping, 3));  // PING itself rejects this
}

}  // namespace
}  // namespace shardd::kv
