// Nothing blocks a shard: shardd runs under strace while curl drives the
// file service (PUT, GET, HEAD, a Range, a listing, DELETE, a 404), and no
// shard thread ("shard-N") makes a file-system call of its own in that time
// (open, stat, read or write of a file, fsync, rename, unlink, mkdir,
// getdents): all of them went through io_uring, or to the blocking pool's
// threads. Reads and writes of sockets, eventfds and pipes are allowed, and
// so are those of /proc and /sys (see OnPseudoFileSystem).
#include <dirent.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
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
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The threads of `pid` named `shard-<i>`, by thread id.
std::set<int> ShardThreads(int pid) {
  std::set<int> tids;
  const std::string task_dir = absl::StrCat("/proc/", pid, "/task");
  DIR* dir = opendir(task_dir.c_str());
  if (dir == nullptr) return tids;
  while (const dirent* entry = readdir(dir)) {
    int tid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &tid)) continue;
    const std::string comm =
        ReadAll(absl::StrCat(task_dir, "/", entry->d_name, "/comm"));
    if (absl::StartsWith(comm, "shard-")) tids.insert(tid);
  }
  closedir(dir);
  return tids;
}

// The pid of strace's traced child (shardd): the first of its children.
std::optional<int> TracedChild(int strace_pid) {
  const std::string children = ReadAll(
      absl::StrCat("/proc/", strace_pid, "/task/", strace_pid, "/children"));
  int pid = 0;
  for (absl::string_view word : absl::StrSplit(children, ' ')) {
    if (absl::SimpleAtoi(word, &pid)) return pid;
  }
  return std::nullopt;
}

// System calls that touch the file system or a file's data.
bool IsFileCall(absl::string_view name) {
  static const std::set<std::string> kCalls = {
      "open",     "openat",   "openat2",     "creat",      "stat",
      "lstat",    "fstat",    "newfstatat",  "statx",      "access",
      "faccessat", "faccessat2", "mkdir",    "mkdirat",    "rename",
      "renameat", "renameat2", "unlink",     "unlinkat",   "rmdir",
      "fsync",    "fdatasync", "sync_file_range", "getdents64",
      "readlink", "readlinkat", "truncate",  "ftruncate",  "fallocate",
      "sendfile", "splice",   "copy_file_range"};
  return kCalls.contains(std::string(name));
}

// Whether the call's path or descriptor is under /proc or /sys: kernel
// state served from memory, which never waits for a disk. Abseil reads
// /sys/devices/system/cpu/online once, on a lock's first contention, so
// whether a shard thread makes that read depends on timing.
bool OnPseudoFileSystem(absl::string_view call) {
  for (absl::string_view root : {"/proc/", "/sys/"}) {
    if (absl::StrContains(call, absl::StrCat("\"", root)) ||
        absl::StrContains(call, absl::StrCat("<", root))) {
      return true;
    }
  }
  return false;
}

TEST(FileNoBlockingTest, ShardThreadsMakeNoFileSystemCalls) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  if (RunProgram({"strace", "-V"}).exit_code != 0) {
    GTEST_SKIP() << "strace is not installed";
  }
  absl::StatusOr<TempDir> work = TempDir::Create("shardd-strace-");
  ASSERT_TRUE(work.ok()) << work.status();
  const std::string trace = absl::StrCat(work->path(), "/trace");
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> flags =
      WithTestDefaults({"--port=0", "--shards=2", "--admin=false"}, &data_dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  // -ttt: timestamps, to keep only the calls made while serving; -y: the
  // file behind each descriptor, to tell a socket's read from a file's.
  std::vector<std::string> argv = {"-f", "-qq", "-ttt", "-y", "-o", trace,
                                   "-e", "trace=%file,%desc,fsync,fdatasync",
                                   ShardBinary()};
  argv.insert(argv.end(), flags->begin(), flags->end());
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start("strace", argv);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->OwnDataDir(std::move(data_dir));
  const std::optional<int> shardd = TracedChild((*server)->pid());
  ASSERT_TRUE(shardd.has_value()) << "no traced child";
  const std::set<int> shard_threads = ShardThreads(*shardd);
  // Two, or one running both where they share a CPU (the *_packed run).
  const char* packed = std::getenv("SHARDD_TEST_PACKED");
  const size_t threads = packed != nullptr && *packed != '\0' ? 1 : 2;
  ASSERT_EQ(shard_threads.size(), threads) << "threads named shard-N";

  const std::string url =
      absl::StrCat("http://127.0.0.1:", (*server)->http_port());
  const std::string body_file = absl::StrCat(work->path(), "/body");
  {
    std::ofstream out(body_file, std::ios::binary);
    out << std::string(300000, 'x');
  }
  const double serving_from = absl::ToUnixMicros(absl::Now()) / 1e6;
  const std::vector<std::vector<std::string>> requests = {
      {"-T", body_file, url + "/d/e/f.bin"},
      {url + "/d/e/f.bin"},
      {"-I", url + "/d/e/f.bin"},
      {"-r", "10-20", url + "/d/e/f.bin"},
      {url + "/d/e/"},
      {url + "/missing"},
      {"-X", "DELETE", url + "/d/e/f.bin"},
  };
  for (const std::vector<std::string>& request : requests) {
    std::vector<std::string> curl = {"curl", "-s", "-S", "-o", "/dev/null",
                                     "-w", "%{http_code}"};
    curl.insert(curl.end(), request.begin(), request.end());
    const ProgramResult r = RunProgram(curl);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_NE(r.stdout_text, "000") << request.back();
  }
  const double serving_until = absl::ToUnixMicros(absl::Now()) / 1e6;
  ASSERT_EQ(kill(*shardd, SIGTERM), 0);
  ASSERT_TRUE((*server)->Stop(SIGTERM, absl::Seconds(20)).ok());

  // Lines: "<tid>  <seconds>.<micros> <call>(<args>) = <result>", the
  // fields separated by runs of spaces.
  std::vector<std::string> offending;
  int shard_lines = 0;
  for (absl::string_view line : absl::StrSplit(ReadAll(trace), '\n')) {
    std::istringstream fields{std::string(line)};
    int tid = 0;
    double at = 0;
    std::string rest;
    if (!(fields >> tid >> at) || !shard_threads.contains(tid) ||
        at < serving_from || at > serving_until) {
      continue;
    }
    std::getline(fields >> std::ws, rest);
    ++shard_lines;
    const std::string call = rest.substr(0, rest.find('('));
    // A read or write is a file's when its descriptor decodes to a path.
    const bool file_io =
        (call == "read" || call == "write" || call == "pread64" ||
         call == "pwrite64" || call == "readv" || call == "writev") &&
        absl::StrContains(rest.substr(0, 64), "</");
    if ((IsFileCall(call) || file_io) && !OnPseudoFileSystem(rest)) {
      offending.emplace_back(line);
    }
  }
  EXPECT_TRUE(offending.empty())
      << "file-system calls on shard threads while serving:\n"
      << absl::StrJoin(offending, "\n");
  // strace did follow the shard threads (io_uring_enter is one of the
  // calls traced): an empty trace would prove nothing.
  EXPECT_GT(shard_lines, 0);
}

}  // namespace
}  // namespace shardd::integration
