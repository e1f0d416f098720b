// Test helper: the RESP bytes of the replies the hash and set tests expect,
// built from their parts so that a test reads like the reply it pins down;
// and the reverse, for replies in random order that a test must take apart.
//
//   EXPECT_EQ(run({"hgetall", "h"}), Array({"f", "v"}));
//   EXPECT_EQ(run({"hlen", "h"}), Int(1));
//   std::vector<std::string> members = BulksOf(run({"smembers", "s"}));
#ifndef SHARDD_TESTS_KV_EXPECTED_REPLIES_H_
#define SHARDD_TESTS_KV_EXPECTED_REPLIES_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace shardd::kv {

inline constexpr std::string_view kNil = "$-1\r\n";
inline constexpr std::string_view kEmptyArray = "*0\r\n";
inline constexpr std::string_view kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

// Each builds its string by appending: GCC 12 warns (-Wrestrict, wrongly)
// about `"literal" + std::string`.
inline std::string Line(char type, std::string_view text) {
  std::string out(1, type);
  out.append(text).append("\r\n");
  return out;
}

inline std::string Bulk(std::string_view s) {
  return Line('$', std::to_string(s.size())).append(s).append("\r\n");
}

inline std::string Int(int64_t value) {
  return Line(':', std::to_string(value));
}

inline std::string Err(std::string_view message) { return Line('-', message); }

// An array of bulk strings.
inline std::string Array(const std::vector<std::string>& elements) {
  std::string out = Line('*', std::to_string(elements.size()));
  for (const std::string& element : elements) out.append(Bulk(element));
  return out;
}

// A SCAN-family reply: the cursor, then the elements.
inline std::string ScanPage(std::string_view cursor,
                            const std::vector<std::string>& elements) {
  return Line('*', "2").append(Bulk(cursor)).append(Array(elements));
}

// The bulk strings of an array of bulk strings (no nils, no nesting).
inline std::vector<std::string> BulksOf(std::string_view reply) {
  std::vector<std::string> bulks;
  size_t at = reply.find("\r\n") + 2;  // past the array header
  while (at < reply.size()) {
    const size_t line_end = reply.find("\r\n", at);
    const size_t length =
        std::stoul(std::string(reply.substr(at + 1, line_end - at - 1)));
    bulks.emplace_back(reply.substr(line_end + 2, length));
    at = line_end + 2 + length + 2;
  }
  return bulks;
}

struct ScanReply {
  std::string cursor;
  std::vector<std::string> elements;
};

inline ScanReply ParseScanReply(std::string_view reply) {
  // "*2\r\n$<n>\r\n<cursor>\r\n" and then the array of elements.
  const size_t length_end = reply.find("\r\n", 4);
  const size_t length =
      std::stoul(std::string(reply.substr(5, length_end - 5)));
  const size_t array_start = length_end + 2 + length + 2;
  return {std::string(reply.substr(length_end + 2, length)),
          BulksOf(reply.substr(array_start))};
}

}  // namespace shardd::kv

#endif  // SHARDD_TESTS_KV_EXPECTED_REPLIES_H_
