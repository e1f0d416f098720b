// What a reader of the file service can see while files change, on a real
// shardd (4 shards) over raw sockets: concurrent GETs of a path that several
// connections keep replacing get exactly one complete version each (never a
// mix, never a truncation; 404 only before the first PUT was answered); a
// GET on a new connection, on whichever shard, right after a PUT's 201/204
// returns that version. (A kill -9 during PUTs: file_crash_test.cc.)
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

#include "tests/integration/file_versions.h"

namespace shardd::integration {
namespace {

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

}  // namespace
}  // namespace shardd::integration
