#include "shard/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace shardd {

DataDirLock::DataDirLock(DataDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<DataDirLock> LockDataDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create --dir ", dir, ": ", error.message()));
  }
  const std::string path = dir + "/shardd.lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open ", path, ": ", strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    close(fd);
    if (saved == EWOULDBLOCK) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--dir ", dir, " is in use by another shardd (", path, " is locked)"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("cannot lock ", path, ": ", strerror(saved)));
  }
  // The pid, for a person looking at the directory; the lock is what counts,
  // so a failed write is no error.
  const std::string pid = absl::StrCat(getpid(), "\n");
  const bool noted = ftruncate(fd, 0) == 0 &&
                     write(fd, pid.data(), pid.size()) ==
                         static_cast<ssize_t>(pid.size());
  static_cast<void>(noted);
  return DataDirLock(fd);
}

}  // namespace shardd
