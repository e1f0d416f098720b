// What a reader of the file service can see while files change, on a real
// shardd (4 shards) over raw sockets: concurrent GETs of a path that several
// connections keep replacing get exactly one complete version each (never a
// mix, never a truncation; 404 only before the first PUT was answered); a
// GET on a new connection, on whichever shard, right after a PUT's 201/204
// returns that version; and after a kill -9 in the middle of a stream of
// PUTs, a restart on the same --dir finds every file a complete version, no
// older than the last one acknowledged, and no temporary left.
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

// How long one send or one response may take.
constexpr absl::Duration kIoTimeout = absl::Seconds(30);

// One response: the status, the head (status line and headers, without the
// blank line) and the body.
struct Response {
  int status = 0;
  std::string head;
  std::string body;
};

// An HTTP/1.1 client connection on a raw socket (RespClient's, which writes
// any bytes): a request written whole, its response read to the end of the
// body its Content-Length announces (204 and 304 have none), so the
// connection can carry the next request.
class HttpConnection {
 public:
  static absl::StatusOr<HttpConnection> Open(int port) {
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", port);
    if (!client.ok()) return client.status();
    client->set_timeout(kIoTimeout);
    return HttpConnection(*std::move(client));
  }

  absl::StatusOr<Response> Exchange(std::string_view head,
                                    std::string_view body = {}) {
    if (absl::Status sent = client_.Send(head); !sent.ok()) return sent;
    if (!body.empty()) {
      if (absl::Status sent = client_.Send(body); !sent.ok()) return sent;
    }
    return ReadResponse();
  }

  // Sends bytes without waiting for anything (a PUT left in the middle).
  absl::Status Send(std::string_view bytes) { return client_.Send(bytes); }

 private:
  explicit HttpConnection(RespClient client) : client_(std::move(client)) {}

  // Appends what the socket has to buffer_; an error at EOF or past
  // `deadline`.
  absl::Status Fill(absl::Time deadline) {
    while (true) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        return absl::DeadlineExceededError(
            absl::StrCat("no complete response; ", buffer_.size(),
                         " bytes: ", Printable(buffer_, 200)));
      }
      pollfd pfd{.fd = client_.fd(), .events = POLLIN, .revents = 0};
      const int ready =
          poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      if (ready < 0 && errno != EINTR) {
        return absl::UnavailableError(
            absl::StrCat("poll: ", std::strerror(errno)));
      }
      if (ready <= 0) continue;
      char chunk[64 * 1024];
      const ssize_t n = recv(client_.fd(), chunk, sizeof(chunk), 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return absl::OkStatus();
      }
      if (n == 0) {
        return absl::UnavailableError(
            absl::StrCat("closed after ", buffer_.size(), " bytes: ",
                         Printable(buffer_, 200)));
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return absl::UnavailableError(
            absl::StrCat("recv: ", std::strerror(errno)));
      }
    }
  }

  absl::StatusOr<Response> ReadResponse() {
    const absl::Time deadline = absl::Now() + kIoTimeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (absl::Status filled = Fill(deadline); !filled.ok()) return filled;
    }
    Response response;
    response.head = buffer_.substr(0, head_end);
    if (!response.head.starts_with("HTTP/1.1 ") ||
        !absl::SimpleAtoi(response.head.substr(9, 3), &response.status)) {
      return absl::InternalError(
          absl::StrCat("bad status line: ", Printable(response.head, 200)));
    }
    std::optional<size_t> length;
    for (absl::string_view line : absl::StrSplit(response.head, "\r\n")) {
      const size_t colon = line.find(':');
      size_t value;
      if (colon != absl::string_view::npos &&
          absl::EqualsIgnoreCase(line.substr(0, colon), "Content-Length") &&
          absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(colon + 1)),
                           &value)) {
        length = value;
      }
    }
    if (response.status == 204 || response.status == 304) length = 0;
    if (!length.has_value()) {
      return absl::InternalError(
          absl::StrCat("no Content-Length: ", response.head));
    }
    const size_t end = head_end + 4 + *length;
    while (buffer_.size() < end) {
      if (absl::Status filled = Fill(deadline); !filled.ok()) return filled;
    }
    response.body = buffer_.substr(head_end + 4, *length);
    buffer_.erase(0, end);
    return response;
  }

  RespClient client_;
  std::string buffer_;  // received, not yet returned
};

