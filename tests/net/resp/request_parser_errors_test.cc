// Protocol errors and limits of the request parser. The expected texts were
// checked against redis-server 7.0.15.
#include <string>

#include "gtest/gtest.h"
#include "net/resp/request_parser.h"
#include "tests/net/resp/parse_helpers.h"

namespace shardd::resp {
namespace {

using ::testing::TestWithParam;
using ::testing::Values;

struct ErrorCase {
  std::string input;
  std::string error;
};

class ProtocolErrorTest : public TestWithParam<ErrorCase> {};

TEST_P(ProtocolErrorTest, ReportsRedisErrorText) {
  const Parsed p = Parse(GetParam().input);
  EXPECT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.error, GetParam().error);
  EXPECT_EQ(p.consumed, 0u);
}

constexpr char kInvalidMultibulk[] =
    "ERR Protocol error: invalid multibulk length";
constexpr char kInvalidBulk[] = "ERR Protocol error: invalid bulk length";
constexpr char kUnbalanced[] =
    "ERR Protocol error: unbalanced quotes in request";

INSTANTIATE_TEST_SUITE_P(
    Errors, ProtocolErrorTest,
    Values(
        ErrorCase{"*abc\r\n", kInvalidMultibulk},
        ErrorCase{"*\r\n", kInvalidMultibulk},
        ErrorCase{"*01\r\n", kInvalidMultibulk},
        ErrorCase{"*+1\r\n", kInvalidMultibulk},
        ErrorCase{"*-0\r\n", kInvalidMultibulk},
        ErrorCase{"* 1\r\n", kInvalidMultibulk},
        ErrorCase{"*99999999999999999999\r\n", kInvalidMultibulk},
        ErrorCase{"*1\r\n$-1\r\n", kInvalidBulk},
        ErrorCase{"*1\r\n$\r\n", kInvalidBulk},
        ErrorCase{"*1\r\n$01\r\n", kInvalidBulk},
        ErrorCase{"*1\r\n$3x\r\n", kInvalidBulk},
        ErrorCase{"*1\r\n$600000000\r\n", kInvalidBulk},
        // 18 digits are read on the fast path, 19 on the general one; both
        // end in the same limit check.
        ErrorCase{"*1\r\n$999999999999999999\r\n", kInvalidBulk},
        ErrorCase{"*1\r\n$1000000000000000000\r\n", kInvalidBulk},
        ErrorCase{"*100000000000000000\r\n", kInvalidMultibulk},
        ErrorCase{"*1000000000000000000\r\n", kInvalidMultibulk},
        ErrorCase{"*1\r\n$00\r\n", kInvalidBulk},
        ErrorCase{"*2\r\n$1\r\na\r\n$x\r\n", kInvalidBulk},
        ErrorCase{"*1\r\nX\r\n", "ERR Protocol error: expected '$', got 'X'"},
        ErrorCase{"*1\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'"},
        ErrorCase{"*1\r\n\r\n", "ERR Protocol error: expected '$', got ' '"},
        ErrorCase{"*1\r\n\n\r\n", "ERR Protocol error: expected '$', got ' '"},
        ErrorCase{"\"abc\r\n", kUnbalanced}, ErrorCase{"'abc\r\n", kUnbalanced},
        ErrorCase{"ECHO \"a\"b\r\n", kUnbalanced},
        ErrorCase{"ECHO 'a'b\r\n", kUnbalanced},
        ErrorCase{"ECHO \"a\\\"\r\n", kUnbalanced},
        ErrorCase{"ECHO \"a\\\r\n", kUnbalanced},
        ErrorCase{"ECHO 'a\\'\r\n", kUnbalanced}));

TEST(RequestParserErrorTest, ExpectedDollarNamesEveryOffendingByte) {
  for (int byte = 0; byte < 256; ++byte) {
    if (byte == '$' || byte == '\r') continue;
    const char got = static_cast<char>(byte);
    const Parsed p = Parse(std::string("*1\r\n") + got + "\r\n");
    ASSERT_EQ(p.status, ParseStatus::kError) << byte;
    const char shown = byte == '\n' ? ' ' : got;
    EXPECT_EQ(p.error, std::string("ERR Protocol error: expected '$', got '") +
                           shown + "'")
        << byte;
  }
}

TEST(RequestParserErrorTest, ErrorTextOutlivesInputAndLaterCalls) {
  std::vector<std::string_view> args;
  std::string scratch;
  std::string input = "*1\r\nA\r\n";
  const std::string_view first = ParseRequest(input, {}, &args, &scratch).error;
  input = "*1\r\nB\r\n";
  ParseRequest(input, {}, &args, &scratch);
  input.clear();
  EXPECT_EQ(first, "ERR Protocol error: expected '$', got 'A'");
}

TEST(RequestParserErrorTest, WaitsForWholeLineBeforeJudgingIt) {
  // Redis judges a header only once its line is complete.
  EXPECT_EQ(Parse("*1\r\nX").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*1\r\nX\r").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*abc").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*1\r\n$-1").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("\"abc").status, ParseStatus::kIncomplete);
}

