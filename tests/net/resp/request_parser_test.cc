#include "net/resp/request_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/net/resp/parse_helpers.h"

namespace shardd::resp {
namespace {

using Args = std::vector<std::string>;
using std::string_literals::operator""s;
using ::testing::TestWithParam;
using ::testing::Values;

TEST(RequestParserTest, ParsesMultibulkCommand) {
  const std::string input = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  const Parsed p = Parse(input);
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, input.size());
  EXPECT_EQ(p.args, (Args{"SET", "key", "value"}));
}

TEST(RequestParserTest, ParsesEmptyBulkArgument) {
  const Parsed p = Parse("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.args, (Args{"ECHO", ""}));
}

TEST(RequestParserTest, ParsesInlineCommand) {
  const Parsed p = Parse("SET  key\tvalue\r\n");
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, 16u);
  EXPECT_EQ(p.args, (Args{"SET", "key", "value"}));
}

TEST(RequestParserTest, InlineLineMayEndInBareNewline) {
  const Parsed p = Parse("PING\nPING\n");
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, 5u);
  EXPECT_EQ(p.args, (Args{"PING"}));
}

TEST(RequestParserTest, EmptyMultibulkIsSkipped) {
  for (const std::string input : {"*0\r\n", "*-1\r\n", "*-5\r\n"}) {
    const Parsed p = Parse(input + "PING\r\n");
    EXPECT_EQ(p.status, ParseStatus::kEmpty) << input;
    EXPECT_EQ(p.consumed, input.size()) << input;
    EXPECT_TRUE(p.args.empty());
  }
}

TEST(RequestParserTest, BlankInlineLineIsSkipped) {
  for (const std::string input : {"\r\n", "\n", " \t \r\n", "\v\f\n"}) {
    const Parsed p = Parse(input + "PING\r\n");
    EXPECT_EQ(p.status, ParseStatus::kEmpty);
    EXPECT_EQ(p.consumed, input.size());
  }
}

TEST(RequestParserTest, EmptyInputIsIncomplete) {
  EXPECT_EQ(Parse("").status, ParseStatus::kIncomplete);
}

TEST(RequestParserTest, BulkValuesAreBinarySafe) {
  const std::string value = "a\r\nb\0c*1\r\n$3\r\n\0"s;
  const std::string input = "*2\r\n$4\r\nECHO\r\n$" +
                            std::to_string(value.size()) + "\r\n" + value +
                            "\r\n";
  const Parsed p = Parse(input);
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, input.size());
  EXPECT_EQ(p.args, (Args{"ECHO", value}));
}

TEST(RequestParserTest, BulkArgumentsPointIntoInput) {
  const std::string input = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  std::vector<std::string_view> args;
  std::string scratch;
  ParseRequest(input, {}, &args, &scratch);
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].data(), input.data() + 8);
  EXPECT_EQ(args[1].data(), input.data() + 17);
}

TEST(RequestParserTest, ClearsArgumentsOfPreviousCall) {
  std::vector<std::string_view> args = {"stale"};
  std::string scratch = "stale";
  ParseResult r = ParseRequest("\"a\" b\r\n", {}, &args, &scratch);
  EXPECT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(args, (std::vector<std::string_view>{"a", "b"}));
  r = ParseRequest("*1\r\n$3\r\nGE", {}, &args, &scratch);
  EXPECT_EQ(r.status, ParseStatus::kIncomplete);
  EXPECT_TRUE(args.empty());
}

// Like Redis, the byte after a header's '\r' and the two bytes after a bulk
// payload are skipped unchecked; a client that frames correctly never notices.
TEST(RequestParserTest, SkipsTerminatorBytesUncheckedLikeRedis) {
  const Parsed p = Parse("*1\rX$4\r\nPINGAB");
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, 14u);
  EXPECT_EQ(p.args, (Args{"PING"}));
}

TEST(RequestParserTest, WaitsForCrlfAfterPayload) {
  EXPECT_EQ(Parse("*1\r\n$4\r\nPING").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*1\r\n$4\r\nPING\r").status, ParseStatus::kIncomplete);
}

class IncrementalTest : public TestWithParam<std::string> {};

TEST_P(IncrementalTest, FedByteByByteIsIncompleteUntilLastByte) {
  const std::string& request = GetParam();
  for (size_t n = 0; n < request.size(); ++n) {
    EXPECT_EQ(Parse(request.substr(0, n)).status, ParseStatus::kIncomplete)
        << "prefix of " << n << " bytes";
  }
  const Parsed p = Parse(request);
  EXPECT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, request.size());
}

