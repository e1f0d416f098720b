#include "net/http/request_parser.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace shardd::http {
namespace {

ParseResult Parse(std::string_view input, Request* request,
                  const ParseLimits& limits = {}) {
  return ParseRequest(input, limits, request);
}

constexpr std::string_view kGet =
    "GET /metrics?x=1 HTTP/1.1\r\nHost: localhost:9100\r\n"
    "User-Agent: test\r\nAccept:  */*  \r\n\r\n";

TEST(HttpRequestParserTest, ParsesRequestLineAndHeaders) {
  Request r;
  const ParseResult p = Parse(kGet, &r);
  ASSERT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, kGet.size());
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/metrics?x=1");
  EXPECT_EQ(r.minor_version, 1);
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.Find("host"), "localhost:9100");
  EXPECT_EQ(r.Find("ACCEPT"), "*/*");
  EXPECT_FALSE(r.Find("cookie").has_value());
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.content_length, 0u);
}

TEST(HttpRequestParserTest, EveryPrefixIsIncompleteAndBytesAfterAreLeft) {
  const std::string two = std::string(kGet) + "GET /healthz HTTP/1.1\r\n\r\n";
  Request r;
  for (size_t n = 0; n < kGet.size(); ++n) {
    ASSERT_EQ(Parse(std::string_view(kGet).substr(0, n), &r).status,
              ParseStatus::kIncomplete)
        << n;
  }
  // Fed byte by byte after every split, the parser sees the same requests.
  const ParseResult p = Parse(two, &r);
  ASSERT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(p.consumed, kGet.size());
  const ParseResult second = Parse(std::string_view(two).substr(p.consumed), &r);
  ASSERT_EQ(second.status, ParseStatus::kComplete);
  EXPECT_EQ(r.target, "/healthz");
}

TEST(HttpRequestParserTest, ByteByByteFeedAgreesWithWholeInput) {
  std::string buffer;
  Request r;
  size_t completed = 0;
  const std::string stream = std::string(kGet) + std::string(kGet);
  for (char c : stream) {
    buffer.push_back(c);
    const ParseResult p = Parse(buffer, &r);
    ASSERT_NE(p.status, ParseStatus::kError);
    if (p.status == ParseStatus::kComplete) {
      EXPECT_EQ(r.target, "/metrics?x=1");
      buffer.erase(0, p.consumed);
      ++completed;
    }
  }
  EXPECT_EQ(completed, 2u);
  EXPECT_TRUE(buffer.empty());
}

TEST(HttpRequestParserTest, AcceptsBareLineFeedsAndLeadingEmptyLines) {
  Request r;
  const ParseResult p = Parse("\r\n\nGET / HTTP/1.1\nHost: a\n\n", &r);
  ASSERT_EQ(p.status, ParseStatus::kComplete);
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.Find("host"), "a");
}

TEST(HttpRequestParserTest, BlankLinesBeforeARequestMayBeDropped) {
  // More blank lines than the header limit: the caller drops them as they
  // come, so they never fill its buffer.
  const std::string blanks(2 * ParseLimits().max_header_bytes, '\n');
  Request r;
  ParseResult p = Parse(blanks, &r);
  ASSERT_EQ(p.status, ParseStatus::kIncomplete);
  EXPECT_EQ(p.consumed, blanks.size());
  p = Parse("\r\n\r\nGET / HT", &r);
  ASSERT_EQ(p.status, ParseStatus::kIncomplete);
  EXPECT_EQ(p.consumed, 4u);
}

TEST(HttpRequestParserTest, KeepAliveFollowsVersionAndConnectionHeader) {
  Request r;
  Parse("GET / HTTP/1.0\r\n\r\n", &r);
  EXPECT_FALSE(r.keep_alive);
  Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r);
  EXPECT_TRUE(r.keep_alive);
  Parse("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", &r);
  EXPECT_FALSE(r.keep_alive);
}

TEST(HttpRequestParserTest, ContentLengthIsReported) {
  Request r;
  ASSERT_EQ(Parse("POST /x HTTP/1.1\r\nContent-Length: 12\r\n\r\n", &r).status,
            ParseStatus::kComplete);
  EXPECT_EQ(r.content_length, 12u);
  EXPECT_FALSE(r.chunked);
}

