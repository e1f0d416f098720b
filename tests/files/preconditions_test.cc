// EvaluatePreconditions through every branch of RFC 9110 13.2.2 (If-Match,
// If-Unmodified-Since, If-None-Match, If-Modified-Since and which of them
// are ignored when), EtagListMatches' weak and strong comparison, and
// ParseHttpDate's three date forms.
#include "shard/files/preconditions.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/http/request_parser.h"

namespace shardd::files {
namespace {

// RFC 9110's example date, Sun, 06 Nov 1994 08:49:37 GMT.
constexpr int64_t kMtime = 784111777;
constexpr char kSameDate[] = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr char kDayBefore[] = "Sat, 05 Nov 1994 08:49:37 GMT";
constexpr char kSecondBefore[] = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr char kDayAfter[] = "Mon, 07 Nov 1994 08:49:37 GMT";
constexpr char kEtag[] = "\"5e1-a-2b8f\"";
constexpr char kWeakEtag[] = "W/\"5e1-a-2b8f\"";
constexpr char kOtherEtag[] = "\"5e1-a-2b90\"";

const TargetState kExisting{.exists = true, .etag = kEtag, .mtime_s = kMtime};
const TargetState kMissing{};

// A request with these headers, which it owns (Request holds views).
class TestRequest {
 public:
  TestRequest(
      std::initializer_list<std::pair<std::string, std::string>> headers)
      : owned_(headers) {
    request_.method = "GET";
    request_.target = "/a.txt";
    for (const auto& [name, value] : owned_) {
      request_.headers.push_back({.name = name, .value = value});
    }
  }
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  const http::Request& get() const { return request_; }

