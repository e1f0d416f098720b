// SyncedLengthFile: a testing aid (--record_synced_lengths) that lets a
// test cut a log file where a power loss could cut it. kill -9 keeps the
// page cache, so it cannot show that a reply waited for its sync; a power
// loss keeps only what a completed fdatasync covered. This LogFile passes
// every operation to the real one and, after each sync that succeeds,
// writes how many bytes of the file that sync covered to `<file>.synced`
// (decimal, fixed width, one write). After kill -9 a test truncates the
// file to that length, plus any part of the rest (a torn write), and
// restarts: tests/integration/power_loss_test.cc.
//
//   set_record_synced_lengths(true);            // at start, from the flag
//   std::unique_ptr<LogFile> file = MakeLogFile(fd);
#ifndef SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_
#define SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "aio/log/log_file.h"
#include "shard/task.h"

namespace shardd::aio {

// Whether MakeLogFile wraps files in a SyncedLengthFile: set once, before
// any shard starts.
void set_record_synced_lengths(bool record);

// The LogFile of a log's descriptor (owned from now on).
std::unique_ptr<LogFile> MakeLogFile(int fd);

class SyncedLengthFile final : public LogFile {
 public:
  // `fd`'s bytes so far count as synced (replay has read them back, and
  // cut any torn tail off with a sync).
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
  void NoteWritten(uint64_t end);
  // A sync that covered the bytes before `end` succeeded.
  void NoteSynced(uint64_t end);

  FdLogFile file_;
  int marks_fd_ = -1;     // <file>.synced
  uint64_t written_ = 0;  // end of the writes completed so far
  uint64_t synced_ = 0;
};

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_SYNCED_LENGTH_FILE_H_
