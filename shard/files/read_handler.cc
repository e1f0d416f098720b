// GET and HEAD: open beneath the root without blocking (O_NONBLOCK, so a
// FIFO with no writer does not hang the open), refuse what is not a regular
// file, then send the headers and stream the file in bounded chunks read
// through the ring.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>

#include "aio/file.h"
#include "shard/files/content_type.h"
#include "shard/files/exchange.h"
#include "shard/files/file_metadata.h"
#include "shard/files/owned_fd.h"

namespace shardd::files {
namespace {

// The most a GET holds of a file at once, per connection.
constexpr size_t kReadChunk = 128 * 1024;

// Sends `size` bytes of `fd` from offset 0; false if the client is gone or
// the file cannot be read to its end (the response is then cut short, and
// the caller closes the connection: its framing promised more).
Task<bool> SendFileBody(Exchange& x, int fd, uint64_t size) {
  std::unique_ptr<char[]> buffer(new char[std::min<uint64_t>(
      std::max<uint64_t>(size, 1), kReadChunk)]);
  uint64_t offset = 0;
  while (offset < size) {
    const size_t want = std::min<uint64_t>(size - offset, kReadChunk);
    const int n = co_await aio::Read(fd, buffer.get(), want, offset);
    if (n <= 0) co_return false;  // truncated meanwhile, or an I/O error
    if (!co_await x.connection.SendAll(std::string_view(buffer.get(), n),
                                       x.options.idle_timeout)) {
      co_return false;
    }
    offset += static_cast<uint64_t>(n);
  }
  co_return true;
}

}  // namespace

Task<bool> ServeRead(Exchange& x) {
  const bool keep_alive = x.request.keep_alive;
  const std::string relative =
      x.path.relative.empty() ? std::string(".") : x.path.relative;
  OwnedFd fd(co_await aio::OpenBeneath(
      x.root_fd, relative.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY,
      kResolveBeneath));
  if (!fd.valid()) {
    co_return co_await SendResponse(x, StatusForPathError(fd.get()),
                                    "cannot open that path\n", keep_alive);
  }
  struct statx st {};
  const int stat_result = co_await aio::StatFd(fd.get(), &st);
  if (stat_result < 0) {
    co_await fd.Close();
    co_return co_await SendResponse(x, 500, "cannot stat the file\n",
                                    keep_alive);
  }
  if (S_ISDIR(st.stx_mode)) {
    co_await fd.Close();
    co_return co_await SendResponse(x, 404, "that is a directory\n",
                                    keep_alive);
  }
  if (x.path.trailing_slash && S_ISREG(st.stx_mode)) {
    co_await fd.Close();  // "/file/" names a directory that is not there
    co_return co_await SendResponse(x, 404, "not a directory\n", keep_alive);
  }
  if (!S_ISREG(st.stx_mode)) {  // FIFOs, sockets, devices
    co_await fd.Close();
    co_return co_await SendResponse(x, 403, "not a regular file\n",
                                    keep_alive);
  }
  const std::string headers = MetadataHeaders(st);
  std::string out;
  http::WriteResponse({.status = 200,
                       .content_type = ContentTypeOf(x.path.name()),
                       .keep_alive = keep_alive,
                       .omit_body = x.request.method == "HEAD",
                       .extra_headers = headers,
                       .streamed_length = st.stx_size},
                      &out);
  bool sent = co_await x.connection.SendAll(out, x.options.idle_timeout);
  if (sent && x.request.method != "HEAD") {
    sent = co_await SendFileBody(x, fd.get(), st.stx_size);
  }
  co_await fd.Close();
  co_return sent && keep_alive;
}

}  // namespace shardd::files