std::string PutHead(const std::string& path, size_t length, bool close) {
  return absl::StrCat("PUT ", path, " HTTP/1.1\r\nHost: x\r\nContent-Length: ",
                      length, "\r\n", close ? "Connection: close\r\n" : "",
                      "\r\n");
}

std::string GetHead(const std::string& path) {
  return absl::StrCat("GET ", path,
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

// PUT on a new connection (closed after the response).
absl::StatusOr<Response> PutOnce(int port, const std::string& path,
                                 const std::string& content) {
  absl::StatusOr<HttpConnection> connection = HttpConnection::Open(port);
  if (!connection.ok()) return connection.status();
  return connection->Exchange(PutHead(path, content.size(), true), content);
}

// GET on a new connection (closed after the response).
absl::StatusOr<Response> GetOnce(int port, const std::string& path) {
  absl::StatusOr<HttpConnection> connection = HttpConnection::Open(port);
  if (!connection.ok()) return connection.status();
  return connection->Exchange(GetHead(path));
}

// A version's content: a first line naming it ("<name>\n"), then a Pattern
// seeded by `seed`; `size` bytes in all.
std::string Version(const std::string& name, int seed, size_t size) {
  std::string content = Pattern(size, seed);
  const std::string label = absl::StrCat(name, "\n");
  content.replace(0, std::min(label.size(), size), label, 0,
                  std::min(label.size(), size));
  return content;
}

// The name on a version's first line, "" if there is none.
std::string VersionName(const std::string& content) {
  const size_t newline = content.find('\n');
  if (newline == std::string::npos || newline > 64) return "";
  return content.substr(0, newline);
}

std::string Describe(const std::string& content) {
  return absl::StrCat(content.size(), " bytes starting \"",
                      Printable(content, 24), "\"");
}

// What the threads of a test found wrong, reported by the test's thread.
class Failures {
 public:
  void Add(std::string what) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    if (list_.size() < 20) list_.push_back(std::move(what));
  }
  size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }
  std::string Summary() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return absl::StrCat(count_, " failure(s), the first ones:\n",
                        absl::StrJoin(list_, "\n"));
  }

 private:
  mutable std::mutex mutex_;
  size_t count_ = 0;
  std::vector<std::string> list_;
};

constexpr int kWriters = 3;
constexpr int kPutsPerWriter = 30;
constexpr int kReaders = 3;
constexpr size_t kVersionSize = 256 * 1024;
// Each reader goes on until the writers are done and it has read at least
// this many versions (so the test never passes having read nothing).
constexpr int kMinVersionsPerReader = 5;

