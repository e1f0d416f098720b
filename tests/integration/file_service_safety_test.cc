// The file service's walls, on a real shardd (4 shards) driven with curl:
// no request reads, writes or deletes outside <dir>/files, whether it names
// the outside with dot segments (plain or percent-encoded), encoded
// separators or NUL bytes, or goes through a symlink planted in the root
// (absolute or relative); a FIFO or socket in the root is refused at once,
// without holding up other requests; a client that leaves in the middle of
// a PUT leaves no file and no temporary behind; one that does not read a
// large GET holds up no one and is closed; and the bearer token
// (--http_token, --http_token_reads, the refusal to bind beyond loopback
// without one). Ordinary requests: file_service_test.cc.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
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
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

constexpr char kSecret[] = "TOP SECRET: never served\n";
constexpr char kAuthorization[] = "Authorization: Bearer s3cret";

// What a path outside the root may get.
bool Refused(int status) {
  return status == 400 || status == 403 || status == 404;
}

// With secrets outside the root: <scratch>/secret.txt, a directory beside
// the data directory, and <dir>/x, beside the root.
class FileSafetyTest : public FileServiceTest {
 protected:
  void SetUp() override {
    FileServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::StatusOr<TempDir> scratch = TempDir::Create("shardd-scratch-");
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    scratch_ = *std::move(scratch);
    ASSERT_TRUE(WriteFileBytes(scratch_.path() + "/secret.txt", kSecret));
    ASSERT_TRUE(WriteFileBytes(server().data_dir() + "/x", kSecret));
  }

  std::string ScratchName() const {
    return fs::path(scratch_.path()).filename().string();
  }
  // The scratch directory seen from the root: both are made in $TMPDIR.
  std::string ScratchFromRoot() const { return absl::StrCat("../../", ScratchName()); }

