#include "aio/log/synced_length_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"

namespace shardd::aio {
namespace {

std::atomic<bool> record_synced_lengths{false};

// The path `fd` was opened under ("" if /proc does not say).
std::string PathOf(int fd) {
  char path[4096];
  const ssize_t n = readlink(absl::StrCat("/proc/self/fd/", fd).c_str(), path,
                             sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string();
}

}  // namespace

void set_record_synced_lengths(bool record) {
  record_synced_lengths.store(record, std::memory_order_relaxed);
}

std::unique_ptr<LogFile> MakeLogFile(int fd) {
  if (record_synced_lengths.load(std::memory_order_relaxed)) {
    return std::make_unique<SyncedLengthFile>(fd);
  }
  return std::make_unique<FdLogFile>(fd);
}

SyncedLengthFile::SyncedLengthFile(int fd) : file_(fd) {
  struct stat st {};
  if (fstat(fd, &st) == 0) written_ = static_cast<uint64_t>(st.st_size);
  const std::string path = PathOf(fd);
  if (!path.empty()) {
    marks_fd_ = open(absl::StrCat(path, ".synced").c_str(),
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (marks_fd_ < 0) {
    std::fprintf(stderr, "record_synced_lengths: no marks for descriptor %d\n",
                 fd);
  }
  NoteSynced(written_);
}

SyncedLengthFile::~SyncedLengthFile() {
  if (marks_fd_ >= 0) close(marks_fd_);
}

void SyncedLengthFile::NoteWritten(uint64_t end) {
  written_ = std::max(written_, end);
}

void SyncedLengthFile::NoteSynced(uint64_t end) {
  if (end < synced_ || marks_fd_ < 0) return;
  synced_ = end;
  char mark[32];
  const int n = std::snprintf(mark, sizeof(mark), "%020llu\n",
                              static_cast<unsigned long long>(end));
  // One write of a fixed width: kill -9 finds the old mark or the new.
  if (pwrite(marks_fd_, mark, static_cast<size_t>(n), 0) != n) {
    std::fprintf(stderr, "record_synced_lengths: cannot write a mark\n");
  }
}

Task<int> SyncedLengthFile::Write(std::string_view data, uint64_t offset) {
  const int written = co_await file_.Write(data, offset);
  if (written > 0) NoteWritten(offset + static_cast<uint64_t>(written));
  co_return written;
}

Task<int> SyncedLengthFile::Sync() {
  // What was written when the sync started is what it covers.
  const uint64_t covered = written_;
  const int result = co_await file_.Sync();
  if (result == 0) NoteSynced(covered);
  co_return result;
}

Task<WriteSyncResult> SyncedLengthFile::WriteAndSync(std::string_view data,
                                                     uint64_t offset) {
  const uint64_t before = written_;
  const WriteSyncResult result = co_await file_.WriteAndSync(data, offset);
  if (result.written > 0) {
    NoteWritten(offset + static_cast<uint64_t>(result.written));
  }
  // The sync started once the write was done.
  if (result.synced == 0) {
    NoteSynced(
        std::max(before, offset + static_cast<uint64_t>(result.written)));
  }
  co_return result;
}

int SyncedLengthFile::WriteAndSyncBlocking(std::string_view data,
                                           uint64_t offset) {
  const int result = file_.WriteAndSyncBlocking(data, offset);
  if (result == 0) {
    NoteWritten(offset + data.size());
    NoteSynced(written_);
  }
  return result;
}

}  // namespace shardd::aio
