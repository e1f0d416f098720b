// OwnedFd: a descriptor a handler opened through the ring, closed through
// the ring when the handler is done with it (co_await fd.Close()). If the
// handler's coroutine is destroyed first (its shard stopping), the
// destructor closes it directly, so no path leaks a descriptor.
#ifndef SHARDD_SHARD_FILES_OWNED_FD_H_
#define SHARDD_SHARD_FILES_OWNED_FD_H_

#include <unistd.h>

#include <utility>

#include "aio/file.h"

namespace shardd::files {

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Hands the descriptor over; this no longer closes it.
  int Release() { return std::exchange(fd_, -1); }

  // Closes through the ring; a no-op if there is nothing to close.
  Task<void> Close() {
    if (fd_ < 0) co_return;
    const int fd = std::exchange(fd_, -1);
    co_await aio::Close(fd);
  }

 private:
  void Reset() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

  int fd_ = -1;
};

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_OWNED_FD_H_