// 3 writers each PUT 30 versions of one path (256 KiB each, a new
// connection each time, so on every shard), while 3 readers GET it (a new
// connection each time): every 200 is exactly one version, whole, one whose
// PUT had started; a 404 only while no PUT had been answered yet.
TEST_F(FileServiceTest, ConcurrentReadersSeeOneWholeVersion) {
  const std::string path = "/contended/file.bin";
  const int http_port = server().http_port();
  std::vector<std::string> versions;
  std::unordered_map<std::string, size_t> version_by_name;
  for (int w = 0; w < kWriters; ++w) {
    for (int k = 0; k < kPutsPerWriter; ++k) {
      const std::string name = absl::StrCat("writer ", w, " version ", k);
      version_by_name[name] = versions.size();
      versions.push_back(Version(name, 1 + w * kPutsPerWriter + k,
                                 kVersionSize));
    }
  }
  std::vector<std::atomic<bool>> started(versions.size());
  for (std::atomic<bool>& flag : started) flag = false;
  std::atomic<bool> first_answered{false};
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> reads_200{0}, reads_404{0};
  const absl::Time deadline = absl::Now() + absl::Seconds(150);
  Failures failures;

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int k = 0; k < kPutsPerWriter && absl::Now() < deadline; ++k) {
        const size_t id = static_cast<size_t>(w * kPutsPerWriter + k);
        started[id] = true;
        absl::StatusOr<Response> put = PutOnce(http_port, path, versions[id]);
        if (!put.ok() || (put->status != 201 && put->status != 204)) {
          failures.Add(absl::StrCat(
              "PUT of writer ", w, " version ", k, ": ",
              put.ok() ? put->head : put.status().ToString()));
          continue;
        }
        first_answered = true;
      }
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      int seen = 0;
      while ((writers_left > 0 || seen < kMinVersionsPerReader) &&
             absl::Now() < deadline) {
        const bool answered_before = first_answered;
        absl::StatusOr<Response> get = GetOnce(http_port, path);
        if (!get.ok()) {
          failures.Add(absl::StrCat("reader ", r, ": ",
                                    get.status().ToString()));
          continue;
        }
        if (get->status == 404) {
          ++reads_404;
          if (answered_before) {
            failures.Add(absl::StrCat(
                "reader ", r, ": 404 after a PUT had been answered"));
          }
          continue;
        }
        if (get->status != 200) {
          failures.Add(absl::StrCat("reader ", r, ": ", get->head));
          continue;
        }
        const auto found = version_by_name.find(VersionName(get->body));
        if (found == version_by_name.end() ||
            get->body != versions[found->second]) {
          failures.Add(absl::StrCat("reader ", r, ": not one version: ",
                                    Describe(get->body)));
          continue;
        }
        if (!started[found->second]) {
          failures.Add(absl::StrCat("reader ", r, " read \"", found->first,
                                    "\" before its PUT was sent"));
        }
        ++reads_200;
        ++seen;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  ASSERT_LT(absl::Now(), deadline) << "the test ran out of time";
  EXPECT_EQ(failures.count(), 0u) << failures.Summary();
  EXPECT_GE(reads_200.load(), kReaders * kMinVersionsPerReader);
  RecordProperty("reads_200", reads_200.load());
  RecordProperty("reads_404", reads_404.load());

  // The last rename is some writer's last PUT.
  absl::StatusOr<Response> last = GetOnce(http_port, path);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->status, 200) << last->head;
  const std::string name = VersionName(last->body);
  bool is_a_last_version = false;
  for (int w = 0; w < kWriters; ++w) {
    const std::string last_name =
        absl::StrCat("writer ", w, " version ", kPutsPerWriter - 1);
    if (name == last_name && last->body == versions[version_by_name[name]]) {
      is_a_last_version = true;
    }
  }
  EXPECT_TRUE(is_a_last_version) << Describe(last->body);
  EXPECT_TRUE(TempFilesUnder(Root()).empty())
      << absl::StrJoin(TempFilesUnder(Root()), " ");
}

// 50 times: a PUT on one keep-alive connection, then, as soon as its
// 201/204 is read, a GET on a new connection (any shard may take it): the
// version just written, whole. Sizes differ (up to ~500 KiB, several reads
// of 128 KiB), so a stale file differs in length too.
TEST_F(FileServiceTest, ReadYourWritesOnANewConnection) {
  const std::string path = "/ryw/file.bin";
  absl::StatusOr<HttpConnection> writer =
      HttpConnection::Open(server().http_port());
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE(absl::StrCat("version ", i));
    const std::string content =
        Version(absl::StrCat("version ", i), 100 + i,
                1000 + static_cast<size_t>(i) * 10007);
    absl::StatusOr<Response> put =
        writer->Exchange(PutHead(path, content.size(), false), content);
    ASSERT_TRUE(put.ok()) << put.status();
    ASSERT_EQ(put->status, i == 0 ? 201 : 204) << put->head;
    absl::StatusOr<Response> get = GetOnce(server().http_port(), path);
    ASSERT_TRUE(get.ok()) << get.status();
    ASSERT_EQ(get->status, 200) << get->head;
    ASSERT_TRUE(get->body == content)
        << "read " << Describe(get->body) << ", wrote "
        << Describe(content);
  }
}

