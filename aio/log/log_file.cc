#include "aio/log/log_file.h"

#include <unistd.h>

#include <cerrno>

#include "aio/file.h"
#include "aio/log/synced_length_file.h"
#include "aio/log/write_and_sync.h"

namespace shardd::aio {
namespace {

bool record_synced_lengths = false;

}  // namespace

std::unique_ptr<LogFile> MakeLogFile(int fd) {
  if (record_synced_lengths) return std::make_unique<SyncedLengthFile>(fd);
  return std::make_unique<FdLogFile>(fd);
}

void set_record_synced_lengths(bool record) { record_synced_lengths = record; }

FdLogFile::~FdLogFile() {
  if (fd_ >= 0) close(fd_);
}

Task<int> FdLogFile::Write(std::string_view data, uint64_t offset) {
  co_return co_await aio::Write(fd_, data.data(), data.size(), offset);
}

Task<int> FdLogFile::Sync() { co_return co_await DataSync(fd_); }

Task<WriteSyncResult> FdLogFile::WriteAndSync(std::string_view data,
                                              uint64_t offset) {
  aio::WriteAndSync op(fd_, data.data(), data.size(), offset);
  co_await op;
  co_return WriteSyncResult{op.written(), op.synced()};
}

int FdLogFile::WriteAndSyncBlocking(std::string_view data, uint64_t offset) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = pwrite(fd_, data.data() + done, data.size() - done,
                             static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? -errno : -ENOSPC;
    done += static_cast<size_t>(n);
  }
  return fdatasync(fd_) == 0 ? 0 : -errno;
}

}  // namespace shardd::aio
