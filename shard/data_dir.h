// The data directory (--dir): created if missing and locked for the life of
// the process, so that two shardd never share one (a second one gets an
// error at start instead of corrupting the first one's files). The lock is
// flock(2) on <dir>/shardd.lock, released by the kernel when the process
// exits, however it exits.
//
//   absl::StatusOr<DataDirLock> lock = LockDataDir("./shardd-data");
#ifndef SHARDD_SHARD_DATA_DIR_H_
#define SHARDD_SHARD_DATA_DIR_H_

#include <string>

#include "absl/status/statusor.h"

namespace shardd {

class DataDirLock {
 public:
  explicit DataDirLock(int fd) : fd_(fd) {}
  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  int fd_;
};

// On the main thread, before the shards start (it blocks on the disk).
absl::StatusOr<DataDirLock> LockDataDir(const std::string& dir);

}  // namespace shardd

#endif  // SHARDD_SHARD_DATA_DIR_H_