  // The secrets are as they were, and nothing was added beside them.
  void ExpectSecretsUntouched() {
    EXPECT_EQ(ReadFileBytes(scratch_.path() + "/secret.txt"), kSecret);
    EXPECT_EQ(ReadFileBytes(server().data_dir() + "/x"), kSecret);
    std::vector<std::string> names;
    for (const fs::directory_entry& entry :
         fs::directory_iterator(scratch_.path())) {
      names.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(names, std::vector<std::string>{"secret.txt"});
  }

  TempDir scratch_;
};

TEST_F(FileSafetyTest, DotSegmentsAndEncodedSeparatorsNeverLeaveTheRoot) {
  ASSERT_EQ(Put("/a/b", "inside\n").status, 201);  // what "/a%2fb" would be
  const std::vector<std::string> targets = {
      "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E%2Fx", "/..%2fx", "/a%2fb",
      "/%00x", "/x%00", "/..%5cx", "/a/%2e%2e/%2e%2e/x", "/../shardd.lock",
      absl::StrCat("/", ScratchFromRoot(), "/secret.txt"),
      absl::StrCat("/%2e%2e/%2e%2e/", ScratchName(), "/secret.txt")};
  for (const std::string& target : targets) {
    HttpResult get = Get(target);
    EXPECT_TRUE(Refused(get.status)) << target << ": " << get.Describe();
    EXPECT_FALSE(absl::StrContains(get.body, "SECRET")) << target;
    HttpResult put = Put(target, "OVERWRITTEN\n", Expect::kContinue);
    EXPECT_TRUE(Refused(put.status)) << target << ": " << put.Describe();
    HttpResult deleted = Delete(target);
    EXPECT_TRUE(Refused(deleted.status)) << target << ": "
                                         << deleted.Describe();
  }
  for (const char* target :
       {"//etc/passwd", "/../../../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"}) {
    HttpResult get = Get(target);
    EXPECT_TRUE(Refused(get.status)) << target << ": " << get.Describe();
    EXPECT_FALSE(absl::StrContains(get.body, "root:")) << target;
  }
  ExpectSecretsUntouched();
  EXPECT_EQ(ReadFileBytes(Root() + "/a/b"), "inside\n");
  EXPECT_TRUE(fs::exists(server().data_dir() + "/shardd.lock"));
}

TEST_F(FileSafetyTest, SymlinksOutOfTheRootAreNotFollowed) {
  const std::string outside = ScratchFromRoot();
  std::error_code error;
  fs::create_directory_symlink(scratch_.path(), Root() + "/out", error);
  ASSERT_FALSE(error) << error.message();
  fs::create_symlink(scratch_.path() + "/secret.txt", Root() + "/secret.txt",
                     error);
  ASSERT_FALSE(error) << error.message();
  fs::create_directory_symlink(outside, Root() + "/rel", error);
  ASSERT_FALSE(error) << error.message();
  fs::create_symlink(outside + "/secret.txt", Root() + "/relsecret.txt",
                     error);
  ASSERT_FALSE(error) << error.message();
  for (const char* link : {"/out/secret.txt", "/secret.txt",
                           "/rel/secret.txt", "/relsecret.txt"}) {
    ASSERT_EQ(ReadFileBytes(Root() + link), kSecret)
        << link << " is no way out";
    HttpResult get = Get(link);
    EXPECT_TRUE(get.status == 403 || get.status == 404)
        << link << ": " << get.Describe();
    EXPECT_FALSE(absl::StrContains(get.body, "SECRET")) << link;
  }
  for (const char* target : {"/out/new.txt", "/rel/new.txt", "/out/secret.txt",
                             "/rel/secret.txt", "/out/deeper/new.txt"}) {
    HttpResult put = Put(target, "OVERWRITTEN\n", Expect::kContinue);
    EXPECT_TRUE(put.status == 403 || put.status == 404)
        << target << ": " << put.Describe();
  }
  for (const char* target : {"/out/secret.txt", "/rel/secret.txt"}) {
    HttpResult deleted = Delete(target);
    EXPECT_TRUE(deleted.status == 403 || deleted.status == 404)
        << target << ": " << deleted.Describe();
  }
  ExpectSecretsUntouched();
}

// unlinkat and renameat act on a link in the root, never on its target.
TEST_F(FileSafetyTest, WritesToALeafSymlinkNeverReachItsTarget) {
  std::error_code error;
  fs::create_symlink(scratch_.path() + "/secret.txt", Root() + "/secret.txt",
                     error);
  ASSERT_FALSE(error) << error.message();
  fs::create_symlink(ScratchFromRoot() + "/secret.txt",
                     Root() + "/relsecret.txt", error);
  ASSERT_FALSE(error) << error.message();
  HttpResult deleted = Delete("/secret.txt");
  EXPECT_TRUE(deleted.status == 204 || Refused(deleted.status))
      << deleted.Describe();
  if (deleted.status == 204) {  // the link went, not the file
    EXPECT_FALSE(fs::exists(fs::symlink_status(Root() + "/secret.txt")));
  }
  HttpResult put = Put("/relsecret.txt", "REPLACED\n");
  EXPECT_TRUE(put.status == 201 || put.status == 204 || Refused(put.status))
      << put.Describe();
  if (put.status == 201 || put.status == 204) {  // the link was replaced
    EXPECT_FALSE(fs::is_symlink(Root() + "/relsecret.txt"));
    EXPECT_EQ(ReadFileBytes(Root() + "/relsecret.txt"), "REPLACED\n");
  }
  ExpectSecretsUntouched();
}

TEST_F(FileSafetyTest, FifoAndSocketAreRefusedWithoutHoldingUpOthers) {
  ASSERT_EQ(mkfifo((Root() + "/pipe").c_str(), 0644), 0) << strerror(errno);
  ASSERT_EQ(Put("/ok.txt", "fine\n").status, 201);
  // The FIFO's GET in the background (no writer will ever open it), a
  // plain GET meanwhile; each curl gives up after 10 s.
  const std::string fifo_code = WorkFile("code"), ok_code = WorkFile("code");
  const std::string ok_body = WorkFile("body");
  auto curl = [&](const std::string& path, const std::string& body,
                  const std::string& code) {
    return absl::StrCat("curl -s -S --max-time 10 -o ", ShellQuote(body),
                        " -w '%{http_code}' ", ShellQuote(Url(path)), " >",
                        ShellQuote(code), " 2>&1");
  };
  const absl::Time start = absl::Now();
  const ProgramResult run = RunProgram(
      {"sh", "-c", curl("/pipe", "/dev/null", fifo_code) + " & " +
                       curl("/ok.txt", ok_body, ok_code) + "; wait"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(9));
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(ReadFileBytes(fifo_code), "403");
  EXPECT_EQ(ReadFileBytes(ok_code), "200");
  EXPECT_EQ(ReadFileBytes(ok_body), "fine\n");
  absl::StatusOr<std::string> head = HttpExchange(
      server().http_port(),
      "HEAD /pipe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_TRUE(head->starts_with("HTTP/1.1 403 ")) << *head;

  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = Root() + "/sock";
  if (socket_path.size() >= sizeof(address.sun_path)) return;  // too long
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0) << strerror(errno);
  const int bound =
      bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  const int bind_errno = errno;
  HttpResult get = Get("/sock");
  close(fd);
  ASSERT_EQ(bound, 0) << strerror(bind_errno);
  EXPECT_EQ(get.status, 403) << get.Describe();
}

// With a FIN, then with a reset (SO_LINGER 0), once the body's first 1000
// bytes of 1000000 are in the PUT's temporary.
TEST_F(FileSafetyTest, ClientLeavingMidPutLeavesNothingBehind) {
  for (const bool reset : {false, true}) {
    SCOPED_TRACE(reset ? "reset" : "close");
    const std::string path = reset ? "/drop/reset.bin" : "/drop/closed.bin";
    {
      absl::StatusOr<RespClient> client =
          RespClient::ConnectTcp("127.0.0.1", server().http_port());
      ASSERT_TRUE(client.ok()) << client.status();
      ASSERT_TRUE(client
                      ->Send(absl::StrCat(
                          "PUT ", path,
                          " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000"
                          "\r\n\r\n",
                          Pattern(1000, 5)))
                      .ok());
      ASSERT_TRUE(Eventually(absl::Seconds(10), [&] {
        for (const std::string& temp : TempFilesUnder(Root())) {
          std::error_code error;
          if (fs::file_size(temp, error) == 1000 && !error) return true;
        }
        return false;
      })) << "no temporary holds the 1000 bytes sent";
      if (reset) {
        const linger no_linger{.l_onoff = 1, .l_linger = 0};
        ASSERT_EQ(setsockopt(client->fd(), SOL_SOCKET, SO_LINGER, &no_linger,
                             sizeof(no_linger)),
                  0);
      }
    }  // closes the connection
    ASSERT_TRUE(Eventually(absl::Seconds(5), [&] {
      return TempFilesUnder(Root()).empty();
    })) << absl::StrJoin(TempFilesUnder(Root()), " ");
    EXPECT_FALSE(fs::exists(Root() + path));
  }
  EXPECT_EQ(Put("/drop/after.txt", "after\n").status, 201);
  EXPECT_EQ(Get("/drop/after.txt").body, "after\n");
}

// Both ways of sending a large body: spliced (the wait for a full socket is
// a poll on the shard's ring, never an io_uring worker blocked in a
// splice) and copied.
class SlowReaderTest : public FileServiceTest,
                       public ::testing::WithParamInterface<bool> {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=1", "--http_idle_timeout=1",
            GetParam() ? "--http_splice=true" : "--http_splice=false"};
  }

