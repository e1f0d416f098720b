// The HTTP file service of a real shardd (4 shards), driven with curl: the
// ready line names its port; PUT (201, then 204), GET, HEAD and DELETE round
// trips with their headers, for an empty file and a 100 MiB one (with and
// without Expect: 100-continue); keep-alive; 405, 404 for directories, 400
// for PUTs without a file name, 413 past --max_body_bytes, 403 for the
// temporaries' names; the data directory's lock. (Paths leaving the root,
// symlinks, FIFOs, clients that leave mid-PUT and the bearer token:
// file_service_safety_test.cc.)
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

TEST_F(FileServiceTest, ReadyLineEndsWithTheHttpPort) {
  const std::string output = server().Output();
  const size_t start = output.find("shardd ready ");
  ASSERT_NE(start, std::string::npos) << output;
  const size_t end = output.find('\n', start);
  ASSERT_NE(end, std::string::npos) << output;
  const std::string line = output.substr(start, end - start);
  std::vector<std::string> keys, values;
  for (absl::string_view field :
       absl::StrSplit(line.substr(13), ' ', absl::SkipEmpty())) {
    const std::pair<std::string, std::string> kv =
        absl::StrSplit(field, absl::MaxSplits('=', 1));
    keys.push_back(kv.first);
    values.push_back(kv.second);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"port", "shards", "admin_port",
                                            "http_port"}))
      << line;
  ASSERT_EQ(values.size(), 4u) << line;
  EXPECT_EQ(values[0], absl::StrCat(port()));
  EXPECT_EQ(values[1], "4");
  EXPECT_EQ(values[2], absl::StrCat(server().admin_port()));
  EXPECT_EQ(values[3], absl::StrCat(server().http_port()));
  EXPECT_NE(server().http_port(), port());
  EXPECT_NE(server().http_port(), server().admin_port());
}

TEST_F(FileServiceTest, PutGetHeadDeleteRoundTrip) {
  const std::string path = "/docs/notes/a.txt";
  const std::string file = Root() + path;
  const std::string first = "version one\n", second = "version two\n";
  HttpResult put = Put(path, first);
  ASSERT_EQ(put.status, 201) << put.Describe();
  EXPECT_TRUE(fs::is_directory(Root() + "/docs/notes"));  // parents made
  EXPECT_EQ(ReadFileBytes(file), first);

  HttpResult get = Get(path);
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body, first);
  EXPECT_EQ(get.Header("Content-Length"), absl::StrCat(first.size()));
  EXPECT_EQ(get.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(get.Header("Accept-Ranges"), "bytes");
  const std::optional<std::string> etag = get.Header("ETag");
  ASSERT_TRUE(etag.has_value()) << get.head;
  EXPECT_TRUE(etag->size() > 2 && etag->starts_with('"') &&
              etag->ends_with('"'))
      << *etag;
  const std::optional<std::string> modified = get.Header("Last-Modified");
  ASSERT_TRUE(modified.has_value()) << get.head;
  absl::Time when;
  std::string why;
  ASSERT_TRUE(absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", *modified,
                              absl::UTCTimeZone(), &when, &why))
      << *modified << ": " << why;
  EXPECT_LT(absl::AbsDuration(absl::Now() - when), absl::Minutes(10));

  // HEAD, on a raw socket to see every byte: GET's headers, no body.
  absl::StatusOr<std::string> head = HttpExchange(
      server().http_port(),
      absl::StrCat("HEAD ", path,
                   " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_TRUE(head->starts_with("HTTP/1.1 200 ")) << *head;
  EXPECT_EQ(head->find("\r\n\r\n") + 4, head->size()) << *head;
  EXPECT_TRUE(absl::StrContains(
      *head, absl::StrCat("\r\nContent-Length: ", first.size(), "\r\n")));
  EXPECT_TRUE(absl::StrContains(*head, absl::StrCat("\r\nETag: ", *etag, "\r\n")));

  // A replace: as long as the first, so only the file's identity differs.
  put = Put(path, second);
  EXPECT_EQ(put.status, 204) << put.Describe();
  get = Get(path);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, second);
  EXPECT_NE(get.Header("ETag"), etag);
  EXPECT_TRUE(TempFilesUnder(Root()).empty());

  HttpResult deleted = Delete(path);
  EXPECT_EQ(deleted.status, 204) << deleted.Describe();
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(Get(path).status, 404);
  EXPECT_EQ(Delete(path).status, 404);
}

