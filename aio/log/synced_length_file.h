// SyncedLengthFile: a testing aid (--record_synced_lengths) that lets a
// test cut a log file where a power loss could cut it. kill -9 keeps the
// page cache, so it cannot show that a reply waited for its sync; a power
// loss keeps only what a completed fdatasync covered. This LogFile passes
// every operation to the real one and, after each sync that succeeds,
// writes how many bytes of the file that sync covered to `<file>.synced`
// (decimal, fixed width, one write), before the writer may release the
// replies it waited for. After kill -9 a test truncates the file to that
// length, plus any part of the rest (a torn write), and restarts:
// tests/integration/power_loss_test.cc. Made by MakeLogFile (log_file.h).
#ifndef SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_
#define SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_

#include <cstdint>
#include <string_view>

#include "aio/log/log_file.h"
#include "shard/task.h"

namespace shardd::aio {

class SyncedLengthFile final : public LogFile {
 public:
  // Syncs what `fd` holds (a file reopened after a crash may hold bytes
  // only the page cache has) and marks it. A mark that cannot be written
  // stops the process: a test relying on it would cut the wrong bytes.
  explicit SyncedLengthFile(int fd);
  ~SyncedLengthFile() override;
  SyncedLengthFile(const SyncedLengthFile&) = delete;
  SyncedLengthFile& operator=(const SyncedLengthFile&) = delete;

  Task<int> Write(std::string_view data, uint64_t offset) override;
  Task<int> Sync() override;
  Task<WriteSyncResult> WriteAndSync(std::string_view data,
                                     uint64_t offset) override;
  int WriteAndSyncBlocking(std::string_view data, uint64_t offset) override;

 private:
  // A sync that covered the bytes before `end` succeeded.
  void Mark(uint64_t end);

  FdLogFile file_;
  int marks_fd_ = -1;
  // End of the writes completed so far: what a sync starting now covers
  // (LogWriter has one operation out at a time).
  uint64_t written_ = 0;
};

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_
