// ParseByteRange: the three forms of a single byte range, clamping, what is
// unsatisfiable (416), and everything answered with the whole file instead
// (other units, several ranges, bad syntax, numbers too long to hold).
#include "shard/files/byte_range.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::files {
namespace {

constexpr uint64_t kMax = UINT64_MAX;

// "first-last" for kRange, else "whole" or "unsatisfiable".
std::string Parse(std::string_view header, uint64_t size) {
  ByteRange range{.first = 12345, .last = 67890};
  switch (ParseByteRange(header, size, &range)) {
    case RangeResult::kWhole:
      return "whole";
    case RangeResult::kUnsatisfiable:
      return "unsatisfiable";
    case RangeResult::kRange:
      EXPECT_LE(range.first, range.last) << header;
      EXPECT_LT(range.last, size) << header;
      return absl::StrCat(range.first, "-", range.last);
  }
  return "unknown result";
}

TEST(ByteRangeTest, FirstAndLast) {
  EXPECT_EQ(Parse("bytes=0-0", 10), "0-0");
  EXPECT_EQ(Parse("bytes=5-9", 10), "5-9");
  EXPECT_EQ(Parse("bytes=9-9", 10), "9-9");
  EXPECT_EQ(Parse("bytes=0-9", 10), "0-9");
  EXPECT_EQ(Parse("bytes=3-3", 10), "3-3");
}

TEST(ByteRangeTest, LengthIsInclusive) {
  ByteRange range;
  ASSERT_EQ(ParseByteRange("bytes=5-9", 10, &range), RangeResult::kRange);
  EXPECT_EQ(range.length(), 5u);
  ASSERT_EQ(ParseByteRange("bytes=0-0", 10, &range), RangeResult::kRange);
  EXPECT_EQ(range.length(), 1u);
  ASSERT_EQ(ParseByteRange("bytes=0-", 10, &range), RangeResult::kRange);
  EXPECT_EQ(range.length(), 10u);
}

TEST(ByteRangeTest, LastBeyondTheEndIsClamped) {
  EXPECT_EQ(Parse("bytes=5-10", 10), "5-9");
  EXPECT_EQ(Parse("bytes=5-100", 10), "5-9");
  EXPECT_EQ(Parse("bytes=0-9999999999999999999", 10), "0-9");
  EXPECT_EQ(Parse("bytes=9-1000", 10), "9-9");
}

TEST(ByteRangeTest, OpenEnded) {
  EXPECT_EQ(Parse("bytes=0-", 10), "0-9");
  EXPECT_EQ(Parse("bytes=7-", 10), "7-9");
  EXPECT_EQ(Parse("bytes=9-", 10), "9-9");
  EXPECT_EQ(Parse("bytes=0-", 1), "0-0");
}

TEST(ByteRangeTest, Suffix) {
  EXPECT_EQ(Parse("bytes=-3", 10), "7-9");
  EXPECT_EQ(Parse("bytes=-1", 10), "9-9");
  EXPECT_EQ(Parse("bytes=-9", 10), "1-9");
  // A suffix as long as the file or longer: the whole file, as a range.
  EXPECT_EQ(Parse("bytes=-10", 10), "0-9");
  EXPECT_EQ(Parse("bytes=-11", 10), "0-9");
  EXPECT_EQ(Parse("bytes=-100", 10), "0-9");
  EXPECT_EQ(Parse("bytes=-1", 1), "0-0");
}

TEST(ByteRangeTest, NothingToSend) {
  EXPECT_EQ(Parse("bytes=-0", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=-00", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=10-", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=10-10", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=10-20", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=11-", 10), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=9999999999999999999-", 10), "unsatisfiable");
}

// An empty file has no byte to send: every well-formed range is 416 (a
// suffix too; RFC 9110 14.1.1 would also allow a 200 for "-n").
TEST(ByteRangeTest, EmptyFileSatisfiesNoRange) {
  EXPECT_EQ(Parse("bytes=0-", 0), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=0-0", 0), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=0-10", 0), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=-1", 0), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=-100", 0), "unsatisfiable");
  EXPECT_EQ(Parse("bytes=-0", 0), "unsatisfiable");
  // What does not parse is still the whole (empty) file.
  EXPECT_EQ(Parse("bytes=5-2", 0), "whole");
  EXPECT_EQ(Parse("bytes=0-1,2-3", 0), "whole");
  EXPECT_EQ(Parse("bytes=x", 0), "whole");
}

TEST(ByteRangeTest, LastBeforeFirstIsIgnored) {
  EXPECT_EQ(Parse("bytes=5-4", 10), "whole");
  EXPECT_EQ(Parse("bytes=9-0", 10), "whole");
  // Even past the end: the range is invalid before it is unsatisfiable.
  EXPECT_EQ(Parse("bytes=20-15", 10), "whole");
}

TEST(ByteRangeTest, SeveralRangesGetTheWholeFile) {
  EXPECT_EQ(Parse("bytes=0-1,3-4", 10), "whole");
  EXPECT_EQ(Parse("bytes=0-1, 3-4", 10), "whole");
  EXPECT_EQ(Parse("bytes=-1,0-0", 10), "whole");
  EXPECT_EQ(Parse("bytes=0-0,", 10), "whole");
  EXPECT_EQ(Parse("bytes=,0-0", 10), "whole");
  EXPECT_EQ(Parse("bytes=20-30,40-50", 10), "whole");  // not a 416
}

