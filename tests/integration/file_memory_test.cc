// The file service's memory does not grow with a file's size, on a real
// shardd (4 shards): while curl GETs a large sparse file (made with
// ftruncate in <dir>/files) to /dev/null, and while it PUTs a body generated
// on the fly from a pipe (chunked, and with a Content-Length), the server's
// resident set stays within 16 MiB of what it was before. The RSS is sampled
// every 50 ms and its peak (VmHWM, reset before each transfer through
// /proc/<pid>/clear_refs when the kernel allows) read after.
//
// Built twice from this file: file_memory_test (CI sizes: a 256 MiB GET,
// 128 MiB PUTs) and file_memory_long_test, compiled with
// SHARDD_FILE_MEMORY_LONG and labelled `long` (a 2 GiB GET, 1 GiB PUTs: a
// few gigabytes of disk I/O; CI runs `ctest -L integration -LE long`).
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/process_memory.h"
#include "tests/integration/support/program_runner.h"

namespace shardd::integration {
namespace {

constexpr int64_t kMebibyte = int64_t{1} << 20;
#ifdef SHARDD_FILE_MEMORY_LONG
constexpr int64_t kGetBytes = 2048 * kMebibyte;
constexpr int64_t kPutBytes = 1024 * kMebibyte;
#else
constexpr int64_t kGetBytes = 256 * kMebibyte;
constexpr int64_t kPutBytes = 128 * kMebibyte;
#endif
// Most the resident set may grow during one transfer.
constexpr int64_t kMaxGrowthKb = 16 * 1024;
// How long one transfer may take (curl's --max-time; the runner's timeout
// is a little longer).
constexpr int kTransferSeconds = 200;

// Resets the process's VmHWM to its current VmRSS (Linux 4.0 and later);
// false if the kernel refuses.
bool ResetPeakResident(pid_t pid) {
  std::ofstream clear_refs(absl::StrCat("/proc/", pid, "/clear_refs"));
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

// What RunSampling saw.
struct Sampled {
  ProgramResult run;
  int64_t start_kb = 0;    // VmRSS before the transfer
  int64_t max_kb = 0;      // the largest VmRSS sampled, or the reset VmHWM
  int samples = 0;
  bool peak_was_reset = false;

  std::string Describe() const {
    return absl::StrCat("RSS ", start_kb, " kB before, at most ", max_kb,
                        " kB during (", samples, " samples",
                        peak_was_reset ? ", and VmHWM" : "", "); curl exit ",
                        run.exit_code, ", stdout \"", run.stdout_text,
                        "\", stderr: ", run.stderr_text);
  }
};

class FileMemoryTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    // Above the PUTs' size, whatever the default limit.
    return {"--port=0", "--shards=4",
            absl::StrCat("--max_body_bytes=", 4 * kPutBytes)};
  }