constexpr int kCrashPaths = 20;
constexpr int kCrashWriters = 2;  // writer w owns the paths i with i % 2 == w
constexpr size_t kCrashVersionSize = 1 << 20;
// PUTs of the stream answered before the kill.
constexpr int kAcknowledgedBeforeKill = 6;

std::string CrashPath(int i) {
  return absl::StrCat("/crash/d", i % 4, "/p", i, ".bin");
}
std::string CrashVersionName(int i, int n) {
  return absl::StrCat("p", i, " v", n);
}
std::string CrashVersion(int i, int n) {
  return Version(CrashVersionName(i, n), i * 64 + n, kCrashVersionSize);
}

// shardd is killed (SIGKILL) while two threads PUT new versions of 20 paths
// (1 MiB each, a new connection each) and while a third PUT is held in the
// middle of its body (so a temporary is left by the crash), then restarted
// on the same --dir: it starts (the lock died with the process), every file
// is one whole version, no older than its last acknowledged one and no newer
// than its last one sent, the half-sent PUT changed nothing, and no
// temporary is left.
TEST(FileCrashTest, KillDuringPutsThenRestartOnTheSameDir) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  // Declared first, so removed last: after both servers have exited.
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> flags =
      WithTestDefaults({"--port=0", "--shards=4"}, &data_dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  ASSERT_FALSE(data_dir.empty());
  const std::string root = data_dir.path() + "/files";

  absl::StatusOr<std::unique_ptr<ServerProcess>> first =
      ServerProcess::Start(ShardBinary(), *flags);
  ASSERT_TRUE(first.ok()) << first.status();
  const int http_port = (*first)->http_port();
  ASSERT_GT(http_port, 0);

  for (int i = 0; i < kCrashPaths; ++i) {
    absl::StatusOr<Response> put =
        PutOnce(http_port, CrashPath(i), CrashVersion(i, 0));
    ASSERT_TRUE(put.ok()) << put.status();
    ASSERT_EQ(put->status, 201) << put->head;
  }
  const std::string half_path = "/crash/half.bin";
  const std::string half_v0 = Version("half v0", 7, 4096);
  {
    absl::StatusOr<Response> put = PutOnce(http_port, half_path, half_v0);
    ASSERT_TRUE(put.ok()) << put.status();
    ASSERT_EQ(put->status, 201) << put->head;
  }

  // Opened now, used just before the kill: a PUT held in the middle of its
  // body, whose temporary the crash leaves behind.
  absl::StatusOr<HttpConnection> half = HttpConnection::Open(http_port);
  ASSERT_TRUE(half.ok()) << half.status();

  // Per path, under `mutex`: the newest version acknowledged (2xx) and the
  // newest one sent.
  std::mutex mutex;
  std::condition_variable acknowledged_more;
  std::vector<int> acknowledged(kCrashPaths, 0), sent(kCrashPaths, 0);
  int acknowledged_in_stream = 0;
  std::atomic<bool> killed{false};
  Failures failures;
  // No ASSERT from here until the writers are joined.
  std::vector<std::thread> writers;
  for (int w = 0; w < kCrashWriters; ++w) {
    writers.emplace_back([&, w] {
      const absl::Time give_up = absl::Now() + absl::Seconds(120);
      for (int n = 1; !killed && absl::Now() < give_up; ++n) {
        for (int i = w; i < kCrashPaths && !killed; i += kCrashWriters) {
          {
            std::lock_guard<std::mutex> lock(mutex);
            sent[i] = n;
          }
          absl::StatusOr<Response> put =
              PutOnce(http_port, CrashPath(i), CrashVersion(i, n));
          if (put.ok() && put->status == 204) {
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged[i] = n;
            ++acknowledged_in_stream;
            acknowledged_more.notify_all();
            continue;
          }
          // Once the server is killed, a PUT fails: the stream ends.
          if (!killed) {
            failures.Add(absl::StrCat(
                "PUT of ", CrashVersionName(i, n), ": ",
                put.ok() ? put->head : put.status().ToString()));
          }
          return;
        }
      }
    });
  }
  bool enough_acknowledged;
  {
    std::unique_lock<std::mutex> lock(mutex);
    enough_acknowledged = acknowledged_more.wait_for(
        lock, std::chrono::seconds(60),
        [&] { return acknowledged_in_stream >= kAcknowledgedBeforeKill; });
  }
  // The held PUT: once its temporary holds the 1000 bytes sent, the kill.
  const absl::Status half_sent = half->Send(
      absl::StrCat(PutHead(half_path, 1000000, false), Pattern(1000, 8)));
  const bool half_temp_written =
      half_sent.ok() && Eventually(absl::Seconds(20), [&] {
        // In /crash itself, where no other PUT writes.
        std::error_code error;
        for (fs::directory_iterator it(root + "/crash", error), end;
             !error && it != end; it.increment(error)) {
          std::error_code size_error;
          if (it->path().filename().string().starts_with(kTempPrefix) &&
              fs::file_size(it->path(), size_error) == 1000 && !size_error) {
            return true;
          }
        }
        return false;
      });
  killed = true;
  absl::StatusOr<ExitStatus> stopped = (*first)->Stop(SIGKILL);
  for (std::thread& writer : writers) writer.join();

  ASSERT_TRUE(enough_acknowledged)
      << acknowledged_in_stream << " PUTs acknowledged in 60 s";
  ASSERT_TRUE(half_sent.ok()) << half_sent;
  ASSERT_TRUE(half_temp_written) << "the held PUT has no temporary";
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->signal, SIGKILL) << stopped->ToString();
  EXPECT_EQ(failures.count(), 0u) << failures.Summary();
  // The held PUT's temporary at least is still there.
  const std::vector<std::string> left_by_crash = TempFilesUnder(root);
  EXPECT_FALSE(left_by_crash.empty());
  RecordProperty("temporaries_left_by_the_crash",
                 static_cast<int>(left_by_crash.size()));
  RecordProperty("acknowledged_in_stream", acknowledged_in_stream);
  first->reset();

  absl::StatusOr<std::unique_ptr<ServerProcess>> second =
      ServerProcess::Start(ShardBinary(), *flags);
  ASSERT_TRUE(second.ok()) << "no restart on the same --dir: "
                           << second.status();
  EXPECT_TRUE(absl::StrContains((*second)->Output(), "shardd ready "))
      << (*second)->Output();
  EXPECT_TRUE(TempFilesUnder(root).empty())
      << absl::StrJoin(TempFilesUnder(root), " ");

  for (int i = 0; i < kCrashPaths; ++i) {
    SCOPED_TRACE(CrashPath(i));
    const std::optional<std::string> stored =
        ReadFileBytes(root + CrashPath(i));
    ASSERT_TRUE(stored.has_value());
    // Which version it is, by its first line; then all of it.
    int version = -1;
    for (int n = acknowledged[i]; n <= sent[i]; ++n) {
      if (VersionName(*stored) == CrashVersionName(i, n)) version = n;
    }
    ASSERT_GE(version, 0) << "not a version from " << acknowledged[i]
                          << " (acknowledged) to " << sent[i]
                          << " (sent): " << Describe(*stored);
    EXPECT_TRUE(*stored == CrashVersion(i, version))
        << CrashVersionName(i, version) << " torn: " << Describe(*stored);
    // And the restarted server serves it.
    absl::StatusOr<Response> get = GetOnce((*second)->http_port(),
                                           CrashPath(i));
    ASSERT_TRUE(get.ok()) << get.status();
    EXPECT_EQ(get->status, 200) << get->head;
    EXPECT_TRUE(get->body == *stored) << Describe(get->body);
  }
  EXPECT_EQ(ReadFileBytes(root + half_path), half_v0);
  // The restarted server writes too.
  absl::StatusOr<Response> put =
      PutOnce((*second)->http_port(), CrashPath(0), CrashVersion(0, 1000));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->status, 204) << put->head;
  EXPECT_TRUE(ReadFileBytes(root + CrashPath(0)) == CrashVersion(0, 1000));
}

}  // namespace
}  // namespace shardd::integration