TEST_F(FileServiceTest, ContentTypeFollowsTheExtensionAndEmptyFilesWork) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/page.html", "text/html; charset=utf-8"},
      {"/data.json", "application/json; charset=utf-8"},
      {"/shout.TXT", "text/plain; charset=utf-8"},
      {"/blob.unknownext", "application/octet-stream"},
      {"/no_extension", "application/octet-stream"},
  };
  for (const auto& [path, type] : cases) {
    ASSERT_EQ(Put(path, "{}\n").status, 201) << path;
    HttpResult get = Get(path);
    EXPECT_EQ(get.status, 200) << path;
    EXPECT_EQ(get.Header("Content-Type"), type) << path;
  }
  HttpResult put = Put("/empty.txt", "");
  ASSERT_EQ(put.status, 201) << put.Describe();
  std::error_code error;
  EXPECT_EQ(fs::file_size(Root() + "/empty.txt", error), 0u);
  EXPECT_FALSE(error) << error.message();
  HttpResult get = Get("/empty.txt");
  EXPECT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.Header("Content-Length"), "0");
  EXPECT_EQ(get.body, "");
}

TEST_F(FileServiceTest, HundredMebibytesRoundTripWithAndWithoutContinue) {
  const size_t size = size_t{100} << 20;
  const std::string path = "/big/blob.bin";
  const std::string first = Pattern(size, 1), second = Pattern(size, 2);
  HttpResult put = Put(path, first, Expect::kNone);
  ASSERT_EQ(put.status, 201) << put.Describe();
  EXPECT_FALSE(absl::StrContains(put.all_heads, " 100 Continue"));
  HttpResult get = Get(path);
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.Header("Content-Length"), absl::StrCat(size));
  EXPECT_TRUE(get.body == first) << "got " << get.body.size() << " bytes";

  // curl sends the body only after the server's 100 Continue.
  put = Put(path, second, Expect::kContinue);
  ASSERT_EQ(put.status, 204) << put.Describe();
  EXPECT_TRUE(put.all_heads.starts_with("HTTP/1.1 100 Continue\r\n"))
      << put.all_heads;
  get = Get(path);
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_TRUE(get.body == second) << "got " << get.body.size() << " bytes";
  EXPECT_TRUE(ReadFileBytes(Root() + path) == second);
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

TEST_F(FileServiceTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  ASSERT_EQ(Put("/one.txt", "one\n").status, 201);
  ASSERT_EQ(Put("/two.txt", "two\n").status, 201);
  // %{num_connects}: 0 when the transfer reused the connection.
  const std::string format = "%{http_code} %{num_connects}\n";
  const std::string out1 = WorkFile("out"), out2 = WorkFile("out");
  ProgramResult gets = RunProgram({"curl", "-s", "-S", "-w", format, "-o",
                                   out1, Url("/one.txt"), "-o", out2,
                                   Url("/two.txt")});
  EXPECT_EQ(gets.stdout_text, "200 1\n200 0\n") << gets.stderr_text;
  EXPECT_EQ(ReadFileBytes(out1), "one\n");
  EXPECT_EQ(ReadFileBytes(out2), "two\n");

  // A PUT, its body read to the end, then a GET on the same connection.
  const std::string body = WorkFile("put"), out3 = WorkFile("out");
  ASSERT_TRUE(WriteFileBytes(body, "three\n"));
  ProgramResult mixed = RunProgram(
      {"curl", "-s", "-S", "-H", "Expect:", "-T", body, "-o", "/dev/null",
       "-w", format, Url("/three.txt"), "--next", "-s", "-S", "-o", out3,
       "-w", format, Url("/three.txt")});
  EXPECT_EQ(mixed.stdout_text, "201 1\n200 0\n") << mixed.stderr_text;
  EXPECT_EQ(ReadFileBytes(out3), "three\n");
}