TEST_P(IncrementalTest, SplitAtEveryOffsetYieldsSameCommand) {
  const std::string pipeline = GetParam() + GetParam();
  std::string whole = pipeline;
  const auto expected = ParseAll(&whole);
  ASSERT_EQ(expected.size(), 2u);
  for (size_t split = 0; split <= pipeline.size(); ++split) {
    std::string buffer = pipeline.substr(0, split);
    auto commands = ParseAll(&buffer);
    buffer += pipeline.substr(split);
    const auto rest = ParseAll(&buffer);
    commands.insert(commands.end(), rest.begin(), rest.end());
    EXPECT_EQ(commands, expected) << "split at " << split;
    EXPECT_TRUE(buffer.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Requests, IncrementalTest,
    Values("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$12\r\nhello\r\nworld\r\n",
           "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
           "*1\r\n$13\r\n" + "\0\0\r\n*\r\n$1\r\n\0\0"s + "\r\n",
           "SET key \"a b\\x41\" 'it\\'s'\r\n", "PING\n"));

TEST(RequestParserTest, PipelineOfSeveralRequestsParsesInOrder) {
  std::string input =
      "*1\r\n$4\r\nPING\r\n"
      "\r\n"
      "ECHO \"hi there\"\n"
      "*0\r\n"
      "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
      "  \r\n"
      "DEL a b c\r\n"
      "*1\r\n$4\r\nPI";
  EXPECT_EQ(ParseAll(&input), (std::vector<Args>{{"PING"},
                                                 {"ECHO", "hi there"},
                                                 {"GET", "k"},
                                                 {"DEL", "a", "b", "c"}}));
  EXPECT_EQ(input, "*1\r\n$4\r\nPI");
}

struct InlineCase {
  std::string line;
  Args args;
};

class InlineQuotingTest : public TestWithParam<InlineCase> {};

TEST_P(InlineQuotingTest, SplitsLikeRedis) {
  const Parsed p = Parse(GetParam().line + "\r\n");
  ASSERT_EQ(p.status, ParseStatus::kComplete) << p.error;
  EXPECT_EQ(p.args, GetParam().args);
}

INSTANTIATE_TEST_SUITE_P(
    Quoting, InlineQuotingTest,
    Values(InlineCase{R"(SET k "a b")", {"SET", "k", "a b"}},
           InlineCase{R"("\n\r\t\b\a\\\"")", {"\n\r\t\b\a\\\""}},
           InlineCase{R"("\x41\x4a\x6b" "\x4" "\xzz")", {"AJk", "x4", "xzz"}},
           InlineCase{R"("\x00")", {"\0"s}}, InlineCase{R"("\q")", {"q"}},
           InlineCase{R"('it\'s' '\n' 'a"b')", {"it's", "\\n", "a\"b"}},
           InlineCase{R"(a"b c"  d'e f')", {"ab c", "de f"}},
           InlineCase{R"("" '')", {"", ""}}, InlineCase{"\"a\"\tb", {"a", "b"}},
           InlineCase{"a\rb", {"a", "b"}},
           InlineCase{"a\vb \fc", {"a\vb", "c"}}));

TEST(RequestParserTest, QuotedArgumentsSurviveLaterArguments) {
  // The views into scratch must stay valid while later arguments are added.
  std::string line;
  Args expected;
  for (int i = 0; i < 100; ++i) {
    line += " \"arg" + std::to_string(i) + "\"";
    expected.push_back("arg" + std::to_string(i));
  }
  const Parsed p = Parse(line + "\n");
  EXPECT_EQ(p.args, expected);
}

}  // namespace
}  // namespace shardd::resp

namespace shardd::resp {
namespace {

// `needed` never overshoots: waiting for that many bytes before parsing again
// can never starve a request that would complete sooner.
TEST(RequestParserTest, NeededIsALowerBoundOfTheRequestLength) {
  std::string request = "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n0123456789\r\n";
  request += "$0\r\n\r\n";
  std::vector<std::string_view> args;
  std::string scratch;
  for (size_t n = 0; n < request.size(); ++n) {
    const ParseResult r =
        ParseRequest(std::string_view(request).substr(0, n), ParseLimits(),
                     &args, &scratch);
    ASSERT_EQ(r.status, ParseStatus::kIncomplete) << n;
    EXPECT_LE(r.needed, request.size()) << n;
    if (r.needed != 0) {
      EXPECT_GT(r.needed, n) << n;
    }
  }
  EXPECT_EQ(ParseRequest(request, ParseLimits(), &args, &scratch).status,
            ParseStatus::kComplete);
}

// Many arguments arriving in pieces: the hint grows with what is known, so a
// caller re-parses a number of times independent of the piece size.
TEST(RequestParserTest, NeededAccountsForArgumentsStillToCome) {
  std::string request = "*1000\r\n";
  for (int i = 0; i < 1000; ++i) request += "$3\r\nabc\r\n";
  std::vector<std::string_view> args;
  std::string scratch;
  const ParseResult r = ParseRequest(std::string_view(request).substr(0, 100),
                                     ParseLimits(), &args, &scratch);
  ASSERT_EQ(r.status, ParseStatus::kIncomplete);
  EXPECT_GE(r.needed, 1000u * 6);
  EXPECT_LE(r.needed, request.size());
}

}  // namespace
}  // namespace shardd::resp
