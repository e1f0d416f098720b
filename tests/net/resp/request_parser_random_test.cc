// Deterministic random inputs for the request parser, run under ASan + UBSan:
// whatever the bytes, the parser must not crash or read past its input, and
// what it reports must be self-consistent.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/resp/request_parser.h"
#include "tests/net/resp/parse_helpers.h"

namespace shardd::resp {
namespace {

class RandomBytes {
 public:
  explicit RandomBytes(uint64_t seed) : engine_(seed) {}

  // Raw engine output modulo n, not std::uniform_int_distribution, so the
  // sequence is the same with every standard library.
  size_t Below(size_t n) { return static_cast<size_t>(engine_() % n); }

  // Mostly bytes that mean something to RESP, so inputs get past the first
  // check; sometimes any byte at all.
  char Byte() {
    static constexpr std::string_view kInteresting =
        "*$\r\n\r\n0123-9 \t\"'\\xAf";
    if (Below(4) == 0) return static_cast<char>(Below(256));
    return kInteresting[Below(kInteresting.size())];
  }

  std::string Garbage() {
    std::string s(Below(48), '\0');
    for (char& c : s) c = Byte();
    if (Below(2) == 0 && !s.empty()) s[0] = '*';
    return s;
  }

  std::string Mutate(std::string s) {
    const size_t edits = 1 + Below(3);
    for (size_t i = 0; i < edits; ++i) {
      const size_t at = Below(s.size() + 1);
      switch (Below(4)) {
        case 0:
          if (at < s.size()) s[at] = Byte();
          break;
        case 1:
          s.insert(at, 1, Byte());
          break;
        case 2:
          if (at < s.size()) s.erase(at, 1 + Below(3));
          break;
        case 3:
          s.resize(at);
          break;
      }
    }
    return s;
  }

 private:
  std::mt19937_64 engine_;
};

const std::vector<std::string>& ValidRequests() {
  static const auto* requests = new std::vector<std::string>{
      "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
      "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
      "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
      "*0\r\n*-1\r\n",
      "SET k \"a\\x41\\n\" 'b\\'c'\r\n",
      "PING\n\r\nECHO x\r\n",
      "*12\r\n$1\r\na\r\n",
  };
  return *requests;
}

bool Contains(std::string_view outer, std::string_view inner) {
  return inner.data() >= outer.data() &&
         inner.data() + inner.size() <= outer.data() + outer.size();
}

// The invariants every result must satisfy, whatever the input.
void CheckResult(std::string_view input, const ParseResult& r,
                 const std::vector<std::string_view>& args,
                 const std::string& scratch) {
  ASSERT_LE(r.consumed, input.size());
  switch (r.status) {
    case ParseStatus::kComplete:
      ASSERT_GT(r.consumed, 0u);
      ASSERT_FALSE(args.empty());
      for (const std::string_view arg : args) {
        ASSERT_TRUE(arg.empty() || Contains(input.substr(0, r.consumed), arg) ||
                    Contains(scratch, arg));
      }
      break;
    case ParseStatus::kEmpty:
      ASSERT_GT(r.consumed, 0u);
      ASSERT_TRUE(args.empty());
      break;
    case ParseStatus::kIncomplete:
      ASSERT_EQ(r.consumed, 0u);
      break;
    case ParseStatus::kError:
      ASSERT_EQ(r.consumed, 0u);
      ASSERT_TRUE(r.error.starts_with("ERR Protocol error: ")) << r.error;
      break;
    default:
      FAIL() << "unknown status " << static_cast<int>(r.status);
  }
}

// A parsed request must not depend on what follows it, and no shorter prefix
// may be mistaken for a whole request or an error.
void CheckPrefixes(std::string_view input, const ParseLimits& limits,
                   const Parsed& whole) {
  const Parsed exact = Parse(input.substr(0, whole.consumed), limits);
  ASSERT_EQ(exact.status, whole.status);
  ASSERT_EQ(exact.consumed, whole.consumed);
  ASSERT_EQ(exact.args, whole.args);
  for (size_t n = 0; n < whole.consumed; ++n) {
    ASSERT_EQ(Parse(input.substr(0, n), limits).status,
              ParseStatus::kIncomplete)
        << "prefix " << n;
  }
}

TEST(RequestParserRandomTest, GarbageAndMutatedRequestsAreHandledSafely) {
  RandomBytes random(20240521);
  // Small limits on some rounds so that the limit checks are reached too.
  const ParseLimits small{
      .max_bulk_bytes = 16, .max_args = 4, .max_inline_bytes = 24};
  std::vector<std::string_view> args;
  std::string scratch;
  int statuses[4] = {};
  for (int round = 0; round < 300000; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      bytes = random.Garbage();
    } else {
      const auto& valid = ValidRequests();
      bytes = random.Mutate(valid[random.Below(valid.size())]);
    }
    const ParseLimits limits = round % 3 == 0 ? small : ParseLimits{};
    const ExactBuffer buffer(bytes);
    const ParseResult r = ParseRequest(buffer.view(), limits, &args, &scratch);
    ASSERT_NO_FATAL_FAILURE(CheckResult(buffer.view(), r, args, scratch))
        << "round " << round;
    ++statuses[static_cast<int>(r.status)];
    if (round % 64 == 0 && (r.status == ParseStatus::kComplete ||
                            r.status == ParseStatus::kEmpty)) {
      ASSERT_NO_FATAL_FAILURE(
          CheckPrefixes(bytes, limits, Parse(bytes, limits)))
          << "round " << round;
    }
  }
  // Every outcome is exercised, or the generator has gone stale.
  for (const int count : statuses) EXPECT_GT(count, 1000);
}

}  // namespace
}  // namespace shardd::resp
