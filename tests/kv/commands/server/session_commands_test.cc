// COMMAND and CONFIG GET, the server family's session handlers, against a
// FakeServer. Expected bytes are what redis-server 7.0 replies, except that
// COMMAND INFO leaves ACL categories, tips, key specs and subcommands empty.
// INFO is not run here: its handler is a Task, which only a coroutine can
// drive (shard/task.h).
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/kv/commands/command_table.h"
#include "tests/kv/session_runner.h"

namespace shardd::kv {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

TEST(CommandCommandTest, CountIsTheTableSize) {
  SessionRunner run;
  ASSERT_GT(AllCommands().size(), 1u);
  const std::string count = absl::StrCat(":", AllCommands().size(), "\r\n");
  EXPECT_EQ(run({"command", "count"}), count);
  EXPECT_EQ(run({"COMMAND", "COUNT"}), count);
  // COUNT takes nothing more: the extra argument makes it unknown.
  EXPECT_EQ(run({"command", "COUNT", "x"}),
            "-ERR unknown subcommand 'COUNT'. Try COMMAND HELP.\r\n");
}

TEST(CommandCommandTest, InfoDescribesARow) {
  SessionRunner run;
  const std::string get = run({"command", "info", "get"});
  EXPECT_TRUE(StartsWith(get, "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n")) << get;
  EXPECT_TRUE(Contains(get, "+readonly\r\n")) << get;
  EXPECT_TRUE(Contains(get, "+fast\r\n")) << get;
  EXPECT_FALSE(Contains(get, "+write\r\n")) << get;
  // One key, at 1; Redis's categories; no tips; one key spec; no
  // subcommands (the integration tests compare every command with Redis).
  EXPECT_TRUE(Contains(get,
                       ":1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n"
                       "+@fast\r\n*0\r\n*1\r\n"))
      << get;
  EXPECT_TRUE(EndsWith(get, "*0\r\n")) << get;
  // Names are found in any case; the reply spells them as the table does.
  EXPECT_EQ(run({"COMMAND", "INFO", "GET"}), get);
}

TEST(CommandCommandTest, InfoOfAnUnknownNameIsNull) {
  SessionRunner run;
  // As redis-server 7.0.15 answers.
  EXPECT_EQ(run({"command", "info", "nosuch"}), "*1\r\n$-1\r\n");
  // Without names: every command.
  EXPECT_EQ(run({"command", "info"}), run({"command"}));
  const std::string both = run({"command", "info", "get", "nosuch"});
  EXPECT_TRUE(StartsWith(both, "*2\r\n*10\r\n$3\r\nget\r\n")) << both;
  EXPECT_TRUE(EndsWith(both, "*0\r\n$-1\r\n")) << both;
}

TEST(CommandCommandTest, ListsEveryCommand) {
  SessionRunner run;
  const std::string all = run({"command"});
  EXPECT_TRUE(StartsWith(
      all, absl::StrCat("*", AllCommands().size(), "\r\n*10\r\n")))
      << all.substr(0, 64);
  for (const CommandSpec* spec : AllCommands()) {
    const std::string name = absl::StrCat("$", spec->name.size(), "\r\n",
                                          std::string(spec->name), "\r\n");
    EXPECT_TRUE(Contains(all, name)) << spec->name;
  }
}

// The table's RESP3 fragments reach a RESP2 client as flat arrays;
// unknown names are left out (the integration test compares with Redis).
TEST(CommandCommandTest, DocsInRespTwoAndOthersAreUnknown) {
  SessionRunner run;
  EXPECT_EQ(run({"command", "docs", "nosuch"}), "*0\r\n");
  const std::string ping = run({"command", "docs", "ping", "nosuch"});
  EXPECT_TRUE(StartsWith(ping, "*2\r\n$4\r\nping\r\n*")) << ping.substr(0, 64);
  EXPECT_FALSE(Contains(ping, "%")) << ping;
  EXPECT_FALSE(Contains(ping, "~")) << ping;
  EXPECT_EQ(run({"command", "FOO"}),
            "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
}

SessionRunner WithConfig() {
  SessionRunner run;
  run.server.config = {{"maxclients", "7"}, {"port", "1234"}};
  return run;
}

TEST(ConfigCommandTest, GetsAParameter) {
  SessionRunner run = WithConfig();
  EXPECT_EQ(run({"config", "get", "maxclients"}),
            "*2\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n");
  EXPECT_EQ(run({"config", "get", "port"}),
            "*2\r\n$4\r\nport\r\n$4\r\n1234\r\n");
  EXPECT_EQ(run({"config", "get", "nosuch"}), "*0\r\n");
}

TEST(ConfigCommandTest, MatchesGlobsWithoutCase) {
  SessionRunner run = WithConfig();
  const std::string both =
      "*4\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n$4\r\nport\r\n$4\r\n1234\r\n";
  EXPECT_EQ(run({"config", "get", "*"}), both);
  EXPECT_EQ(run({"CONFIG", "GET", "MAXCLIENTS"}),
            "*2\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n");
  EXPECT_EQ(run({"config", "get", "max*"}),
            "*2\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n");
  // Several patterns: each parameter once, in the server's order.
  EXPECT_EQ(run({"config", "get", "port", "maxclients"}), both);
  EXPECT_EQ(run({"config", "get", "*", "port"}), both);
}

TEST(ConfigCommandTest, SetPassesPairsToTheServer) {
  SessionRunner run = WithConfig();
  EXPECT_EQ(run({"config", "SET", "timeout", "5"}), "+OK\r\n");
  EXPECT_EQ(run({"config", "get", "timeout"}),
            "*2\r\n$7\r\ntimeout\r\n$1\r\n5\r\n");
  // Pairs only.
  EXPECT_EQ(run({"config", "set", "timeout"}),
            "-ERR wrong number of arguments for 'config|set' command\r\n");
  EXPECT_EQ(run({"config", "set", "timeout", "1", "port"}),
            "-ERR wrong number of arguments for 'config|set' command\r\n");
}

TEST(ConfigCommandTest, Errors) {
  SessionRunner run = WithConfig();
  EXPECT_EQ(run({"config", "NOPE"}),
            "-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n");
  EXPECT_EQ(run({"config", "get"}),
            "-ERR wrong number of arguments for 'config|get' command\r\n");
  EXPECT_EQ(run({"config"}),
            "-ERR wrong number of arguments for 'config' command\r\n");
}

}  // namespace
}  // namespace shardd::kv
