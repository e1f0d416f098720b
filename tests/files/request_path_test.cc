#include "shard/files/request_path.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace shardd::files {
namespace {

// Decodes `target`, expecting success.
RequestPath Accept(std::string_view target) {
  RequestPath path;
  std::string_view why;
  EXPECT_EQ(DecodeRequestPath(target, &path, &why), 0)
      << "target: " << target << " why: " << why;
  return path;
}

// Expects `target` to be refused with 400 and a reason, and `path` left empty.
void ExpectRejected(std::string_view target) {
  RequestPath path;
  path.relative = "stale";
  path.trailing_slash = true;
  std::string_view why;
  EXPECT_EQ(DecodeRequestPath(target, &path, &why), 400) << "target: " << target;
  EXPECT_FALSE(why.empty()) << "target: " << target;
  EXPECT_EQ(path.relative, "") << "target: " << target;
  EXPECT_FALSE(path.trailing_slash) << "target: " << target;
}

// "/%XX" for byte `b`, upper- or lower-case hex.
std::string Encoded(unsigned b, bool upper = true) {
  char buf[4];
  std::snprintf(buf, sizeof(buf), upper ? "%%%02X" : "%%%02x", b);
  return buf;
}

// A relative path of exactly `n` bytes, in segments of at most 200 'a's.
std::string RelativeOfLength(size_t n) {
  std::string relative;
  while (relative.size() < n) {
    if (!relative.empty()) relative += '/';
    relative.append(std::min<size_t>(n - relative.size(), 200), 'a');
  }
  EXPECT_EQ(relative.size(), n);
  EXPECT_NE(relative.back(), '/');
  return relative;
}

TEST(RequestPathTest, PlainAndNested) {
  RequestPath p = Accept("/index.html");
  EXPECT_EQ(p.relative, "index.html");
  EXPECT_FALSE(p.trailing_slash);

  p = Accept("/a/b/c.txt");
  EXPECT_EQ(p.relative, "a/b/c.txt");
  EXPECT_FALSE(p.trailing_slash);
}

TEST(RequestPathTest, PercentDecodes) {
  EXPECT_EQ(Accept("/a%20b.txt").relative, "a b.txt");
  // UTF-8 "é" (C3 A9), in either hex case.
  EXPECT_EQ(Accept("/caf%C3%A9/%c3%a9").relative, "caf\xC3\xA9/\xC3\xA9");
  // A path, not a form: '+' is a plus.
  EXPECT_EQ(Accept("/a+b").relative, "a+b");
  // Encoded '?' and '#' are name bytes, not a query or fragment.
  EXPECT_EQ(Accept("/what%3F%23").relative, "what?#");
  // Raw bytes >= 0x80 pass as they are.
  EXPECT_EQ(Accept("/\xC3\xA9").relative, "\xC3\xA9");
}

TEST(RequestPathTest, DropsQueryAndFragment) {
  EXPECT_EQ(Accept("/a/b?x=1&y=%zz").relative, "a/b");
  EXPECT_EQ(Accept("/a/b#frag").relative, "a/b");
  EXPECT_EQ(Accept("/a/b?x#y").relative, "a/b");
  EXPECT_EQ(Accept("/a#y?x").relative, "a");
  // A '/' in the query is not a trailing slash; one before it is.
  EXPECT_FALSE(Accept("/a?x/").trailing_slash);
  RequestPath p = Accept("/dir/?sort=name");
  EXPECT_EQ(p.relative, "dir");
  EXPECT_TRUE(p.trailing_slash);
  // The root, with a query.
  p = Accept("/?x");
  EXPECT_EQ(p.relative, "");
  EXPECT_TRUE(p.trailing_slash);
}

TEST(RequestPathTest, CollapsesRepeatedSlashes) {
  EXPECT_EQ(Accept("/a//b").relative, "a/b");
  EXPECT_EQ(Accept("//a///b////c").relative, "a/b/c");
  RequestPath p = Accept("/a/b//");
  EXPECT_EQ(p.relative, "a/b");
  EXPECT_TRUE(p.trailing_slash);
}

TEST(RequestPathTest, TrailingSlash) {
  RequestPath p = Accept("/docs/");
  EXPECT_EQ(p.relative, "docs");
  EXPECT_TRUE(p.trailing_slash);
  EXPECT_FALSE(Accept("/docs").trailing_slash);
}

TEST(RequestPathTest, Root) {
  RequestPath p = Accept("/");
  EXPECT_EQ(p.relative, "");
  EXPECT_TRUE(p.trailing_slash);
  p = Accept("///");
  EXPECT_EQ(p.relative, "");
  EXPECT_TRUE(p.trailing_slash);
}

TEST(RequestPathTest, DotsThatAreNames) {
  EXPECT_EQ(Accept("/...").relative, "...");
  EXPECT_EQ(Accept("/.hidden/..x/x..").relative, ".hidden/..x/x..");
  EXPECT_EQ(Accept("/%2e%2e%2e").relative, "...");
  EXPECT_EQ(Accept("/%2Ehidden").relative, ".hidden");
}

TEST(RequestPathTest, SegmentOfExactlyNameMax) {
  const std::string segment(kMaxSegmentBytes, 'x');
  EXPECT_EQ(Accept("/" + segment).relative, segment);
  EXPECT_EQ(Accept("/a/" + segment + "/b").relative, "a/" + segment + "/b");
  // The limit is on decoded bytes: 255 encoded bytes are 765 raw ones.
  std::string encoded;
  for (size_t i = 0; i < kMaxSegmentBytes; ++i) encoded += "%41";
  EXPECT_EQ(Accept("/" + encoded).relative, std::string(kMaxSegmentBytes, 'A'));
}

TEST(RequestPathTest, PathOfExactlyMaxBytes) {
  const std::string relative = RelativeOfLength(kMaxPathBytes);
  RequestPath p = Accept("/" + relative + "/");
  EXPECT_EQ(p.relative, relative);
  EXPECT_TRUE(p.trailing_slash);
  // Collapsed slashes do not count.
  EXPECT_EQ(Accept("/" + std::string(10000, '/') + "a").relative, "a");
}

TEST(RequestPathTest, RejectsTargetsNotStartingWithSlash) {
  ExpectRejected("");
  ExpectRejected("a/b");
  ExpectRejected("*");
  ExpectRejected("http://x/a");
  ExpectRejected("?x");
  ExpectRejected("%2Fa");
}

TEST(RequestPathTest, RejectsBadPercentEncoding) {
  ExpectRejected("/%");
  ExpectRejected("/%4");
  ExpectRejected("/%zz");
  ExpectRejected("/%4g");
  ExpectRejected("/%g4");
  ExpectRejected("/a%");
  ExpectRejected("/a%?x=1");  // the query is gone before decoding
  ExpectRejected("/a%4#x");
  ExpectRejected("/%%41");
  ExpectRejected("/%/a");
  ExpectRejected("/% 1");
}

TEST(RequestPathTest, RejectsNulAndEncodedSeparators) {
  ExpectRejected("/%00");
  ExpectRejected("/a%00b");
  ExpectRejected(std::string_view("/a\0b", 4));
  ExpectRejected("/%2F");
  ExpectRejected("/%2f");
  ExpectRejected("/a%2Fb");
  ExpectRejected("/%2e%2e%2f%2e%2e%2fetc");
  ExpectRejected("/%5C");
  ExpectRejected("/%5c");
  ExpectRejected("/..%5c..%5cetc");
}

TEST(RequestPathTest, RejectsDotSegments) {
  ExpectRejected("/.");
  ExpectRejected("/..");
  ExpectRejected("/../");
  ExpectRejected("/./a");
  ExpectRejected("/a/./b");
  ExpectRejected("/a/../b");
  ExpectRejected("/a/..");
  ExpectRejected("/a/../");
  ExpectRejected("/a//..//b");
  ExpectRejected("/../etc/passwd");
  ExpectRejected("/%2e%2e/x");
  ExpectRejected("/%2E%2E/x");
  ExpectRejected("/.%2e/x");
  ExpectRejected("/%2e./x");
  ExpectRejected("/%2E");
  ExpectRejected("/a/%2e");
  ExpectRejected("/a/%2e/");
  ExpectRejected("/..?x");
}

TEST(RequestPathTest, RejectsTooLong) {
  ExpectRejected("/" + std::string(kMaxSegmentBytes + 1, 'x'));
  ExpectRejected("/a/" + std::string(kMaxSegmentBytes + 1, 'x') + "/b");
  std::string encoded;
  for (size_t i = 0; i <= kMaxSegmentBytes; ++i) encoded += "%41";
  ExpectRejected("/" + encoded);

  ExpectRejected("/" + RelativeOfLength(kMaxPathBytes + 1));
  ExpectRejected("/" + RelativeOfLength(kMaxPathBytes) + "/b");
  ExpectRejected("/" + RelativeOfLength(3 * kMaxPathBytes));
}

TEST(RequestPathTest, WhyMayBeNull) {
  RequestPath p;
  EXPECT_EQ(DecodeRequestPath("/..", &p), 400);
  EXPECT_EQ(DecodeRequestPath("/a", &p), 0);
  EXPECT_EQ(p.relative, "a");
}

TEST(RequestPathTest, ReusesThePathAcrossCalls) {
  RequestPath p;
  ASSERT_EQ(DecodeRequestPath("/long/name/here/", &p), 0);
  EXPECT_TRUE(p.trailing_slash);
  ASSERT_EQ(DecodeRequestPath("/x", &p), 0);
  EXPECT_EQ(p.relative, "x");
  EXPECT_FALSE(p.trailing_slash);
}

TEST(RequestPathTest, ParentAndName) {
  RequestPath p;
  p.relative = "a";
  EXPECT_EQ(p.parent(), "");
  EXPECT_EQ(p.name(), "a");

  p.relative = "a/b/c";
  EXPECT_EQ(p.parent(), "a/b");
  EXPECT_EQ(p.name(), "c");

  p.relative = "";
  EXPECT_EQ(p.parent(), "");
  EXPECT_EQ(p.name(), "");

  EXPECT_EQ(Accept("/dir/file.txt").parent(), "dir");
  EXPECT_EQ(Accept("/dir/file.txt").name(), "file.txt");
}

// Every byte, percent-encoded (both hex cases) as the whole of the only
// segment: refused for NUL, '/', '\' and '.' (a "." segment), else decoded
// to exactly that byte.
TEST(RequestPathTest, EveryEncodedByteAlone) {
  for (unsigned b = 0; b < 256; ++b) {
    for (const bool upper : {true, false}) {
      const std::string target = absl::StrCat("/", Encoded(b, upper));
      RequestPath p;
      std::string_view why;
      const int status = DecodeRequestPath(target, &p, &why);
      if (b == 0 || b == '/' || b == '\\' || b == '.') {
        EXPECT_EQ(status, 400) << "byte " << b;
        EXPECT_FALSE(why.empty()) << "byte " << b;
      } else {
        ASSERT_EQ(status, 0) << "byte " << b << " why: " << why;
        EXPECT_EQ(p.relative, std::string(1, static_cast<char>(b)))
            << "byte " << b;
        EXPECT_FALSE(p.trailing_slash);
      }
    }
  }
}

// The same inside a longer name, where '.' is an ordinary byte.
TEST(RequestPathTest, EveryEncodedByteInAName) {
  for (unsigned b = 0; b < 256; ++b) {
    const std::string target = absl::StrCat("/d/x", Encoded(b), "y");
    RequestPath p;
    std::string_view why;
    const int status = DecodeRequestPath(target, &p, &why);
    if (b == 0 || b == '/' || b == '\\') {
      EXPECT_EQ(status, 400) << "byte " << b;
      EXPECT_FALSE(why.empty()) << "byte " << b;
    } else {
      ASSERT_EQ(status, 0) << "byte " << b << " why: " << why;
      EXPECT_EQ(p.relative,
                absl::StrCat("d/x", std::string(1, static_cast<char>(b)), "y"))
          << "byte " << b;
    }
  }
}

// Raw bytes other than the ones with a meaning here ('/', '%', '?', '#') and
// NUL are name bytes as they are, control bytes and raw '\' included.
TEST(RequestPathTest, EveryRawByteInAName) {
  for (unsigned b = 1; b < 256; ++b) {
    if (b == '/' || b == '%' || b == '?' || b == '#') continue;
    const std::string name =
        absl::StrCat("x", std::string(1, static_cast<char>(b)), "y");
    EXPECT_EQ(Accept(absl::StrCat("/", name)).relative, name) << "byte " << b;
  }
}

}  // namespace
}  // namespace shardd::files