TEST_F(FileServiceTest, RefusesOtherMethodsDirectoriesAndNamelessWrites) {
  HttpResult post = Curl("/x.txt", {"-X", "POST"});
  EXPECT_EQ(post.status, 405) << post.Describe();
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD, PUT, DELETE");

  ASSERT_EQ(Put("/dir/inside.txt", "inside\n").status, 201);
  // A directory without the final '/' is no file; with it, a listing.
  EXPECT_EQ(Get("/dir").status, 404);
  HttpResult listing = Get("/dir/");
  EXPECT_EQ(listing.status, 200) << listing.Describe();
  EXPECT_EQ(listing.Header("Content-Type"), "application/json");
  EXPECT_TRUE(absl::StrContains(
      listing.body, "{\"name\":\"inside.txt\",\"type\":\"file\",\"size\":7,"))
      << listing.body;
  HttpResult root = Get("/");
  EXPECT_EQ(root.status, 200) << root.Describe();
  EXPECT_TRUE(absl::StrContains(root.body, "{\"name\":\"dir\",\"type\":\"dir\""))
      << root.body;
  for (const char* nameless : {"/", "/dir/"}) {
    EXPECT_EQ(Curl(nameless, {"-X", "PUT"}).status, 400) << nameless;
    // -T would append its file's name to a URL ending in '/'.
    HttpResult with_body = Curl(nameless, {"-X", "PUT", "-H",
                                           "Expect: 100-continue",
                                           "--data-binary", "body"});
    EXPECT_EQ(with_body.status, 400) << nameless << with_body.Describe();
    EXPECT_EQ(Delete(nameless).status, 400) << nameless;
  }
  EXPECT_EQ(Delete("/dir").status, 403);  // unlink of a directory
  std::vector<std::string> names;
  std::error_code error;
  for (fs::recursive_directory_iterator it(Root(), error), end;
       !error && it != end; it.increment(error)) {
    names.push_back(fs::relative(it->path(), Root()).string());
  }
  EXPECT_EQ(names.size(), 2u);  // nothing added, nothing removed
  EXPECT_EQ(ReadFileBytes(Root() + "/dir/inside.txt"), "inside\n");
}

TEST_F(FileServiceTest, TemporaryNamesAreReserved) {
  const std::string planted = Root() + "/" + kTempPrefix + "planted";
  ASSERT_TRUE(WriteFileBytes(planted, "in flight\n"));
  HttpResult get = Get(std::string("/") + kTempPrefix + "planted");
  EXPECT_EQ(get.status, 403) << get.Describe();
  EXPECT_FALSE(absl::StrContains(get.body, "in flight"));
  EXPECT_EQ(Delete(std::string("/") + kTempPrefix + "planted").status, 403);
  EXPECT_EQ(ReadFileBytes(planted), "in flight\n");
  // In any segment: a directory named so would be hidden from listings
  // and walked at start.
  for (const std::string& name :
       {std::string("/") + kTempPrefix + "new",
        std::string("/sub/") + kTempPrefix + "1",
        std::string("/") + kTempPrefix + "dir/file.txt"}) {
    HttpResult put = Put(name, "x", Expect::kContinue);
    EXPECT_EQ(put.status, 403) << name << put.Describe();
    EXPECT_FALSE(fs::exists(Root() + name)) << name;
  }
}

class MaxBodyTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--max_body_bytes=1000"};
  }
};

