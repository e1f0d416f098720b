#include "aio/log/synced_length_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"

namespace shardd::aio {
namespace {

[[noreturn]] void Fail(const char* what, int fd) {
  std::fprintf(stderr, "shardd: --record_synced_lengths: %s (descriptor %d)\n",
               what, fd);
  std::abort();
}

// The path `fd` was opened under.
std::string PathOf(int fd) {
  char path[4096];
  const ssize_t n =
      readlink(absl::StrCat("/proc/self/fd/", fd).c_str(), path, sizeof(path));
  if (n <= 0 || static_cast<size_t>(n) == sizeof(path)) {
    Fail("cannot name the log file", fd);
  }
  return std::string(path, static_cast<size_t>(n));
}

}  // namespace

SyncedLengthFile::SyncedLengthFile(int fd) : file_(fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || fdatasync(fd) != 0) {
    Fail("cannot sync the log file", fd);
  }
  written_ = static_cast<uint64_t>(st.st_size);
  // No O_TRUNC: a mark is always rewritten whole, so a kill between the
  // open and the write never leaves an empty one.
  marks_fd_ = open(absl::StrCat(PathOf(fd), ".synced").c_str(),
                   O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (marks_fd_ < 0) Fail("cannot open the mark", fd);
  Mark(written_);
}

SyncedLengthFile::~SyncedLengthFile() { close(marks_fd_); }

void SyncedLengthFile::Mark(uint64_t end) {
  char mark[32];
  const int n = std::snprintf(mark, sizeof(mark), "%020llu\n",
                              static_cast<unsigned long long>(end));
  // One write of a fixed width: kill -9 finds the old mark or the new.
  if (pwrite(marks_fd_, mark, static_cast<size_t>(n), 0) != n) {
    Fail("cannot write the mark", marks_fd_);
  }
}

Task<int> SyncedLengthFile::Write(std::string_view data, uint64_t offset) {
  const int written = co_await file_.Write(data, offset);
  if (written > 0) {
    written_ = std::max(written_, offset + static_cast<uint64_t>(written));
  }
  co_return written;
}

Task<int> SyncedLengthFile::Sync() {
  const uint64_t covered = written_;
  const int result = co_await file_.Sync();
  if (result == 0) Mark(covered);
  co_return result;
}

Task<WriteSyncResult> SyncedLengthFile::WriteAndSync(std::string_view data,
                                                     uint64_t offset) {
  const WriteSyncResult result = co_await file_.WriteAndSync(data, offset);
  if (result.written > 0) {
    written_ =
        std::max(written_, offset + static_cast<uint64_t>(result.written));
  }
  // The sync runs only after the whole write (a short one cancels it).
  if (result.synced == 0) Mark(written_);
  co_return result;
}

int SyncedLengthFile::WriteAndSyncBlocking(std::string_view data,
                                           uint64_t offset) {
  const int result = file_.WriteAndSyncBlocking(data, offset);
  if (result == 0) {
    written_ = std::max(written_, offset + data.size());
    Mark(written_);
  }
  return result;
}

}  // namespace shardd::aio