 private:
  const std::vector<std::pair<std::string, std::string>> owned_;
  http::Request request_;
};

Precondition Read(const TestRequest& request,
                  const TargetState& target = kExisting) {
  return EvaluatePreconditions(request.get(), target, /*is_read=*/true);
}
Precondition Write(const TestRequest& request,
                   const TargetState& target = kExisting) {
  return EvaluatePreconditions(request.get(), target, /*is_read=*/false);
}

constexpr Precondition kProceed = Precondition::kProceed;
constexpr Precondition kNotModified = Precondition::kNotModified;
constexpr Precondition kFailed = Precondition::kFailed;

TEST(PreconditionsTest, NoConditionsProceed) {
  const TestRequest none({{"Host", "x"}, {"Range", "bytes=0-1"}});
  EXPECT_EQ(Read(none), kProceed);
  EXPECT_EQ(Write(none), kProceed);
  EXPECT_EQ(Read(none, kMissing), kProceed);
  EXPECT_EQ(Write(none, kMissing), kProceed);
}

// Step 1.
TEST(PreconditionsTest, IfMatch) {
  const TestRequest star({{"If-Match", "*"}});
  EXPECT_EQ(Read(star), kProceed);
  EXPECT_EQ(Write(star), kProceed);
  EXPECT_EQ(Read(star, kMissing), kFailed);  // no current representation
  EXPECT_EQ(Write(star, kMissing), kFailed);

  const TestRequest same({{"If-Match", kEtag}});
  EXPECT_EQ(Read(same), kProceed);
  EXPECT_EQ(Write(same), kProceed);
  EXPECT_EQ(Write(same, kMissing), kFailed);

  const TestRequest other({{"If-Match", kOtherEtag}});
  EXPECT_EQ(Read(other), kFailed);  // 412 for reads too, never 304
  EXPECT_EQ(Write(other), kFailed);

  const TestRequest list({{"If-Match", "\"x\", \"5e1-a-2b8f\" ,\"y\""}});
  EXPECT_EQ(Write(list), kProceed);
  const TestRequest tight({{"If-Match", "\"x\",\"5e1-a-2b8f\""}});
  EXPECT_EQ(Write(tight), kProceed);
  const TestRequest none_in_list({{"If-Match", "\"x\", \"y\""}});
  EXPECT_EQ(Write(none_in_list), kFailed);
  const TestRequest unquoted({{"If-Match", "5e1-a-2b8f"}});
  EXPECT_EQ(Write(unquoted), kFailed);
  const TestRequest empty({{"If-Match", ""}});
  EXPECT_EQ(Write(empty), kFailed);
}

TEST(PreconditionsTest, IfMatchNeverMatchesAWeakTag) {
  const TestRequest weak({{"If-Match", kWeakEtag}});
  EXPECT_EQ(Read(weak), kFailed);
  EXPECT_EQ(Write(weak), kFailed);
  const TestRequest weak_list({{"If-Match", "\"x\", W/\"5e1-a-2b8f\""}});
  EXPECT_EQ(Write(weak_list), kFailed);
  // A strong twin in the same list still matches.
  const TestRequest both({{"If-Match", "W/\"5e1-a-2b8f\", \"5e1-a-2b8f\""}});
  EXPECT_EQ(Write(both), kProceed);
}

TEST(PreconditionsTest, HeaderNamesAreCaseInsensitive) {
  const TestRequest lower({{"if-match", kOtherEtag}});
  EXPECT_EQ(Write(lower), kFailed);
  const TestRequest upper({{"IF-NONE-MATCH", kEtag}});
  EXPECT_EQ(Read(upper), kNotModified);
  const TestRequest mixed({{"if-modified-SINCE", kSameDate}});
  EXPECT_EQ(Read(mixed), kNotModified);
}

// Step 2.
TEST(PreconditionsTest, IfUnmodifiedSince) {
  // Modified after the date: 412.
  const TestRequest before({{"If-Unmodified-Since", kDayBefore}});
  EXPECT_EQ(Read(before), kFailed);
  EXPECT_EQ(Write(before), kFailed);
  const TestRequest second({{"If-Unmodified-Since", kSecondBefore}});
  EXPECT_EQ(Write(second), kFailed);
  // Not modified since: proceed.
  const TestRequest same({{"If-Unmodified-Since", kSameDate}});
  EXPECT_EQ(Read(same), kProceed);
  EXPECT_EQ(Write(same), kProceed);
  const TestRequest after({{"If-Unmodified-Since", kDayAfter}});
  EXPECT_EQ(Write(after), kProceed);
  // Another of the three date forms counts the same.
  const TestRequest asctime(
      {{"If-Unmodified-Since", "Sat Nov  5 08:49:37 1994"}});
  EXPECT_EQ(Write(asctime), kFailed);
}

TEST(PreconditionsTest, IfUnmodifiedSinceIgnoredWhenInvalidOrNoTarget) {
  for (const char* date :
       {"garbage", "", "784111777", "Sat, 05 Nov 1994 08:49:37",
        "Sat, 05 Nov 1994 08:49:37 GMT, Sat, 05 Nov 1994 08:49:37 GMT"}) {
    const TestRequest invalid({{"If-Unmodified-Since", date}});
    EXPECT_EQ(Write(invalid), kProceed) << date;
  }
  const TestRequest before({{"If-Unmodified-Since", kDayBefore}});
  EXPECT_EQ(Write(before, kMissing), kProceed);
}

TEST(PreconditionsTest, IfUnmodifiedSinceIgnoredWhenIfMatchPresent) {
  const TestRequest match(
      {{"If-Match", kEtag}, {"If-Unmodified-Since", kDayBefore}});
  EXPECT_EQ(Write(match), kProceed);
  EXPECT_EQ(Read(match), kProceed);
  const TestRequest star(
      {{"If-Unmodified-Since", kDayBefore}, {"If-Match", "*"}});
  EXPECT_EQ(Write(star), kProceed);
  // If-Match decides alone, failing too.
  const TestRequest mismatch(
      {{"If-Match", kOtherEtag}, {"If-Unmodified-Since", kDayAfter}});
  EXPECT_EQ(Write(mismatch), kFailed);
}

// Step 3.
TEST(PreconditionsTest, IfNoneMatchStar) {
  const TestRequest star({{"If-None-Match", "*"}});
  EXPECT_EQ(Read(star), kNotModified);
  EXPECT_EQ(Write(star), kFailed);
  // Create-only: proceeds when there is nothing yet.
  EXPECT_EQ(Read(star, kMissing), kProceed);
  EXPECT_EQ(Write(star, kMissing), kProceed);
  const TestRequest blanks({{"If-None-Match", " * "}});
  EXPECT_EQ(Write(blanks), kFailed);
}

TEST(PreconditionsTest, IfNoneMatchTags) {
  const TestRequest same({{"If-None-Match", kEtag}});
  EXPECT_EQ(Read(same), kNotModified);
  EXPECT_EQ(Write(same), kFailed);
  EXPECT_EQ(Read(same, kMissing), kProceed);
  EXPECT_EQ(Write(same, kMissing), kProceed);

  // Weak comparison: W/"x" matches "x".
  const TestRequest weak({{"If-None-Match", kWeakEtag}});
  EXPECT_EQ(Read(weak), kNotModified);
  EXPECT_EQ(Write(weak), kFailed);

  const TestRequest list({{"If-None-Match", "\"a\", W/\"5e1-a-2b8f\""}});
  EXPECT_EQ(Read(list), kNotModified);

  const TestRequest other({{"If-None-Match", kOtherEtag}});
  EXPECT_EQ(Read(other), kProceed);
  EXPECT_EQ(Write(other), kProceed);
  const TestRequest others({{"If-None-Match", "\"a\", W/\"b\", \"c\""}});
  EXPECT_EQ(Read(others), kProceed);
  // "W/" is case-sensitive (RFC 9110 8.8.3): w/"..." is no weak tag.
  const TestRequest lower_w({{"If-None-Match", "w/\"5e1-a-2b8f\""}});
  EXPECT_EQ(Read(lower_w), kProceed);
}

TEST(PreconditionsTest, IfMatchIsEvaluatedBeforeIfNoneMatch) {
  // Both hold as far as step 1: step 3 decides.
  const TestRequest both({{"If-Match", kEtag}, {"If-None-Match", kEtag}});
  EXPECT_EQ(Read(both), kNotModified);
  EXPECT_EQ(Write(both), kFailed);
  // Step 1 fails first: 412, not 304.
  const TestRequest fails({{"If-None-Match", kEtag}, {"If-Match", kOtherEtag}});
  EXPECT_EQ(Read(fails), kFailed);
  const TestRequest unmodified(
      {{"If-None-Match", kEtag}, {"If-Unmodified-Since", kDayBefore}});
  EXPECT_EQ(Read(unmodified), kFailed);
  // Step 2 passes, step 3 does not match: proceed.
  const TestRequest passes(
      {{"If-Unmodified-Since", kSameDate}, {"If-None-Match", kOtherEtag}});
  EXPECT_EQ(Read(passes), kProceed);
}

// Step 4.
TEST(PreconditionsTest, IfModifiedSince) {
  const TestRequest same({{"If-Modified-Since", kSameDate}});
  EXPECT_EQ(Read(same), kNotModified);
  const TestRequest after({{"If-Modified-Since", kDayAfter}});
  EXPECT_EQ(Read(after), kNotModified);
  // Modified after the date: the file is sent.
  const TestRequest before({{"If-Modified-Since", kDayBefore}});
  EXPECT_EQ(Read(before), kProceed);
  const TestRequest second({{"If-Modified-Since", kSecondBefore}});
  EXPECT_EQ(Read(second), kProceed);
  const TestRequest rfc850(
      {{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}});
  EXPECT_EQ(Read(rfc850), kNotModified);
  // No file: nothing to compare.
  EXPECT_EQ(Read(same, kMissing), kProceed);
}

TEST(PreconditionsTest, IfModifiedSinceIgnoredForWrites) {
  const TestRequest same({{"If-Modified-Since", kSameDate}});
  EXPECT_EQ(Write(same), kProceed);
  const TestRequest after({{"If-Modified-Since", kDayAfter}});
  EXPECT_EQ(Write(after), kProceed);
}

TEST(PreconditionsTest, IfModifiedSinceIgnoredWhenIfNoneMatchPresent) {
  const TestRequest other(
      {{"If-None-Match", kOtherEtag}, {"If-Modified-Since", kSameDate}});
  EXPECT_EQ(Read(other), kProceed);
  const TestRequest same(
      {{"If-Modified-Since", kDayBefore}, {"If-None-Match", kEtag}});
  EXPECT_EQ(Read(same), kNotModified);
}

TEST(PreconditionsTest, IfModifiedSinceIgnoredWhenInvalid) {
  for (const char* date :
       {"garbage", "", "784111777", "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 PST", "06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra"}) {
    const TestRequest invalid({{"If-Modified-Since", date}});
    EXPECT_EQ(Read(invalid), kProceed) << date;
  }
}

TEST(PreconditionsTest, FirstHeaderOfANameCounts) {
  const TestRequest twice(
      {{"If-None-Match", kOtherEtag}, {"If-None-Match", kEtag}});
  EXPECT_EQ(Read(twice), kProceed);
}

TEST(EtagListMatchesTest, StrongAndWeak) {
  EXPECT_TRUE(EtagListMatches(kEtag, kEtag, /*weak=*/false));
  EXPECT_TRUE(EtagListMatches(kEtag, kEtag, /*weak=*/true));
  EXPECT_FALSE(EtagListMatches(kWeakEtag, kEtag, /*weak=*/false));
  EXPECT_TRUE(EtagListMatches(kWeakEtag, kEtag, /*weak=*/true));
  EXPECT_FALSE(EtagListMatches(kOtherEtag, kEtag, /*weak=*/true));
  EXPECT_TRUE(EtagListMatches("  \"a\" ,\t\"5e1-a-2b8f\"  ", kEtag, false));
  EXPECT_FALSE(EtagListMatches("\"a\",", kEtag, true));
  EXPECT_FALSE(EtagListMatches("", kEtag, true));
  EXPECT_FALSE(EtagListMatches("W/", kEtag, true));
  // A tag is compared whole, quotes included.
  EXPECT_FALSE(EtagListMatches("\"5e1-a-2b8\"", kEtag, true));
  EXPECT_FALSE(EtagListMatches("5e1-a-2b8f", kEtag, true));
}

TEST(EtagListMatchesTest, StarMatchesAnyCurrentRepresentation) {
  EXPECT_TRUE(EtagListMatches("*", kEtag, false));
  EXPECT_TRUE(EtagListMatches(" * ", kEtag, true));
  EXPECT_FALSE(EtagListMatches("*", "", false));
  EXPECT_FALSE(EtagListMatches("*", "", true));
  // Only alone: "*" inside a list is no tag that matches.
  EXPECT_FALSE(EtagListMatches("\"a\", *", kEtag, true));
}

TEST(EtagListMatchesTest, NoTargetMatchesNothing) {
  EXPECT_FALSE(EtagListMatches("\"\"", "", true));
  EXPECT_FALSE(EtagListMatches("", "", true));
  EXPECT_FALSE(EtagListMatches(",", "", false));
}

TEST(ParseHttpDateTest, TheThreeForms) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), kMtime);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), kMtime);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), kMtime);
}

