// redis-cli, the real one, as a client of shardd: one-shot commands in raw
// and formatted output, an interactive session fed through stdin, -x and -r.
// The expected texts are what redis-cli 7.0 prints against redis-server 7.0.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class RedisCliTest : public ShardServerTest {
 protected:
  // Runs redis-cli against the server with `args` and returns its stdout,
  // after checking it succeeded and printed nothing on stderr.
  std::string Cli(const std::vector<std::string>& args,
                  std::string_view stdin_text = {}) {
    std::vector<std::string> argv = {"redis-cli", "-h", "127.0.0.1", "-p",
                                     absl::StrCat(port())};
    argv.insert(argv.end(), args.begin(), args.end());
    const ProgramResult result = RunProgram(argv, stdin_text);
    EXPECT_EQ(result.exit_code, 0) << "redis-cli " << Describe(args);
    EXPECT_EQ(result.stderr_text, "") << "redis-cli " << Describe(args);
    return result.stdout_text;
  }

  static std::string Describe(const std::vector<std::string>& args) {
    std::string text;
    for (const std::string& arg : args) absl::StrAppend(&text, arg, " ");
    return text;
  }

  // (arguments, expected stdout) pairs, run in order.
  void ExpectOutputs(
      const std::vector<std::pair<std::vector<std::string>, std::string>>&
          steps) {
    for (const auto& [args, expected] : steps) {
      EXPECT_EQ(Printable(Cli(args)), Printable(expected))
          << "redis-cli " << Describe(args);
    }
  }
};

// With stdout not a terminal, redis-cli prints replies raw: values as they
// are, nil as an empty line, arrays one element per line.
TEST_F(RedisCliTest, OneShotCommandsPrintRawReplies) {
  ExpectOutputs({
      {{"PING"}, "PONG\n"},
      {{"ECHO", "hi there"}, "hi there\n"},
      {{"SET", "greeting", "hello"}, "OK\n"},
      {{"GET", "greeting"}, "hello\n"},
      {{"GET", "missing"}, "\n"},
      {{"APPEND", "greeting", " world"}, "11\n"},
      {{"STRLEN", "greeting"}, "11\n"},
      {{"MSET", "a", "1", "b", "2", "{tag}c", "3"}, "OK\n"},
      {{"MGET", "a", "missing", "b", "{tag}c"}, "1\n\n2\n3\n"},
      {{"INCR", "a"}, "2\n"},
      {{"INCRBY", "b", "40"}, "42\n"},
      {{"DECR", "a"}, "1\n"},
      {{"DECRBY", "a", "5"}, "-4\n"},
      {{"EXISTS", "a", "b", "missing", "a"}, "3\n"},
      {{"SETNX", "a", "x"}, "0\n"},
      {{"GETSET", "a", "7"}, "-4\n"},
      {{"EXPIRE", "a", "1000"}, "1\n"},
      {{"PERSIST", "a"}, "1\n"},
      {{"TTL", "a"}, "-1\n"},
      {{"TTL", "missing"}, "-2\n"},
      {{"DBSIZE"}, "4\n"},
      {{"DEL", "a", "b", "greeting", "missing"}, "3\n"},
      {{"DBSIZE"}, "1\n"},
      {{"FLUSHALL"}, "OK\n"},
      {{"DBSIZE"}, "0\n"},
  });
}

TEST_F(RedisCliTest, TtlCountsDownFromExpire) {
  ASSERT_EQ(Cli({"SET", "session", "data", "EX", "100"}), "OK\n");
  const std::string ttl = Cli({"TTL", "session"});
  const std::optional<int64_t> seconds =
      ParseInt64(std::string_view(ttl).substr(0, ttl.size() - 1));
  ASSERT_TRUE(seconds.has_value()) << Printable(ttl);
  // Two redis-cli start-ups apart: allow for a slow machine.
  EXPECT_GE(*seconds, 90);
  EXPECT_LE(*seconds, 100);
}

// Raw mode prints an error reply's text followed by an empty line.
TEST_F(RedisCliTest, OneShotErrorsAreShownRaw) {
  ExpectOutputs({
      {{"SET", "word", "abc"}, "OK\n"},
      {{"INCR", "word"}, "ERR value is not an integer or out of range\n\n"},
      {{"GET"}, "ERR wrong number of arguments for 'get' command\n\n"},
  });
}

TEST_F(RedisCliTest, NoRawFormatsRepliesByType) {
  ExpectOutputs({
      {{"--no-raw", "SET", "n", "10"}, "OK\n"},
      {{"--no-raw", "GET", "n"}, "\"10\"\n"},
      {{"--no-raw", "GET", "missing"}, "(nil)\n"},
      {{"--no-raw", "INCR", "n"}, "(integer) 11\n"},
      {{"--no-raw", "MGET", "n", "missing"}, "1) \"11\"\n2) (nil)\n"},
      {{"--no-raw", "SET", "n", "x", "NX", "XX"}, "(error) ERR syntax error\n"},
      {{"--no-raw", "NOSUCHCOMMAND", "x"},
       "(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning "
       "with: 'x' \n"},
  });
}

// Without command arguments redis-cli reads commands line by line from
// stdin, as in an interactive session.
TEST_F(RedisCliTest, InteractiveSessionFromStdin) {
  const std::string session =
      "SET counter 41\n"
      "INCR counter\n"
      "GET counter\n"
      "MSET {u}:name ann {u}:city oslo other 1\n"
      "MGET {u}:name {u}:city other missing\n"
      "SET counter hello XX GET\n"
      "INCR counter\n"
      "DEL counter other\n"
      "EXISTS counter\n"
      "PING\n";
  const std::string expected =
      "OK\n"
      "(integer) 42\n"
      "\"42\"\n"
      "OK\n"
      "1) \"ann\"\n2) \"oslo\"\n3) \"1\"\n4) (nil)\n"
      "\"42\"\n"
      "(error) ERR value is not an integer or out of range\n"
      "(integer) 2\n"
      "(integer) 0\n"
      "PONG\n";
  EXPECT_EQ(Printable(Cli({"--no-raw"}, session)), Printable(expected));
}

TEST_F(RedisCliTest, DashXTakesLastArgumentFromStdin) {
  EXPECT_EQ(Cli({"-x", "SET", "note"}, "line one\nline two"), "OK\n");
  EXPECT_EQ(Cli({"STRLEN", "note"}), "17\n");
  EXPECT_EQ(Cli({"GET", "note"}), "line one\nline two\n");
}

TEST_F(RedisCliTest, DashRRepeatsCommand) {
  EXPECT_EQ(Cli({"-r", "5", "INCR", "hits"}), "1\n2\n3\n4\n5\n");
  EXPECT_EQ(Cli({"GET", "hits"}), "5\n");
}

}  // namespace
}  // namespace shardd::integration
