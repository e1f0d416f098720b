// LogFile: the file a LogWriter writes, behind the few operations it uses,
// so that a test can put a simulated disk in its place (one that keeps
// only what a completed sync covered, and loses the rest on a "power
// cut"). FdLogFile is the real one: a descriptor, written through the
// shard's ring (aio/file.h, write_and_sync.h).
//
//   std::unique_ptr<LogFile> file = std::make_unique<FdLogFile>(fd);
//   int n = co_await file->Write(data, size, offset);
#ifndef SHARDD_AIO_LOG_LOG_FILE_H_
#define SHARDD_AIO_LOG_LOG_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "shard/task.h"

namespace shardd::aio {

struct WriteSyncResult {
  int written = 0;  // bytes, or -errno
  int synced = 0;   // 0 once on stable storage; -errno (-ECANCELED if the
                    // write fell short) otherwise
};

class LogFile {
 public:
  virtual ~LogFile() = default;
  // A positional write: bytes written or -errno.
  virtual Task<int> Write(std::string_view data, uint64_t offset) = 0;
  // fdatasync: 0 or -errno.
  virtual Task<int> Sync() = 0;
  // A write, then a sync that starts once it is done.
  virtual Task<WriteSyncResult> WriteAndSync(std::string_view data,
                                             uint64_t offset) = 0;
  // The same two without a loop (after the shard has stopped): 0 or
  // -errno.
  virtual int WriteAndSyncBlocking(std::string_view data, uint64_t offset) = 0;
};

class FdLogFile final : public LogFile {
 public:
  explicit FdLogFile(int fd) : fd_(fd) {}
  ~FdLogFile() override;
  FdLogFile(const FdLogFile&) = delete;
  FdLogFile& operator=(const FdLogFile&) = delete;

  Task<int> Write(std::string_view data, uint64_t offset) override;
  Task<int> Sync() override;
  Task<WriteSyncResult> WriteAndSync(std::string_view data,
                                     uint64_t offset) override;
  int WriteAndSyncBlocking(std::string_view data, uint64_t offset) override;

 private:
  int fd_;
};

// The LogFile of a log's descriptor (owned from now on): an FdLogFile, or
// under --record_synced_lengths a SyncedLengthFile (synced_length_file.h).
std::unique_ptr<LogFile> MakeLogFile(int fd);
// Set once, from the flag, before any shard starts.
void set_record_synced_lengths(bool record);

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_LOG_FILE_H_