TEST(ParseHttpDateTest, OtherDates) {
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Sat, 05 Nov 1994 08:49:37 GMT"), kMtime - 86400);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:36 GMT"), kMtime - 1);
  EXPECT_EQ(ParseHttpDate("Tue, 19 Jan 2038 03:14:08 GMT"),
            int64_t{2147483648});
  EXPECT_EQ(ParseHttpDate("Thu Jan  1 00:00:00 1970"), 0);
  EXPECT_EQ(ParseHttpDate("Tue Nov 14 22:13:20 2023"), 1700000000);
  EXPECT_EQ(ParseHttpDate("Tuesday, 14-Nov-23 22:13:20 GMT"), 1700000000);
}

TEST(ParseHttpDateTest, Garbage) {
  for (const char* text : {"",
                           " ",
                           "garbage",
                           "784111777",
                           "GMT",
                           "Sun, 06 Nov 1994",
                           "Sun, 06 Nov 1994 08:49:37",
                           "Sun, 06 Nov 1994 08:49:37 UTC",
                           "Sun, 06 Nov 1994 08:49:37 +0000",
                           "Sun, 06 Foo 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1994 24:49:37 GMT",
                           "Sun, 06 Nov 1994 08:60:37 GMT",
                           "Sun, 32 Nov 1994 08:49:37 GMT",
                           "Sun, 31 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1994 08:49:37 GMTx",
                           "Xyz, 06 Nov 1994 08:49:37 GMT",
                           "1994-11-06T08:49:37Z",
                           "Sun Nov  6 08:49:37",
                           "Sun Nov 32 08:49:37 1994",
                           "Sunday, 06-Nov-94 08:49:37"}) {
    EXPECT_EQ(ParseHttpDate(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace shardd::files