  // shardd_files_connections summed over the shards, from /metrics; -1 if
  // it cannot be read (no such line counts as that too).
  int FilesConnections() const {
    absl::StatusOr<std::string> metrics =
        HttpGetBody(server().admin_port(), "/metrics");
    if (!metrics.ok()) return -1;
    int total = 0;
    bool found = false;
    for (absl::string_view line : absl::StrSplit(*metrics, '\n')) {
      if (!absl::ConsumePrefix(&line, "shardd_files_connections{")) continue;
      int value = 0;
      if (!absl::SimpleAtoi(line.substr(line.rfind(' ') + 1), &value)) {
        return -1;
      }
      total += value;
      found = true;
    }
    return found ? total : -1;
  }
};

TEST_P(SlowReaderTest, AClientThatDoesNotReadHoldsUpNoOneAndIsClosed) {
  const std::string big = Pattern(8 << 20, 7);
  ASSERT_EQ(Put("/big.bin", big).status, 201);
  std::vector<RespClient> stalled;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", server().http_port());
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE(client->Send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").ok());
    stalled.push_back(*std::move(client));
  }
  // The same shard serves others meanwhile (one shard: all of them).
  for (int i = 0; i < 3; ++i) {
    HttpResult get = Get("/big.bin");
    ASSERT_EQ(get.status, 200) << get.Describe();
    EXPECT_TRUE(get.body == big) << "body differs, " << get.body.size()
                                 << " bytes";
  }
  EXPECT_TRUE(Eventually(absl::Seconds(20),
                         [&] { return FilesConnections() == 0; }))
      << FilesConnections() << " file connections still open";
  for (RespClient& client : stalled) {
    absl::StatusOr<std::string> got = client.ReadUntilClosed();
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(got->starts_with("HTTP/1.1 200 "));
    EXPECT_LT(got->size(), big.size()) << "the response was not cut short";
  }
}