TEST(ByteRangeTest, OtherUnitsAreIgnored) {
  EXPECT_EQ(Parse("items=0-1", 10), "whole");
  EXPECT_EQ(Parse("byte=0-1", 10), "whole");
  EXPECT_EQ(Parse("bytes 0-1", 10), "whole");
  EXPECT_EQ(Parse("bytes:0-1", 10), "whole");
  EXPECT_EQ(Parse("bytesx=0-1", 10), "whole");
  EXPECT_EQ(Parse("0-1", 10), "whole");
  EXPECT_EQ(Parse("", 10), "whole");
  EXPECT_EQ(Parse("bytes", 10), "whole");
  EXPECT_EQ(Parse("bytes =0-1", 10), "whole");
}

TEST(ByteRangeTest, UnitIsCaseInsensitive) {
  EXPECT_EQ(Parse("BYTES=0-1", 10), "0-1");
  EXPECT_EQ(Parse("Bytes=2-", 10), "2-9");
  EXPECT_EQ(Parse("bYtEs=-2", 10), "8-9");
}

TEST(ByteRangeTest, BlanksAroundTheSpec) {
  EXPECT_EQ(Parse("bytes= 0-1", 10), "0-1");
  EXPECT_EQ(Parse("bytes=0-1 ", 10), "0-1");
  EXPECT_EQ(Parse("bytes=  2-3  ", 10), "2-3");
  EXPECT_EQ(Parse("bytes=\t4-\t", 10), "4-9");
  EXPECT_EQ(Parse("bytes= -2 ", 10), "8-9");
  EXPECT_EQ(Parse("bytes=   ", 10), "whole");
  // Not inside it.
  EXPECT_EQ(Parse("bytes=0 -1", 10), "whole");
  EXPECT_EQ(Parse("bytes=0- 1", 10), "whole");
  EXPECT_EQ(Parse("bytes=- 2", 10), "whole");
}

TEST(ByteRangeTest, GarbageGetsTheWholeFile) {
  for (const char* header :
       {"bytes=a-b", "bytes=--1", "bytes=1-2-3", "bytes=", "bytes=-", "bytes=1",
        "bytes=abc", "bytes=1-a", "bytes=a-1", "bytes=+1-2", "bytes=1-+2",
        "bytes=-+2", "bytes=-1-", "bytes=0x1-2", "bytes=1.5-2", "bytes=1e3-",
        "bytes=-a", "bytes==0-1", "bytes=0--1"}) {
    EXPECT_EQ(Parse(header, 10), "whole") << header;
  }
}

TEST(ByteRangeTest, TwentyDigitsAreRefusedNotWrapped) {
  // 2^64 and beyond would wrap a uint64_t: the header is ignored instead.
  EXPECT_EQ(Parse("bytes=0-18446744073709551616", 10), "whole");
  EXPECT_EQ(Parse("bytes=18446744073709551616-", 10), "whole");
  EXPECT_EQ(Parse("bytes=-18446744073709551616", 10), "whole");
  EXPECT_EQ(Parse("bytes=0-99999999999999999999", 10), "whole");
  EXPECT_EQ(Parse("bytes=-99999999999999999999", 10), "whole");
  EXPECT_EQ(Parse("bytes=0-123456789012345678901234567890", 10), "whole");
  // Twenty digits even when they would fit (UINT64_MAX, leading zeros).
  EXPECT_EQ(Parse("bytes=18446744073709551615-", kMax), "whole");
  EXPECT_EQ(Parse("bytes=00000000000000000001-", 10), "whole");
  EXPECT_EQ(Parse("bytes=-00000000000000000003", 10), "whole");
}

TEST(ByteRangeTest, NineteenDigitsOnAHugeFile) {
  EXPECT_EQ(Parse("bytes=9999999999999999999-", kMax),
            absl::StrCat("9999999999999999999-", kMax - 1));
  EXPECT_EQ(Parse("bytes=9999999999999999998-9999999999999999999", kMax),
            "9999999999999999998-9999999999999999999");
  EXPECT_EQ(Parse("bytes=-9999999999999999999", kMax),
            absl::StrCat(kMax - 9999999999999999999u, "-", kMax - 1));
  EXPECT_EQ(Parse("bytes=0-", kMax), absl::StrCat("0-", kMax - 1));
  EXPECT_EQ(Parse("bytes=0000000000000000005-0000000000000000006", 10), "5-6");
  ByteRange range;
  ASSERT_EQ(ParseByteRange("bytes=1-", kMax, &range), RangeResult::kRange);
  EXPECT_EQ(range.length(), kMax - 1);
  EXPECT_EQ(Parse("bytes=9999999999999999999-", 9999999999999999999u),
            "unsatisfiable");
  EXPECT_EQ(Parse("bytes=-9999999999999999999", 10), "0-9");
}

}  // namespace
}  // namespace shardd::files
