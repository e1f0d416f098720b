// LCS: the subsequence, LEN, IDX (with MINMATCHLEN and WITHMATCHLEN), its
// errors and its limit on the table's memory. Expected bytes are those
// redis-server 7.0.15 replied.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotStrings =
    "-ERR The specified keys must contain string values\r\n";
constexpr std::string_view kTooBig =
    "-ERR Insufficient memory, transient memory for LCS exceeds "
    "proto-max-bulk-len\r\n";

// The command run as HandlerRunner runs it, but answered in RESP3.
std::string RunResp3(HandlerRunner& run,
                     const std::vector<std::string_view>& args) {
  std::string out;
  resp::ReplyWriter reply(&out, resp::Protocol::kResp3);
  const CommandSpec* spec = FindCommand(args.at(0));
  if (spec == nullptr || spec->handler == nullptr) {
    ADD_FAILURE() << "no handler for " << args[0];
    return out;
  }
  CommandContext ctx{run.store, reply, CommandArgs(args), run.now_ms};
  ctx.random = &run.random;
  spec->handler(ctx);
  return out;
}

// Redis's documented example: "ohmytext" and "mynewtext".
void SetExample(HandlerRunner& run) {
  run({"set", "a", "ohmytext"});
  run({"set", "b", "mynewtext"});
}

TEST(LcsCommandTest, RepliesSubsequenceAndLength) {
  HandlerRunner run;
  SetExample(run);
  EXPECT_EQ(run({"lcs", "a", "b"}), "$6\r\nmytext\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "len"}), ":6\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "LEN"}), ":6\r\n");
  // The same key twice: the whole string.
  EXPECT_EQ(run({"lcs", "a", "a"}), "$8\r\nohmytext\r\n");
  // WITHMATCHLEN and MINMATCHLEN change nothing without IDX.
  EXPECT_EQ(run({"lcs", "a", "b", "withmatchlen"}), "$6\r\nmytext\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "LEN", "minmatchlen", "5", "withmatchlen"}),
            ":6\r\n");
}