// Clients that go away in the middle of a large body, with a FIN or a
// reset, cost the server nothing but their connections, which close.
TEST_P(SlowReaderTest, ClientsLeavingMidBodyHarmNothing) {
  const std::string big = Pattern(8 << 20, 8);
  ASSERT_EQ(Put("/big.bin", big).status, 201);
  for (int i = 0; i < 8; ++i) {
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", server().http_port());
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE(client->Send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").ok());
    pollfd readable{.fd = client->fd(), .events = POLLIN};
    ASSERT_EQ(poll(&readable, 1, 10'000), 1) << "no response";
    char some[4096];
    ASSERT_GT(read(client->fd(), some, sizeof(some)), 0) << strerror(errno);
    if (i % 2 == 1) {
      const linger no_linger{.l_onoff = 1, .l_linger = 0};
      ASSERT_EQ(setsockopt(client->fd(), SOL_SOCKET, SO_LINGER, &no_linger,
                           sizeof(no_linger)),
                0);
    }
  }  // each closes as it goes
  HttpResult get = Get("/big.bin");
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_TRUE(get.body == big);
  EXPECT_TRUE(Eventually(absl::Seconds(20),
                         [&] { return FilesConnections() == 0; }))
      << FilesConnections() << " file connections still open";
}

INSTANTIATE_TEST_SUITE_P(SpliceAndCopy, SlowReaderTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Splice" : "Copy";
                         });

TEST(FileServiceStartTest, NonLoopbackBindWithoutTokenRefusesToStart) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> flags = WithTestDefaults(
      {"--port=0", "--shards=1", "--http_bind=0.0.0.0"}, &data_dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  std::vector<std::string> argv = {ShardBinary()};
  argv.insert(argv.end(), flags->begin(), flags->end());
  const ProgramResult run = RunProgram(argv, {}, absl::Seconds(30));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.exit_code, 124) << "it ran until the timeout";
  EXPECT_TRUE(absl::StrContains(run.stderr_text, "--http_token"))
      << run.stderr_text;
}

class TokenTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--http_token=s3cret"};
  }
};

TEST_F(TokenTest, WritesNeedTheBearerTokenReadsDoNot) {
  HttpResult anonymous = Put("/t.txt", "token\n", Expect::kContinue);
  EXPECT_EQ(anonymous.status, 401) << anonymous.Describe();
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), "Bearer");
  HttpResult wrong = Put("/t.txt", "token\n", Expect::kContinue,
                         {"-H", "Authorization: Bearer s3cre"});
  EXPECT_EQ(wrong.status, 401) << wrong.Describe();
  EXPECT_FALSE(fs::exists(Root() + "/t.txt"));
  HttpResult put =
      Put("/t.txt", "token\n", Expect::kContinue, {"-H", kAuthorization});
  EXPECT_EQ(put.status, 201) << put.Describe();
  HttpResult get = Get("/t.txt");
  EXPECT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body, "token\n");
  EXPECT_EQ(Delete("/t.txt").status, 401);
  EXPECT_TRUE(fs::exists(Root() + "/t.txt"));
  EXPECT_EQ(Delete("/t.txt", {"-H", kAuthorization}).status, 204);
  EXPECT_FALSE(fs::exists(Root() + "/t.txt"));
}

class TokenReadsTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--http_token=s3cret",
            "--http_token_reads"};
  }
};

TEST_F(TokenReadsTest, ReadsNeedTheBearerTokenToo) {
  ASSERT_EQ(Put("/r.txt", "private\n", Expect::kNone, {"-H", kAuthorization})
                .status,
            201);
  HttpResult anonymous = Get("/r.txt");
  EXPECT_EQ(anonymous.status, 401) << anonymous.Describe();
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), "Bearer");
  EXPECT_FALSE(absl::StrContains(anonymous.body, "private"));
  absl::StatusOr<std::string> head = HttpExchange(
      server().http_port(),
      "HEAD /r.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_TRUE(head->starts_with("HTTP/1.1 401 ")) << *head;
  HttpResult get = Get("/r.txt", {"-H", kAuthorization});
  EXPECT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.body, "private\n");
}

}  // namespace
}  // namespace shardd::integration