TEST(HttpRequestParserTest, ChunkedTransferEncodingIsReported) {
  const std::string head =
      "PUT /f HTTP/1.1\r\ntransfer-ENCODING:  Chunked \r\n\r\n";
  const std::string input = head + "5\r\nhello\r\n0\r\n\r\n";
  Request r;
  const ParseResult p = Parse(input, &r);
  ASSERT_EQ(p.status, ParseStatus::kComplete);
  // The body is left to the caller.
  EXPECT_EQ(p.consumed, head.size());
  EXPECT_TRUE(r.chunked);
  EXPECT_EQ(r.content_length, 0u);
  EXPECT_TRUE(r.keep_alive);
  // The parse starts afresh: a later request without the header is not
  // chunked.
  ASSERT_EQ(Parse(kGet, &r).status, ParseStatus::kComplete);
  EXPECT_FALSE(r.chunked);
}

struct BadCase {
  std::string input;
  int status;
};

class HttpRequestParserErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(HttpRequestParserErrorTest, AnswersTheRightStatusAtEverySplit) {
  const BadCase& c = GetParam();
  Request r;
  const ParseResult whole = Parse(c.input, &r);
  ASSERT_EQ(whole.status, ParseStatus::kError);
  EXPECT_EQ(whole.error_status, c.status);
  EXPECT_FALSE(whole.error.empty());
  // A prefix is either still incomplete or already the same error.
  for (size_t n = 0; n < c.input.size(); ++n) {
    const ParseResult p = Parse(std::string_view(c.input).substr(0, n), &r);
    if (p.status == ParseStatus::kError) {
      EXPECT_EQ(p.error_status, c.status) << n;
    } else {
      EXPECT_EQ(p.status, ParseStatus::kIncomplete) << n;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, HttpRequestParserErrorTest,
    ::testing::Values(
        BadCase{"GET\r\n\r\n", 400},
        BadCase{"GET /\r\n\r\n", 400},
        BadCase{"G(T / HTTP/1.1\r\n\r\n", 400},
        BadCase{"GET  HTTP/1.1\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1 \r\n\r\n", 400},
        BadCase{"GET /\x01 HTTP/1.1\r\n\r\n", 400},
        BadCase{"GET / HTTP/x.1\r\n\r\n", 400},
        BadCase{"GET / HTTP/2.0\r\n\r\n", 505},
        BadCase{"GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400},
        BadCase{"GET / HTTP/1.1\r\nContent-Length: 1\r\n"
                "Content-Length: 2\r\n\r\n", 400},
        // Only "chunked", alone, is a transfer coding the parser takes.
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                501},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                501},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked,chunked\r\n"
                "\r\n", 501},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n",
                501},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", 501},
        // Framing that a proxy might read differently (RFC 9112 6.1).
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                "Content-Length: 5\r\n\r\n", 400},
        BadCase{"POST / HTTP/1.1\r\nContent-Length: 0\r\n"
                "Transfer-Encoding: chunked\r\n\r\n", 400},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n"
                "Content-Length: 5\r\n\r\n", 400},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                "Transfer-Encoding: chunked\r\n\r\n", 400},
        BadCase{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n"
                "transfer-encoding: chunked\r\n\r\n", 400},
        BadCase{"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        BadCase{"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 431},
        BadCase{"GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n",
                431}));

TEST(HttpRequestParserTest, TooManyHeadersIs431) {
  std::string input = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) input += "A: b\r\n";
  input += "\r\n";
  Request r;
  const ParseResult p = Parse(input, &r);
  ASSERT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.error_status, 431);
}

TEST(HttpRequestParserTest, EndlessHeaderWithoutNewlineHitsTheLimit) {
  Request r;
  const ParseResult p = Parse("GET /" + std::string(9000, 'a'), &r);
  ASSERT_EQ(p.status, ParseStatus::kError);
  EXPECT_EQ(p.error_status, 431);
}

TEST(HttpRequestParserTest, RandomGarbageNeverCrashesOrOverreads) {
  std::mt19937 rng(7);
  const std::string alphabet = "GET /HTP1.:\r\n \t\x01\x80zA-";
  Request r;
  for (int round = 0; round < 20'000; ++round) {
    std::string input(rng() % 64, '\0');
    for (char& c : input) {
      c = rng() % 4 == 0 ? static_cast<char>(rng())
                         : alphabet[rng() % alphabet.size()];
    }
    const ParseResult p = Parse(input, &r);
    if (p.status == ParseStatus::kComplete) {
      ASSERT_LE(p.consumed, input.size());
    } else if (p.status == ParseStatus::kError) {
      ASSERT_TRUE(p.error_status == 400 || p.error_status == 431 ||
                  p.error_status == 501 || p.error_status == 505);
    }
  }
}

}  // namespace
}  // namespace shardd::http