TEST(ParseLimitsTest, BulkLengthAboveLimitIsInvalid) {
  const ParseLimits limits{.max_bulk_bytes = 4};
  EXPECT_EQ(Parse("*1\r\n$4\r\nPING\r\n", limits).status,
            ParseStatus::kComplete);
  const Parsed p = Parse("*1\r\n$5\r\n", limits);
  EXPECT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.error, kInvalidBulk);
}

TEST(ParseLimitsTest, ArgumentCountAboveLimitIsInvalid) {
  const ParseLimits limits{.max_args = 2};
  EXPECT_EQ(Parse("*2\r\n$1\r\na\r\n$1\r\nb\r\n", limits).status,
            ParseStatus::kComplete);
  const Parsed p = Parse("*3\r\n", limits);
  EXPECT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.error, kInvalidMultibulk);
}

TEST(ParseLimitsTest, DefaultLimitsMatchRedis) {
  EXPECT_EQ(Parse("*1048576\r\n").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*1048577\r\n").error, kInvalidMultibulk);
  EXPECT_EQ(Parse("*1\r\n$536870912\r\n").status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*1\r\n$536870913\r\n").error, kInvalidBulk);
}

TEST(ParseLimitsTest, InlineLineAboveLimitIsTooBig) {
  const ParseLimits limits{.max_inline_bytes = 8};
  EXPECT_EQ(Parse("12345678", limits).status, ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("12345678\n", limits).status, ParseStatus::kComplete);
  EXPECT_EQ(Parse("1234567\r\n", limits).status, ParseStatus::kComplete);
  for (const std::string input : {"123456789", "123456789\n", "12345678\r\n"}) {
    const Parsed p = Parse(input, limits);
    EXPECT_EQ(p.status, ParseStatus::kError) << input;
    EXPECT_EQ(p.error, "ERR Protocol error: too big inline request") << input;
  }
}

TEST(ParseLimitsTest, DefaultInlineLimitIs64KiB) {
  EXPECT_EQ(Parse(std::string(64 * 1024, 'x')).status,
            ParseStatus::kIncomplete);
  EXPECT_EQ(Parse(std::string(64 * 1024 + 1, 'x')).error,
            "ERR Protocol error: too big inline request");
}

TEST(ParseLimitsTest, HeaderLineAbove64KiBIsTooBig) {
  const size_t kLimit = 64 * 1024;
  EXPECT_EQ(Parse("*" + std::string(kLimit - 1, '1')).status,
            ParseStatus::kIncomplete);
  EXPECT_EQ(Parse("*" + std::string(kLimit, '1')).error,
            "ERR Protocol error: too big mbulk count string");
  const std::string header = "*1\r\n";
  EXPECT_EQ(Parse(header + "$" + std::string(kLimit - 1, '1')).status,
            ParseStatus::kIncomplete);
  EXPECT_EQ(Parse(header + "$" + std::string(kLimit, '1')).error,
            "ERR Protocol error: too big bulk count string");
  // The header limit is Redis's constant, not the tunable inline limit.
  const ParseLimits small_inline{.max_inline_bytes = 8};
  EXPECT_EQ(Parse("*1" + std::string(20, ' '), small_inline).status,
            ParseStatus::kIncomplete);
}

TEST(ParseLimitsTest, LongHeaderLineEndingInCrIsInvalid) {
  // A '\r' inside the window makes it a complete, but unparsable, line.
  EXPECT_EQ(Parse("*" + std::string(1000, '1') + "\r\n").error,
            kInvalidMultibulk);
}

}  // namespace
}  // namespace shardd::resp