TEST_F(MaxBodyTest, OneByteOverTheLimitGets413AndStoresNothing) {
  HttpResult over = Put("/over.bin", Pattern(1001, 3), Expect::kContinue);
  EXPECT_EQ(over.status, 413) << over.Describe();
  EXPECT_FALSE(fs::exists(Root() + "/over.bin"));
  // Without Expect the head alone decides: 413, then a close.
  absl::StatusOr<std::string> raw = HttpExchange(
      server().http_port(),
      "PUT /raw.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_TRUE(raw->starts_with("HTTP/1.1 413 ")) << *raw;
  EXPECT_FALSE(fs::exists(Root() + "/raw.bin"));
  EXPECT_TRUE(TempFilesUnder(Root()).empty());

  HttpResult at = Put("/at.bin", Pattern(1000, 4));
  EXPECT_EQ(at.status, 201) << at.Describe();
  EXPECT_TRUE(ReadFileBytes(Root() + "/at.bin") == Pattern(1000, 4));
}

// curl sends a chunked body when told to (-H "Transfer-Encoding: chunked"
// with -T): the file is stored whole; a malformed chunked body gets 400 and
// leaves nothing behind.
TEST_F(FileServiceTest, ChunkedBodiesAreStoredWhole) {
  const std::string content = Pattern(3 * 1024 * 1024 + 17, 9);
  HttpResult put = Put("/chunked.bin", content, Expect::kNone,
                       {"-H", "Transfer-Encoding: chunked"});
  EXPECT_EQ(put.status, 201) << put.Describe();
  EXPECT_TRUE(ReadFileBytes(Root() + "/chunked.bin") == content);
  absl::StatusOr<std::string> bad = HttpExchange(
      server().http_port(),
      "PUT /bad.bin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "\r\n5\r\nhello\r\nzz\r\n");
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_TRUE(bad->starts_with("HTTP/1.1 400 ")) << *bad;
  EXPECT_FALSE(fs::exists(Root() + "/bad.bin"));
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

TEST_F(MaxBodyTest, AChunkedBodyOverTheLimitGets413) {
  HttpResult over = Put("/chunked-over.bin", Pattern(5000, 5), Expect::kNone,
                        {"-H", "Transfer-Encoding: chunked"});
  EXPECT_EQ(over.status, 413) << over.Describe();
  EXPECT_FALSE(fs::exists(Root() + "/chunked-over.bin"));
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

class ListingTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--http_list_max=2"};
  }
};

// A listing shows at most --http_list_max entries, sorted, and says it was
// cut; PUT temporaries never show.
TEST_F(ListingTest, ListingsAreBoundedAndSorted) {
  for (const char* name : {"/l/c.txt", "/l/a.txt", "/l/b.txt"}) {
    ASSERT_EQ(Put(name, "x").status, 201) << name;
  }
  HttpResult listing = Get("/l/");
  ASSERT_EQ(listing.status, 200) << listing.Describe();
  EXPECT_TRUE(absl::StrContains(listing.body, "\"truncated\":true"))
      << listing.body;
  EXPECT_EQ(std::count(listing.body.begin(), listing.body.end(), '{'), 3)
      << "the object and two entries: " << listing.body;
  const size_t a = listing.body.find("\"a.txt\"");
  const size_t b = listing.body.find("\"b.txt\"");
  EXPECT_TRUE(a != std::string::npos && b != std::string::npos && a < b)
      << listing.body;
}

// Pipelining: requests sent back to back in one write are answered in
// order on the one connection.
TEST_F(FileServiceTest, PipelinedRequestsAreAnsweredInOrder) {
  ASSERT_EQ(Put("/p1.txt", "one\n").status, 201);
  ASSERT_EQ(Put("/p2.txt", "two\n").status, 201);
  absl::StatusOr<std::string> both = HttpExchange(
      server().http_port(),
      "GET /p1.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /p2.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(both.ok()) << both.status();
  const size_t one = both->find("\r\n\r\none\n");
  const size_t missing = both->find("HTTP/1.1 404 ");
  const size_t two = both->find("\r\n\r\ntwo\n");
  EXPECT_TRUE(both->starts_with("HTTP/1.1 200 ")) << *both;
  EXPECT_TRUE(one != std::string::npos && missing != std::string::npos &&
              two != std::string::npos && one < missing && missing < two)
      << *both;
}

// HTTP/1.0: answered (as HTTP/1.1, which a 1.0 client reads) and closed,
// unless it asked for keep-alive.
TEST_F(FileServiceTest, Http10RequestsAreAnsweredAndClosed) {
  ASSERT_EQ(Put("/old.txt", "old\n").status, 201);
  absl::StatusOr<std::string> reply = HttpExchange(
      server().http_port(), "GET /old.txt HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->starts_with("HTTP/1.1 200 ")) << *reply;
  EXPECT_TRUE(absl::StrContains(*reply, "Connection: close\r\n")) << *reply;
  EXPECT_TRUE(reply->ends_with("\r\n\r\nold\n")) << *reply;
}

TEST_F(FileServiceTest, SecondServerOnTheSameDataDirRefusesToStart) {
  const ProgramResult second = RunProgram(
      {ShardBinary(), "--port=0", "--shards=1", "--admin=false",
       "--http_port=0", "--dir=" + server().data_dir()},
      {}, absl::Seconds(30));
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.exit_code, 124) << "it ran until the timeout";
  EXPECT_TRUE(absl::StrContains(second.stderr_text, "in use"))
      << second.stderr_text;
  ExpectServerAnswers();  // the first one is unharmed
  EXPECT_EQ(Put("/still.txt", "mine\n").status, 201);
}

}  // namespace
}  // namespace shardd::integration
