// Ranges and conditional requests of the HTTP file service of a real shardd
// (4 shards), driven with curl: 206 with Content-Range for "a-b", "a-" and
// "-n", 416 past the end, the whole file for several ranges or a stale
// If-Range, none on HEAD; 304 for If-None-Match and If-Modified-Since, 412
// for If-Match; conditional PUTs (create-only, replace-only-if-unchanged).
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/eventually.h"

namespace shardd::integration {
namespace {

class FileConditionalTest : public FileServiceTest {
 protected:
  // The file's current ETag and Last-Modified, from a GET.
  std::string CurrentEtag(const std::string& path) {
    HttpResult get = Get(path);
    EXPECT_EQ(get.status, 200) << get.Describe();
    return get.Header("ETag").value_or("(no ETag)");
  }
  std::string CurrentLastModified(const std::string& path) {
    HttpResult get = Get(path);
    EXPECT_EQ(get.status, 200) << get.Describe();
    return get.Header("Last-Modified").value_or("(no Last-Modified)");
  }
  HttpResult GetWith(const std::string& path,
                     const std::vector<std::string>& headers) {
    std::vector<std::string> args;
    for (const std::string& header : headers) {
      args.insert(args.end(), {"-H", header});
    }
    return Get(path, args);
  }
};

// The whole file, as a 200 with no Content-Range.
void ExpectWhole(const HttpResult& result, const std::string& content) {
  EXPECT_EQ(result.status, 200) << result.Describe();
  EXPECT_EQ(result.Header("Content-Range"), std::nullopt) << result.head;
  EXPECT_EQ(result.Header("Content-Length"), absl::StrCat(content.size()));
  EXPECT_TRUE(result.body == content)
      << "got " << result.body.size() << " bytes";
}

// Bytes first..last (inclusive) of `content`, as a 206.
void ExpectPart(const HttpResult& result, const std::string& content,
                size_t first, size_t last) {
  EXPECT_EQ(result.status, 206) << result.Describe();
  EXPECT_EQ(result.Header("Content-Range"),
            absl::StrCat("bytes ", first, "-", last, "/", content.size()));
  EXPECT_EQ(result.Header("Content-Length"), absl::StrCat(last - first + 1));
  EXPECT_TRUE(result.body == content.substr(first, last - first + 1))
      << "got " << result.body.size() << " bytes";
  EXPECT_TRUE(result.Header("ETag").has_value()) << result.head;
}

TEST_F(FileConditionalTest, RangesGetPartialContent) {
  const std::string path = "/r/digits.txt";
  const std::string content = "0123456789abcdefghij";  // 20 bytes
  ASSERT_EQ(Put(path, content).status, 201);
  ExpectPart(GetWith(path, {"Range: bytes=2-5"}), content, 2, 5);
  ExpectPart(GetWith(path, {"Range: bytes=0-0"}), content, 0, 0);
  ExpectPart(GetWith(path, {"Range: bytes=19-19"}), content, 19, 19);
  ExpectPart(GetWith(path, {"Range: bytes=15-"}), content, 15, 19);
  ExpectPart(GetWith(path, {"Range: bytes=-3"}), content, 17, 19);
  ExpectPart(GetWith(path, {"Range: bytes=-100"}), content, 0, 19);
  ExpectPart(GetWith(path, {"Range: bytes=10-1000"}), content, 10, 19);
  ExpectPart(GetWith(path, {"Range: BYTES=1-2"}), content, 1, 2);
  // curl's own -r sends the same header.
  ExpectPart(Get(path, {"-r", "4-7"}), content, 4, 7);

  // Across the read chunks of a larger file.
  const std::string big = Pattern(300000, 5);
  ASSERT_EQ(Put("/r/big.bin", big).status, 201);
  ExpectPart(GetWith("/r/big.bin", {"Range: bytes=100000-299998"}), big, 100000,
             299998);
  ExpectPart(GetWith("/r/big.bin", {"Range: bytes=-140000"}), big, 160000,
             299999);
}

TEST_F(FileConditionalTest, UnsatisfiableRangesGet416) {
  const std::string content = "0123456789abcdefghij";
  ASSERT_EQ(Put("/r.txt", content).status, 201);
  for (const char* range : {"Range: bytes=20-", "Range: bytes=20-30",
                            "Range: bytes=100-", "Range: bytes=-0"}) {
    HttpResult result = GetWith("/r.txt", {range});
    EXPECT_EQ(result.status, 416) << range << result.Describe();
    EXPECT_EQ(result.Header("Content-Range"), "bytes */20") << range;
    EXPECT_FALSE(absl::StrContains(result.body, "0123")) << range;
  }
  // An empty file has no byte to send.
  ASSERT_EQ(Put("/empty.txt", "").status, 201);
  HttpResult empty = GetWith("/empty.txt", {"Range: bytes=0-"});
  EXPECT_EQ(empty.status, 416) << empty.Describe();
  EXPECT_EQ(empty.Header("Content-Range"), "bytes */0");
  ExpectPart(GetWith("/r.txt", {"Range: bytes=1-1"}), content, 1, 1);
}

TEST_F(FileConditionalTest, OtherRangesGetTheWholeFile) {
  const std::string content = "0123456789abcdefghij";
  ASSERT_EQ(Put("/w.txt", content).status, 201);
  for (const char* range :
       {"Range: bytes=0-1,5-6", "Range: bytes=0-1, 30-40", "Range: bytes=5-4",
        "Range: items=0-1", "Range: bytes=a-b", "Range: bytes=1-2-3",
        "Range: bytes=0-99999999999999999999"}) {
    SCOPED_TRACE(range);
    ExpectWhole(GetWith("/w.txt", {range}), content);
  }
}

TEST_F(FileConditionalTest, RangeOnHeadIsIgnored) {
  const std::string content = "0123456789abcdefghij";
  ASSERT_EQ(Put("/h.txt", content).status, 201);
  absl::StatusOr<std::string> head =
      HttpExchange(server().http_port(),
                   "HEAD /h.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-5\r\n"
                   "Connection: close\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_TRUE(head->starts_with("HTTP/1.1 200 ")) << *head;
  EXPECT_EQ(head->find("\r\n\r\n") + 4, head->size()) << *head;  // no body
  EXPECT_TRUE(absl::StrContains(*head, "\r\nContent-Length: 20\r\n")) << *head;
  EXPECT_FALSE(absl::StrContains(*head, "Content-Range")) << *head;
}

TEST_F(FileConditionalTest, IfRangeAppliesTheRangeOnlyToTheSameFile) {
  const std::string path = "/ir.txt";
  const std::string first = "first version, 27 bytes...\n";
  ASSERT_EQ(Put(path, first).status, 201);
  const std::string old_etag = CurrentEtag(path);
  ExpectPart(
      GetWith(path, {"Range: bytes=0-4", absl::StrCat("If-Range: ", old_etag)}),
      first, 0, 4);
  // A weak tag never matches (If-Range compares strongly).
  ExpectWhole(GetWith(path, {"Range: bytes=0-4",
                             absl::StrCat("If-Range: W/", old_etag)}),
              first);
  ExpectWhole(GetWith(path, {"Range: bytes=0-4", "If-Range: \"stale\""}),
              first);
  // A date within a second of now is no strong validator (another write in
  // that second would share it): the whole file. The file's time is moved
  // an hour ahead for that, so that a slow run cannot make it an old one.
  // The time is moved behind shardd's back, which its open-file caches show
  // within a second: the requests are repeated (bounded) until they do.
  const auto move_mtime = [&](std::chrono::hours by) {
    std::error_code error;
    std::filesystem::last_write_time(
        Root() + path,
        std::filesystem::last_write_time(Root() + path, error) + by, error);
    ASSERT_FALSE(error) << error.message();
  };
  // The file's modification time as an HTTP-date, read from the disk.
  const auto disk_date = [&] {
    struct stat st {};
    EXPECT_EQ(stat((Root() + path).c_str(), &st), 0);
    return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT",
                            absl::FromUnixSeconds(st.st_mtim.tv_sec),
                            absl::UTCTimeZone());
  };
  const auto range_if = [&](const std::string& date) {
    return GetWith(path,
                   {"Range: bytes=0-4", absl::StrCat("If-Range: ", date)});
  };
  move_mtime(std::chrono::hours(1));
  const std::string future = disk_date();
  ASSERT_TRUE(Eventually(absl::Seconds(5), [&] {
    return CurrentLastModified(path) == future;
  }));
  ExpectWhole(range_if(future), first);
  // Two hours back, it is an hour old: a strong validator.
  move_mtime(std::chrono::hours(-2));
  const std::string past = disk_date();
  HttpResult part;
  EXPECT_TRUE(Eventually(absl::Seconds(5), [&] {
    part = range_if(past);
    return part.status == 206;
  })) << part.Describe();
  ExpectPart(part, first, 0, 4);

  const std::string second = "second version, other bytes\n";
  ASSERT_EQ(Put(path, second).status, 204);
  ExpectWhole(
      GetWith(path, {"Range: bytes=0-4", absl::StrCat("If-Range: ", old_etag)}),
      second);
  ExpectPart(GetWith(path, {"Range: bytes=0-4",
                            absl::StrCat("If-Range: ", CurrentEtag(path))}),
             second, 0, 4);
}

TEST_F(FileConditionalTest, IfNoneMatchGets304) {
  const std::string path = "/inm.txt";
  ASSERT_EQ(Put(path, "cached\n").status, 201);
  const std::string etag = CurrentEtag(path);
  for (const std::string& condition :
       {absl::StrCat("If-None-Match: ", etag), std::string("If-None-Match: *"),
        absl::StrCat("If-None-Match: \"other\", W/", etag)}) {
    SCOPED_TRACE(condition);
    HttpResult result = GetWith(path, {condition});
    EXPECT_EQ(result.status, 304) << result.Describe();
    EXPECT_EQ(result.Header("ETag"), etag);
    EXPECT_TRUE(result.Header("Last-Modified").has_value()) << result.head;
    EXPECT_EQ(result.Header("Content-Length"), std::nullopt) << result.head;
    EXPECT_EQ(result.body, "");
  }
  // And not for a Range either: 304 comes first.
  EXPECT_EQ(
      GetWith(path, {absl::StrCat("If-None-Match: ", etag), "Range: bytes=0-1"})
          .status,
      304);
  ExpectWhole(GetWith(path, {"If-None-Match: \"other\""}), "cached\n");

  ASSERT_EQ(Put(path, "changed\n").status, 204);
  ExpectWhole(GetWith(path, {absl::StrCat("If-None-Match: ", etag)}),
              "changed\n");
  EXPECT_EQ(GetWith("/absent.txt", {"If-None-Match: *"}).status, 404);
}

TEST_F(FileConditionalTest, IfModifiedSince) {
  const std::string path = "/ims.txt";
  ASSERT_EQ(Put(path, "dated\n").status, 201);
  const std::string modified = CurrentLastModified(path);
  HttpResult same =
      GetWith(path, {absl::StrCat("If-Modified-Since: ", modified)});
  EXPECT_EQ(same.status, 304) << same.Describe();
  EXPECT_EQ(same.body, "");
  EXPECT_EQ(same.Header("Last-Modified"), modified);

  absl::Time when;
  std::string why;
  ASSERT_TRUE(absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", modified,
                              absl::UTCTimeZone(), &when, &why))
      << modified << ": " << why;
  const std::string day_before = absl::FormatTime(
      "%a, %d %b %Y %H:%M:%S GMT", when - absl::Hours(24), absl::UTCTimeZone());
  ExpectWhole(GetWith(path, {absl::StrCat("If-Modified-Since: ", day_before)}),
              "dated\n");
  ExpectWhole(GetWith(path, {"If-Modified-Since: not a date"}), "dated\n");
  // If-None-Match, present, decides instead.
  ExpectWhole(GetWith(path, {absl::StrCat("If-Modified-Since: ", modified),
                             "If-None-Match: \"other\""}),
              "dated\n");
}

TEST_F(FileConditionalTest, IfMatchOnGet) {
  const std::string path = "/im.txt";
  ASSERT_EQ(Put(path, "guarded\n").status, 201);
  HttpResult wrong = GetWith(path, {"If-Match: \"wrong\""});
  EXPECT_EQ(wrong.status, 412) << wrong.Describe();
  EXPECT_FALSE(absl::StrContains(wrong.body, "guarded"));
  ExpectWhole(GetWith(path, {absl::StrCat("If-Match: ", CurrentEtag(path))}),
              "guarded\n");
  ExpectWhole(GetWith(path, {"If-Match: *"}), "guarded\n");
}

TEST_F(FileConditionalTest, PutIfNoneMatchStarCreatesOnly) {
  const std::string path = "/once/a.txt";
  HttpResult created =
      Put(path, "original\n", Expect::kNone, {"-H", "If-None-Match: *"});
  EXPECT_EQ(created.status, 201) << created.Describe();
  for (const Expect expect : {Expect::kNone, Expect::kContinue}) {
    HttpResult again =
        Put(path, "overwritten\n", expect, {"-H", "If-None-Match: *"});
    EXPECT_EQ(again.status, 412) << again.Describe();
    // Refused before its body was read: the connection is not reused.
    EXPECT_EQ(again.Header("Connection"), "close") << again.head;
    EXPECT_FALSE(absl::StrContains(again.all_heads, " 100 Continue"));
    EXPECT_EQ(ReadFileBytes(Root() + path), "original\n");
  }
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

TEST_F(FileConditionalTest, PutIfMatchReplacesOnlyTheSameFile) {
  const std::string path = "/guarded.txt";
  ASSERT_EQ(Put(path, "one\n").status, 201);
  const std::string etag_one = CurrentEtag(path);
  HttpResult replaced = Put(path, "two\n", Expect::kNone,
                            {"-H", absl::StrCat("If-Match: ", etag_one)});
  EXPECT_EQ(replaced.status, 204) << replaced.Describe();
  EXPECT_EQ(ReadFileBytes(Root() + path), "two\n");

  // Someone else's write came first: the stale tag no longer matches.
  HttpResult stale = Put(path, "three\n", Expect::kNone,
                         {"-H", absl::StrCat("If-Match: ", etag_one)});
  EXPECT_EQ(stale.status, 412) << stale.Describe();
  EXPECT_EQ(ReadFileBytes(Root() + path), "two\n");
  HttpResult stale_continue = Put(path, "three\n", Expect::kContinue,
                                  {"-H", absl::StrCat("If-Match: ", etag_one)});
  EXPECT_EQ(stale_continue.status, 412) << stale_continue.Describe();
  EXPECT_EQ(ReadFileBytes(Root() + path), "two\n");

  // If-Match needs a current file.
  HttpResult absent =
      Put("/absent.txt", "x\n", Expect::kNone, {"-H", "If-Match: *"});
  EXPECT_EQ(absent.status, 412) << absent.Describe();
  EXPECT_FALSE(fs::exists(Root() + "/absent.txt"));
  EXPECT_EQ(Put(path, "four\n", Expect::kNone, {"-H", "If-Match: *"}).status,
            204);
  EXPECT_EQ(ReadFileBytes(Root() + path), "four\n");
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

// If-Match on a file that does not exist fails (RFC 9110 13.1.1): 412
// for a DELETE as for a PUT, and nothing is created.
TEST_F(FileConditionalTest, IfMatchOnAMissingFileIs412) {
  EXPECT_EQ(Delete("/none.txt", {"-H", "If-Match: \"x\""}).status, 412);
  EXPECT_EQ(Put("/none.txt", "x", Expect::kNone, {"-H", "If-Match: *"}).status,
            412);
  EXPECT_FALSE(std::filesystem::exists(Root() + "/none.txt"));
}

}  // namespace
}  // namespace shardd::integration
