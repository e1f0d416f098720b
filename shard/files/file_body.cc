#include "shard/files/file_body.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string_view>

#include "aio/file.h"
#include "shard/files/owned_fd.h"

namespace shardd::files {
namespace {

// The most a copying GET holds of a file at once, per connection.
constexpr size_t kReadChunk = 128 * 1024;
// What a splicing GET asks its pipe to hold: 1 MiB is the kernel's default
// most (fs.pipe-max-size). A user past its soft limit on pipe pages
// (fs.pipe-user-pages-soft, 64 MiB unless privileged) gets pipes of two
// pages, and refusals to grow them: a splice per 8 KiB would cost more than
// copying, so below kLeastPipeBytes the body is copied.
constexpr int kPipeBytes = 1 << 20;
constexpr int kLeastPipeBytes = 64 << 10;

struct ResponsePipe {
  OwnedFd read_end;
  OwnedFd write_end;
  size_t capacity = 0;
};

// Non-blocking ends: a splice out of the pipe must never wait in an
// io_uring worker. (One into it only runs once it is empty, so there the
// flag is only a safeguard.)
std::optional<ResponsePipe> OpenPipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return std::nullopt;
  ResponsePipe pipe{.read_end = OwnedFd(fds[0]), .write_end = OwnedFd(fds[1])};
  int capacity = fcntl(fds[1], F_SETPIPE_SZ, kPipeBytes);
  if (capacity < 0) capacity = fcntl(fds[1], F_GETPIPE_SZ);
  if (capacity < kLeastPipeBytes) return std::nullopt;
  pipe.capacity = static_cast<size_t>(capacity);
  return pipe;
}

// A splice to a blocking socket would wait in an io_uring worker while the
// client does not read (one thread per slow client); a non-blocking one
// returns -EAGAIN, and the wait is a poll on the shard's ring instead. Only
// while splicing: the ring's receives and sends on a non-blocking socket
// would fail with -EAGAIN rather than wait. F_SETFL does not block.
class NonBlockingWhileAlive {
 public:
  explicit NonBlockingWhileAlive(int fd)
      : fd_(fd), flags_(fcntl(fd, F_GETFL)) {
    ok_ = flags_ >= 0 && fcntl(fd, F_SETFL, flags_ | O_NONBLOCK) == 0;
  }
  NonBlockingWhileAlive(const NonBlockingWhileAlive&) = delete;
  NonBlockingWhileAlive& operator=(const NonBlockingWhileAlive&) = delete;
  ~NonBlockingWhileAlive() {
    if (ok_) fcntl(fd_, F_SETFL, flags_);
  }
  bool ok() const { return ok_; }

 private:
  const int fd_;
  const int flags_;
  bool ok_ = false;
};

Task<bool> CopyFileBody(Exchange& x, int fd, uint64_t first,
                        uint64_t length) {
  std::unique_ptr<char[]> buffer(new char[std::min<uint64_t>(
      std::max<uint64_t>(length, 1), kReadChunk)]);
  const uint64_t end = first + length;
  uint64_t offset = first;
  while (offset < end) {
    const size_t want = std::min<uint64_t>(end - offset, kReadChunk);
    const int n = co_await aio::Read(fd, buffer.get(), want, offset);
    if (n <= 0) co_return false;  // truncated meanwhile, or an I/O error
    x.stats.files_disk_read_bytes += static_cast<uint64_t>(n);
    if (!co_await x.connection.SendAll(std::string_view(buffer.get(), n),
                                       x.options.idle_timeout)) {
      co_return false;
    }
    offset += static_cast<uint64_t>(n);
  }
  co_return true;
}

// Empties `bytes` bytes of the pipe into the socket.
Task<bool> DrainPipe(Exchange& x, ResponsePipe& pipe, size_t bytes) {
  while (bytes > 0) {
    // At most the pipe's capacity: it fits.
    const int n = co_await aio::Splice(pipe.read_end.get(), -1,
                                       x.connection.fd(), -1,
                                       static_cast<unsigned>(bytes));
    if (n == -EAGAIN) {
      if (!co_await x.connection.WaitWritable(x.options.idle_timeout)) {
        co_return false;
      }
      continue;
    }
    if (n <= 0) co_return false;
    x.connection.CountSent(static_cast<size_t>(n));
    bytes -= static_cast<size_t>(n);
  }
  co_return true;
}

// Returns nullopt when nothing was moved and the file system cannot
// splice: the caller copies instead.
Task<std::optional<bool>> SpliceFileBody(Exchange& x, ResponsePipe& pipe,
                                         int fd, uint64_t first,
                                         uint64_t length) {
  const uint64_t end = first + length;
  uint64_t offset = first;
  while (offset < end) {
    const size_t want = std::min<uint64_t>(end - offset, pipe.capacity);
    const int n = co_await aio::Splice(fd, static_cast<int64_t>(offset),
                                       pipe.write_end.get(), -1,
                                       static_cast<unsigned>(want));
    if (n == -EINVAL && offset == first) co_return std::nullopt;
    if (n <= 0) co_return false;  // truncated meanwhile, or an I/O error
    x.stats.files_disk_read_bytes += static_cast<uint64_t>(n);
    if (!co_await DrainPipe(x, pipe, static_cast<size_t>(n))) co_return false;
    offset += static_cast<uint64_t>(n);
  }
  co_return true;
}

}  // namespace

Task<bool> ReadFully(Exchange& x, int fd, char* out, size_t length,
                     uint64_t offset) {
  size_t done = 0;
  while (done < length) {
    const int n = co_await aio::Read(fd, out + done, length - done,
                                     offset + done);
    if (n <= 0) co_return false;
    done += static_cast<size_t>(n);
    x.stats.files_disk_read_bytes += static_cast<uint64_t>(n);
  }
  co_return true;
}

Task<bool> SendFileBody(Exchange& x, int fd, uint64_t first, uint64_t length) {
  if (x.options.splice) {
    std::optional<bool> spliced;
    if (std::optional<ResponsePipe> pipe = OpenPipe()) {
      const NonBlockingWhileAlive non_blocking(x.connection.fd());
      if (non_blocking.ok()) {
        spliced = co_await SpliceFileBody(x, *pipe, fd, first, length);
      }
      co_await pipe->read_end.Close();
      co_await pipe->write_end.Close();
    }
    if (spliced.has_value()) co_return *spliced;
  }
  co_return co_await CopyFileBody(x, fd, first, length);
}

}  // namespace shardd::files