TEST(LcsCommandTest, IdxListsMatchesFromTheEnd) {
  HandlerRunner run;
  SetExample(run);
  EXPECT_EQ(run({"lcs", "a", "b", "idx"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n"
            "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
            "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
            "$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n"
            "*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n"
            "$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(run({"lcs", "a", "a", "idx", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n"
            "*3\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n:8\r\n"
            "$3\r\nlen\r\n:8\r\n");
}

TEST(LcsCommandTest, MinMatchLenFiltersShortMatches) {
  HandlerRunner run;
  SetExample(run);
  const std::string only_long =
      "*4\r\n$7\r\nmatches\r\n*1\r\n"
      "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
      "$3\r\nlen\r\n:6\r\n";
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "minmatchlen", "4"}), only_long);
  EXPECT_EQ(run({"lcs", "a", "b", "IdX", "MinMatchLen", "4", "WithMatchLen"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n"
            "*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            "$3\r\nlen\r\n:6\r\n");
  // The last MINMATCHLEN counts; "len" is still the whole LCS's.
  EXPECT_EQ(
      run({"lcs", "a", "b", "minmatchlen", "1", "minmatchlen", "5", "idx"}),
      "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "minmatchlen", "9223372036854775807"}),
            "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n");
  // Zero and negative minimums keep every match.
  const std::string all =
      "*4\r\n$7\r\nmatches\r\n*2\r\n"
      "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
      "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
      "$3\r\nlen\r\n:6\r\n";
  EXPECT_EQ(run({"lcs", "a", "b", "minmatchlen", "0", "idx"}), all);
  EXPECT_EQ(run({"lcs", "a", "b", "minmatchlen", "-5", "idx"}), all);
}

TEST(LcsCommandTest, TiesAreBrokenAsRedisBreaksThem) {
  HandlerRunner run;
  run({"set", "x", "abcabc"});
  run({"set", "y", "cbacba"});
  EXPECT_EQ(run({"lcs", "x", "y"}), "$3\r\ncbc\r\n");
  EXPECT_EQ(run({"lcs", "x", "y", "idx", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*3\r\n"
            "*3\r\n*2\r\n:5\r\n:5\r\n*2\r\n:3\r\n:3\r\n:1\r\n"
            "*3\r\n*2\r\n:4\r\n:4\r\n*2\r\n:1\r\n:1\r\n:1\r\n"
            "*3\r\n*2\r\n:2\r\n:2\r\n*2\r\n:0\r\n:0\r\n:1\r\n"
            "$3\r\nlen\r\n:3\r\n");

  run({"set", "x", "abab"});
  run({"set", "y", "baba"});
  EXPECT_EQ(run({"lcs", "x", "y"}), "$3\r\nbab\r\n");
  EXPECT_EQ(run({"lcs", "x", "y", "idx", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n"
            "*3\r\n*2\r\n:1\r\n:3\r\n*2\r\n:0\r\n:2\r\n:3\r\n"
            "$3\r\nlen\r\n:3\r\n");

  run({"set", "x", "aaa"});
  run({"set", "y", "aa"});
  EXPECT_EQ(run({"lcs", "x", "y"}), "$2\r\naa\r\n");
  EXPECT_EQ(run({"lcs", "x", "y", "idx", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n"
            "*3\r\n*2\r\n:1\r\n:2\r\n*2\r\n:0\r\n:1\r\n:2\r\n"
            "$3\r\nlen\r\n:2\r\n");
}

TEST(LcsCommandTest, BinaryValues) {
  HandlerRunner run;
  const std::string p("x\0y\0z", 5);
  const std::string q("\0\0z", 3);
  run({"set", "p", p});
  run({"set", "q", q});
  EXPECT_EQ(run({"lcs", "p", "q"}), std::string("$3\r\n\0\0z\r\n", 9));
  EXPECT_EQ(run({"lcs", "p", "q", "idx"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n"
            "*2\r\n*2\r\n:3\r\n:4\r\n*2\r\n:1\r\n:2\r\n"
            "*2\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n"
            "$3\r\nlen\r\n:3\r\n");
}

TEST(LcsCommandTest, MissingKeysAreEmptyStrings) {
  HandlerRunner run;
  EXPECT_EQ(run({"lcs", "none1", "none2"}), "$0\r\n\r\n");
  EXPECT_EQ(run({"lcs", "none1", "none2", "idx"}),
            "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  EXPECT_EQ(run({"lcs", "none1", "none2", "len"}), ":0\r\n");
  SetExample(run);
  EXPECT_EQ(run({"lcs", "a", "none", "len"}), ":0\r\n");
  EXPECT_EQ(run({"lcs", "none", "a"}), "$0\r\n\r\n");
  run({"set", "empty", ""});
  EXPECT_EQ(run({"lcs", "empty", "a", "idx"}),
            "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  // An expired key is a missing one.
  run({"set", "short", "mytext", "px", "100"});
  EXPECT_EQ(run({"lcs", "short", "b"}), "$6\r\nmytext\r\n");
  run.now_ms += 200;
  EXPECT_EQ(run({"lcs", "short", "b"}), "$0\r\n\r\n");
}

TEST(LcsCommandTest, KeysOfAnotherTypeFailBeforeOptions) {
  HandlerRunner run;
  SetExample(run);
  run({"rpush", "l", "x"});
  EXPECT_EQ(run({"lcs", "a", "l"}), kNotStrings);
  EXPECT_EQ(run({"lcs", "l", "a"}), kNotStrings);
  EXPECT_EQ(run({"lcs", "l", "none", "len"}), kNotStrings);
  EXPECT_EQ(run({"lcs", "l", "a", "foo"}), kNotStrings);
  EXPECT_EQ(run({"lcs", "a", "l", "len", "idx"}), kNotStrings);
}

TEST(LcsCommandTest, OptionErrors) {
  HandlerRunner run;
  SetExample(run);
  const std::string both =
      "-ERR If you want both the length and indexes, please just use "
      "IDX.\r\n";
  EXPECT_EQ(run({"lcs", "a", "b", "len", "idx"}), both);
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "idx", "len"}), both);
  EXPECT_EQ(run({"lcs", "a", "b", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "foo"}), "-ERR syntax error\r\n");
  // MINMATCHLEN without its value is an unknown option.
  EXPECT_EQ(run({"lcs", "a", "b", "minmatchlen"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "minmatchlen", "abc", "idx"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lcs", "a", "b", "idx", "minmatchlen", "9223372036854775808"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"lcs"}),
            "-ERR wrong number of arguments for 'lcs' command\r\n");
  EXPECT_EQ(run({"lcs", "a"}),
            "-ERR wrong number of arguments for 'lcs' command\r\n");
}

TEST(LcsCommandTest, RefusesTablesOverTheStringLimit) {
  HandlerRunner run;
  // Two 20000-byte strings need 20001 * 20001 * 4 bytes, about 1.6 GB.
  std::string big1(20000, '\0');
  big1.back() = 'x';
  std::string big2(20000, '\0');
  big2.back() = 'y';
  run({"set", "big1", big1});
  run({"set", "big2", big2});
  EXPECT_EQ(run({"lcs", "big1", "big2"}), kTooBig);
  EXPECT_EQ(run({"lcs", "big1", "big2", "len"}), kTooBig);
  EXPECT_EQ(run({"lcs", "big1", "big2", "idx"}), kTooBig);
  // The options are checked first.
  EXPECT_EQ(run({"lcs", "big1", "big2", "len", "idx"}),
            "-ERR If you want both the length and indexes, please just use "
            "IDX.\r\n");
  EXPECT_EQ(run({"lcs", "big1", "big2", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"lcs", "big1", "big2", "minmatchlen", "x"}),
            "-ERR value is not an integer or out of range\r\n");

  // Just over: 8192 * 16385 cells of 4 bytes (exactly 8192 * 16384 fit).
  static_assert(8192ull * 16384 * 4 == kMaxStringBytes);
  run({"set", "s8191", std::string(8191, 'a')});
  run({"set", "s16384", std::string(16384, 'a')});
  EXPECT_EQ(run({"lcs", "s8191", "s16384", "len"}), kTooBig);
  EXPECT_EQ(run({"lcs", "s16384", "s8191"}), kTooBig);

  // A long string against a short or missing one is a small table.
  run({"set", "a", "ohmytext"});
  EXPECT_EQ(run({"lcs", "big1", "a"}), "$1\r\nx\r\n");
  EXPECT_EQ(run({"lcs", "big1", "none", "len"}), ":0\r\n");
}

TEST(LcsCommandTest, Resp3RepliesAMap) {
  HandlerRunner run;
  SetExample(run);
  EXPECT_EQ(RunResp3(run, {"lcs", "a", "b", "idx", "withmatchlen",
                           "minmatchlen", "3"}),
            "%2\r\n$7\r\nmatches\r\n*1\r\n"
            "*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            "$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(RunResp3(run, {"lcs", "none1", "none2", "idx"}),
            "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  EXPECT_EQ(RunResp3(run, {"lcs", "a", "b", "len"}), ":6\r\n");
  EXPECT_EQ(RunResp3(run, {"lcs", "a", "b"}), "$6\r\nmytext\r\n");
}

TEST(LcsCommandTest, DeclaredAsReadonlyOverBothKeys) {
  const CommandSpec* spec = FindCommand("lcs");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->arity, -3);
  EXPECT_EQ(spec->flags, kReadonly);
  const std::vector<std::string_view> args = {"lcs", "k1",          "k2",
                                              "idx", "minmatchlen", "2"};
  std::vector<size_t> positions;
  FindKeyPositions(*spec, CommandArgs(args), &positions);
  EXPECT_EQ(positions, (std::vector<size_t>{1, 2}));
}

}  // namespace
}  // namespace shardd::kv
