#include "net/http/chunked_decoder.h"

#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::http {
namespace {

using State = ChunkedDecoder::State;
using namespace std::string_view_literals;

struct Decoded {
  std::string body;
  State state = State::kNeedMore;
  std::string error;
  std::string leftover;  // bytes never consumed, of the pieces given
  uint64_t body_bytes = 0;

  bool operator==(const Decoded&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Decoded& d) {
  return os << "{body=\"" << d.body << "\" state=" << static_cast<int>(d.state)
            << " error=\"" << d.error << "\" leftover=\"" << d.leftover
            << "\" body_bytes=" << d.body_bytes << "}";
}

// Drives a decoder as a connection would: each piece is appended to a
// buffer, Next is called until it needs more, and consumed bytes are
// dropped. Checks on the way that every step makes progress or stops.
Decoded DecodePieces(const std::vector<std::string_view>& pieces,
                     ChunkedDecoder::Limits limits = {}) {
  ChunkedDecoder decoder(limits);
  Decoded out;
  std::string buffer;
  size_t next_piece = 0;
  while (next_piece < pieces.size()) {
    buffer.append(pieces[next_piece++]);
    // Every step but the last uses up a byte, so this bounds the loop.
    const size_t max_steps = buffer.size() + 1;
    for (size_t steps = 0;; ++steps) {
      if (steps == max_steps) {
        ADD_FAILURE() << "no progress";
        return out;
      }
      const ChunkedDecoder::Step step = decoder.Next(buffer);
      if (step.consumed > buffer.size()) {
        ADD_FAILURE() << "consumed " << step.consumed << " of "
                      << buffer.size();
        return out;
      }
      out.state = step.state;
      if (step.state == State::kData) {
        // Non-empty, inside the input, and within what the step consumed.
        if (step.data.empty() || step.data.data() < buffer.data() ||
            step.data.data() + step.data.size() >
                buffer.data() + step.consumed) {
          ADD_FAILURE() << "bad data span";
          return out;
        }
        out.body.append(step.data);
        buffer.erase(0, step.consumed);
        continue;
      }
      buffer.erase(0, step.consumed);
      if (step.state == State::kError) {
        out.error = std::string(step.error);
        if (out.error.empty()) ADD_FAILURE() << "error without a reason";
      }
      if (step.state != State::kNeedMore) {
        // Asked again, the decoder stays where it is.
        const ChunkedDecoder::Step again = decoder.Next(buffer);
        EXPECT_EQ(again.state, step.state);
        EXPECT_EQ(again.consumed, 0u);
        EXPECT_EQ(again.error, step.error);
        out.leftover = buffer;
        while (next_piece < pieces.size()) {
          out.leftover.append(pieces[next_piece++]);
        }
        out.body_bytes = decoder.body_bytes();
        return out;
      }
      break;
    }
  }
  out.leftover = buffer;
  out.body_bytes = decoder.body_bytes();
  return out;
}

Decoded Decode(std::string_view input, ChunkedDecoder::Limits limits = {}) {
  return DecodePieces({input}, limits);
}

Decoded DecodeByteByByte(std::string_view input,
                         ChunkedDecoder::Limits limits = {}) {
  std::vector<std::string_view> pieces;
  for (size_t i = 0; i < input.size(); ++i) {
    pieces.push_back(input.substr(i, 1));
  }
  return DecodePieces(pieces, limits);
}

Decoded Done(std::string body, std::string leftover = "") {
  const uint64_t size = body.size();
  return {.body = std::move(body),
          .state = State::kDone,
          .leftover = std::move(leftover),
          .body_bytes = size};
}

TEST(ChunkedDecoderTest, DecodesOneChunk) {
  EXPECT_EQ(Decode("5\r\nhello\r\n0\r\n\r\n"), Done("hello"));
}

TEST(ChunkedDecoderTest, DecodesSeveralChunks) {
  EXPECT_EQ(Decode("5\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n"),
            Done("hello world!"));
  // Data may hold anything, CRLF and NUL included.
  EXPECT_EQ(Decode("4\r\n\r\n\0\n\r\n0\r\n\r\n"sv),
            Done(std::string("\r\n\0\n"sv)));
}

TEST(ChunkedDecoderTest, SkipsChunkExtensions) {
  EXPECT_EQ(Decode("5;name=value;flag\r\nhello\r\n"
                   "3 \t; q=\"a;b\\\"\"\r\nabc\r\n0;last\r\n\r\n"),
            Done("helloabc"));
}

TEST(ChunkedDecoderTest, HexSizesAnyCaseAndLeadingZeros) {
  const std::string a(0x1f, 'a');
  const std::string b(0xab, 'b');
  EXPECT_EQ(Decode("1F\r\n" + a + "\r\naB\r\n" + b +
                   "\r\n000000000000000000000A\r\n0123456789\r\n00\r\n\r\n"),
            Done(a + b + "0123456789"));
}

TEST(ChunkedDecoderTest, IgnoresTrailers) {
  EXPECT_EQ(Decode("5\r\nhello\r\n0\r\nX-Checksum: abc\r\nY:\tz\r\n\r\n"),
            Done("hello"));
}

TEST(ChunkedDecoderTest, ZeroLengthBody) {
  EXPECT_EQ(Decode("0\r\n\r\n"), Done(""));
}

TEST(ChunkedDecoderTest, LeavesAPipelinedRequestUnconsumed) {
  const std::string next = "GET / HTTP/1.1\r\n\r\n";
  EXPECT_EQ(Decode("5\r\nhello\r\n0\r\n\r\n" + next), Done("hello", next));
  EXPECT_EQ(DecodeByteByByte("0\r\nA: b\r\n\r\n" + next), Done("", next));
  // Even bytes that would be framing are the next request's.
  EXPECT_EQ(Decode("0\r\n\r\n\r\n0\r\n\r\n"), Done("", "\r\n0\r\n\r\n"));
}

TEST(ChunkedDecoderTest, StepsAsDocumented) {
  ChunkedDecoder d;
  ChunkedDecoder::Step s = d.Next("");
  EXPECT_EQ(s.state, State::kNeedMore);
  EXPECT_EQ(s.consumed, 0u);
  // Framing and as much of the chunk as there is, in one step.
  s = d.Next("5\r\nhel");
  ASSERT_EQ(s.state, State::kData);
  EXPECT_EQ(s.consumed, 6u);
  EXPECT_EQ(s.data, "hel");
  s = d.Next("lo\r\n0\r");
  ASSERT_EQ(s.state, State::kData);
  EXPECT_EQ(s.consumed, 2u);
  EXPECT_EQ(s.data, "lo");
  EXPECT_EQ(d.body_bytes(), 5u);
  // Framing used up while more is needed.
  s = d.Next("\r\n0\r");
  EXPECT_EQ(s.state, State::kNeedMore);
  EXPECT_EQ(s.consumed, 4u);
  s = d.Next("\n\r\nGET");
  EXPECT_EQ(s.state, State::kDone);
  EXPECT_EQ(s.consumed, 3u);
  s = d.Next("GET");
  EXPECT_EQ(s.state, State::kDone);
  EXPECT_EQ(s.consumed, 0u);
  EXPECT_EQ(d.body_bytes(), 5u);
}

TEST(ChunkedDecoderTest, LargestSizeIsNotAnError) {
  ChunkedDecoder d;
  const ChunkedDecoder::Step s = d.Next("ffffffffffffffff\r\nab");
  ASSERT_EQ(s.state, State::kData);
  EXPECT_EQ(s.data, "ab");
}

constexpr std::string_view kMessage =
    "3\r\nabc\r\n10;x=y\r\n0123456789abcdef\r\n1\r\nZ\r\n"
    "0\r\nT: 1\r\n\r\nPUT /next HTTP/1.1\r\n";

TEST(ChunkedDecoderTest, EverySplitDecodesTheSame) {
  const Decoded expected =
      Done("abc0123456789abcdefZ", "PUT /next HTTP/1.1\r\n");
  ASSERT_EQ(Decode(kMessage), expected);
  for (size_t i = 0; i <= kMessage.size(); ++i) {
    for (size_t j = i; j <= kMessage.size(); ++j) {
      ASSERT_EQ(DecodePieces({kMessage.substr(0, i), kMessage.substr(i, j - i),
                              kMessage.substr(j)}),
                expected)
          << i << " " << j;
    }
  }
}

TEST(ChunkedDecoderTest, ByteByByte) {
  EXPECT_EQ(DecodeByteByByte(kMessage),
            Done("abc0123456789abcdefZ", "PUT /next HTTP/1.1\r\n"));
}

TEST(ChunkedDecoderTest, IncompleteBodyNeedsMore) {
  const std::string_view whole = "5\r\nhello\r\n0\r\nA: b\r\n\r\n";
  for (size_t n = 0; n < whole.size(); ++n) {
    const Decoded d = Decode(whole.substr(0, n));
    EXPECT_EQ(d.state, State::kNeedMore) << n;
    EXPECT_EQ(d.body, std::string_view("hello").substr(0, n < 3 ? 0 : n - 3))
        << n;
  }
}

TEST(ChunkedDecoderTest, LimitsAreInclusive) {
  const ChunkedDecoder::Limits limits{.max_line_bytes = 6,
                                      .max_trailer_bytes = 6};
  // Six bytes of size line, then seven.
  EXPECT_EQ(Decode("1;abcd\r\nx\r\n0\r\n\r\n", limits), Done("x"));
  EXPECT_EQ(Decode("000001\r\nx\r\n0\r\n\r\n", limits), Done("x"));
  EXPECT_EQ(Decode("1;abcde\r\nx\r\n0\r\n\r\n", limits).state, State::kError);
  EXPECT_EQ(Decode("0000001\r\nx\r\n0\r\n\r\n", limits).state, State::kError);
  // "A: b\r\n" is six trailer bytes; one more is too many.
  EXPECT_EQ(Decode("0\r\nA: b\r\n\r\n", limits), Done(""));
  EXPECT_EQ(Decode("0\r\nA: bc\r\n\r\n", limits).state, State::kError);
  EXPECT_EQ(Decode("0\r\nA:\r\nB\r\n\r\n", limits).state, State::kError);
}

struct BadCase {
  std::string input;
  std::string_view why;  // expected error
};

class ChunkedDecoderErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ChunkedDecoderErrorTest, FailsTheSameAtEverySplit) {
  const BadCase& c = GetParam();
  const Decoded whole = Decode(c.input);
  ASSERT_EQ(whole.state, State::kError);
  EXPECT_EQ(whole.error, c.why);
  EXPECT_EQ(DecodeByteByByte(c.input), whole);
  for (size_t i = 0; i <= c.input.size(); ++i) {
    const std::string_view in = c.input;
    ASSERT_EQ(DecodePieces({in.substr(0, i), in.substr(i)}), whole) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ChunkedDecoderErrorTest,
    ::testing::Values(
        BadCase{"x\r\n", "bad chunk size"},
        BadCase{"5x\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"\r\n", "bad chunk size"},
        BadCase{"-5\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"+5\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{" 5\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"0x5\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"5 \r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"5 x\r\nhello\r\n0\r\n\r\n", "bad chunk size"},
        BadCase{"5\rhello\r\n0\r\n\r\n", "chunk size line without CRLF"},
        BadCase{"5\r\nhelloX\r\n0\r\n\r\n", "chunk data not followed by CRLF"},
        BadCase{"5\r\nhello\rX0\r\n\r\n", "chunk data not followed by CRLF"},
        BadCase{"5\r\nhello0\r\n\r\n", "chunk data not followed by CRLF"},
        BadCase{"1;" + std::string(5000, 'x') + "\r\na\r\n0\r\n\r\n",
                "chunk size line too long"},
        BadCase{std::string(5000, '0') + "\r\n\r\n",
                "chunk size line too long"},
        BadCase{"fffffffffffffffff\r\n", "chunk size overflows"},
        BadCase{"10000000000000000\r\n", "chunk size overflows"},
        BadCase{"0\r\n" + std::string(9000, 'a') + "\r\n\r\n",
                "trailer section too large"},
        BadCase{"0\r\n" + std::string(2000, 'a') + "\r\n" +
                    std::string(2000, 'b') + "\r\n" + std::string(2000, 'c') +
                    "\r\n" + std::string(2000, 'd') + "\r\n" +
                    std::string(200, 'e') + "\r\n\r\n",
                "trailer section too large"},
        // Strict CRLF: a bare LF ends no line.
        BadCase{"5\nhello\r\n0\r\n\r\n", "bare LF in chunk size line"},
        BadCase{"5;a\nhello\r\n0\r\n\r\n", "bare LF in chunk size line"},
        BadCase{"5\r\nhello\n0\r\n\r\n", "chunk data not followed by CRLF"},
        BadCase{"0\n\r\n", "bare LF in chunk size line"},
        BadCase{"0\r\n\n", "bare LF in trailer section"},
        BadCase{"0\r\nA: b\n\r\n", "bare LF in trailer section"},
        BadCase{"0\r\nA: b\r\r\n", "trailer field without CRLF"},
        BadCase{"0\r\n\rX", "chunked body without final CRLF"},
        BadCase{std::string("5;a\0b\r\nhello\r\n0\r\n\r\n"sv),
                "control character in chunk extension"},
        BadCase{"0\r\nA: \x01\r\n\r\n", "control character in trailer field"}));

TEST(ChunkedDecoderTest, RandomGarbageNeverCrashesOrSpins) {
  std::mt19937 rng(11);
  const std::string alphabet = "0123456789abcdefABCDEFxX;= \t\r\n\r\n:";
  for (int round = 0; round < 5'000; ++round) {
    std::string input;
    // Often start well formed, so that garbage reaches the later phases.
    if (rng() % 2 == 0) input = kMessage.substr(0, rng() % kMessage.size());
    const size_t extra = rng() % 48;
    for (size_t i = 0; i < extra; ++i) {
      input.push_back(rng() % 8 == 0 ? static_cast<char>(rng())
                                     : alphabet[rng() % alphabet.size()]);
    }
    const ChunkedDecoder::Limits limits =
        rng() % 2 == 0 ? ChunkedDecoder::Limits{}
                       : ChunkedDecoder::Limits{.max_line_bytes = 4,
                                                .max_trailer_bytes = 8};
    const Decoded whole = Decode(input, limits);
    ASSERT_EQ(whole.body_bytes, whole.body.size());
    // However it arrives, the input decodes the same.
    std::vector<std::string_view> pieces;
    std::string_view rest = input;
    while (!rest.empty()) {
      const size_t n = 1 + rng() % rest.size();
      pieces.push_back(rest.substr(0, n));
      rest.remove_prefix(n);
    }
    ASSERT_EQ(DecodePieces(pieces, limits), whole) << round;
  }
}

}  // namespace
}  // namespace shardd::http