  void SetUp() override {
    FileServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A small PUT and GET first: what serving at all costs (a connection's
    // buffers, the first use of each ring) is in the baseline.
    ASSERT_EQ(Put("/warm.txt", "warm\n").status, 201);
    ASSERT_EQ(Get("/warm.txt").body, "warm\n");
  }

  // Runs `argv` on another thread while this one samples the server's
  // VmRSS every 50 ms, until the program has exited.
  Sampled RunSampling(const std::vector<std::string>& argv) {
    const pid_t pid = server().pid();
    Sampled sampled;
    sampled.start_kb = ResidentKb(pid).value_or(-1);
    sampled.max_kb = sampled.start_kb;
    sampled.peak_was_reset = ResetPeakResident(pid);
    std::mutex mutex;
    std::condition_variable exited;
    bool done = false;
    std::thread runner([&] {
      ProgramResult run =
          RunProgram(argv, {}, absl::Seconds(kTransferSeconds + 30));
      std::lock_guard<std::mutex> lock(mutex);
      sampled.run = std::move(run);
      done = true;
      exited.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      if (std::optional<int64_t> now = ResidentKb(pid)) {
        sampled.max_kb = std::max(sampled.max_kb, *now);
        ++sampled.samples;
      }
      exited.wait_for(lock, std::chrono::milliseconds(50));
    }
    lock.unlock();
    runner.join();
    if (sampled.peak_was_reset) {
      if (std::optional<int64_t> peak = PeakResidentKb(pid)) {
        sampled.max_kb = std::max(sampled.max_kb, *peak);
      }
    }
    return sampled;
  }

  // `head -c <bytes> /dev/zero | curl -T - <curl_args> <url>` in sh.
  Sampled PutFromPipe(const std::string& path, int64_t bytes,
                      const std::vector<std::string>& curl_args) {
    std::string command =
        absl::StrCat("head -c ", bytes, " /dev/zero | exec curl -s -S",
                     " --max-time ", kTransferSeconds,
                     " -o /dev/null -w '%{http_code}' -H 'Expect:' -T -");
    for (const std::string& arg : curl_args) {
      absl::StrAppend(&command, " ", ShellQuote(arg));
    }
    absl::StrAppend(&command, " ", ShellQuote(Url(path)));
    return RunSampling({"sh", "-c", command});
  }

  void ExpectStored(const std::string& path, int64_t bytes) {
    std::error_code error;
    const uintmax_t size = fs::file_size(Root() + path, error);
    EXPECT_FALSE(error) << path << ": " << error.message();
    EXPECT_EQ(size, static_cast<uintmax_t>(bytes)) << path;
    EXPECT_TRUE(TempFilesUnder(Root()).empty());
    fs::remove(Root() + path, error);  // the disk space, at once
  }
};

TEST_F(FileMemoryTest, GetOfALargeSparseFileKeepsMemoryBounded) {
  const std::string path = "/sparse.bin";
  {
    const int fd = open((Root() + path).c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    const int truncated = ftruncate(fd, kGetBytes);
    const int truncate_errno = errno;
    close(fd);
    ASSERT_EQ(truncated, 0) << std::strerror(truncate_errno);
  }
  const Sampled get = RunSampling(
      {"curl", "-s", "-S", "--max-time", absl::StrCat(kTransferSeconds),
       "-o", "/dev/null", "-w", "%{http_code} %{size_download}", Url(path)});
  EXPECT_EQ(get.run.stdout_text, absl::StrCat("200 ", kGetBytes))
      << get.Describe();
  ASSERT_GT(get.start_kb, 0) << get.Describe();
  EXPECT_LT(get.max_kb - get.start_kb, kMaxGrowthKb) << get.Describe();
  RecordProperty("rss_growth_kb", static_cast<int>(get.max_kb - get.start_kb));
}

// -T - without a length: curl sends the body chunked.
TEST_F(FileMemoryTest, ChunkedPutFromAPipeKeepsMemoryBounded) {
  const std::string path = "/streamed/chunked.bin";
  const Sampled put = PutFromPipe(path, kPutBytes, {});
  EXPECT_EQ(put.run.stdout_text, "201") << put.Describe();
  ASSERT_GT(put.start_kb, 0) << put.Describe();
  EXPECT_LT(put.max_kb - put.start_kb, kMaxGrowthKb) << put.Describe();
  RecordProperty("rss_growth_kb", static_cast<int>(put.max_kb - put.start_kb));
  ExpectStored(path, kPutBytes);
}

// The same body with a Content-Length (curl's chunked header removed, since
// a request with both is refused).
TEST_F(FileMemoryTest, ContentLengthPutFromAPipeKeepsMemoryBounded) {
  const std::string path = "/streamed/length.bin";
  const Sampled put =
      PutFromPipe(path, kPutBytes,
                  {"-H", "Transfer-Encoding:", "-H",
                   absl::StrCat("Content-Length: ", kPutBytes)});
  EXPECT_EQ(put.run.stdout_text, "201") << put.Describe();
  ASSERT_GT(put.start_kb, 0) << put.Describe();
  EXPECT_LT(put.max_kb - put.start_kb, kMaxGrowthKb) << put.Describe();
  RecordProperty("rss_growth_kb", static_cast<int>(put.max_kb - put.start_kb));
  ExpectStored(path, kPutBytes);
}

}  // namespace
}  // namespace shardd::integration
