// GET and HEAD: open beneath the root without blocking (O_NONBLOCK, so a
// FIFO with no writer does not hang the open), refuse what is not a regular
// file, then send the headers and the body: a small one with them, from the
// open-file cache or read through the ring, a large one by file_body.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "aio/file.h"
#include "shard/files/byte_range.h"
#include "shard/files/content_type.h"
#include "shard/files/exchange.h"
#include "shard/files/file_body.h"
#include "shard/files/file_metadata.h"
#include "shard/files/listing.h"
#include "shard/files/open_file_cache.h"
#include "shard/files/owned_fd.h"
#include "shard/files/preconditions.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::files {
namespace {

// Bodies up to this size are read into the headers' buffer and sent with
// them.
constexpr size_t kInlineBody = 64 * 1024;
// A file held as its bytes has no descriptor to send a body from.
static_assert(OpenFileCache::kMaxContentBytes <= kInlineBody);

// Whether If-Range (absent: yes) lets a Range apply: its entity tag matches
// strongly, or its date is exactly the file's modification time and that
// is over a second ago (a date is only a strong validator then, RFC 9110
// 8.8.2.2: two writes within one second share it).
bool IfRangeHolds(const Exchange& x, std::string_view etag, int64_t mtime_s) {
  const std::optional<std::string_view> if_range = x.request.Find("If-Range");
  if (!if_range.has_value()) return true;
  if (if_range->starts_with("\"")) return *if_range == etag;
  const std::optional<int64_t> date = ParseHttpDate(*if_range);
  return date.has_value() && *date == mtime_s &&
         absl::ToUnixSeconds(absl::Now()) - mtime_s >= 1;
}

// The JSON listing of the directory open as `dir_fd` (which the pool's job
// takes over), read on the blocking pool.
Task<bool> SendListing(Exchange& x, int dir_fd) {
  // Closes the descriptor if the job never runs (the pool was full).
  struct DirFd {
    explicit DirFd(int fd) : fd(fd) {}
    ~DirFd() {
      if (fd >= 0) close(fd);
    }
    int fd;
  };
  auto owned = std::make_shared<DirFd>(dir_fd);
  const size_t max = x.options.list_max_entries;
  std::optional<Listing> listing = co_await x.pool.Run<Listing>(
      [owned, max] { return ReadDirectory(std::exchange(owned->fd, -1), max); });
  const bool keep_alive = x.keep_alive;
  if (!listing.has_value()) {
    co_return co_await SendResponse(x, 503, "too many listings at once\n",
                                    keep_alive);
  }
  if (listing->error != 0) {
    co_return co_await SendResponse(x, 500, "cannot read the directory\n",
                                    keep_alive);
  }
  const std::string path = absl::StrCat("/", x.path.relative,
                                        x.path.relative.empty() ? "" : "/");
  const std::string body = ListingJson(path, *listing);
  std::string out;
  x.status = 200;
  http::WriteResponse({.status = 200,
                       .content_type = "application/json",
                       .body = body,
                       .keep_alive = keep_alive,
                       .omit_body = x.request.method == "HEAD"},
                      &out);
  co_return co_await x.connection.SendAll(out, x.options.idle_timeout) &&
      keep_alive;
}

// Opens the client's path beneath the root and answers what is not a
// regular file (errors, directories, listings, FIFOs). Null once answered;
// `go_on` says whether the connection may go on.
Task<std::shared_ptr<const CachedFile>> OpenForRead(Exchange& x,
                                                    bool* go_on) {
  const bool keep_alive = x.keep_alive;
  const std::string relative =
      x.path.relative.empty() ? std::string(".") : x.path.relative;
  OwnedFd fd(co_await aio::OpenBeneath(
      x.root_fd, relative.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY,
      kResolveBeneath));
  if (!fd.valid()) {
    *go_on = co_await SendResponse(x, StatusForPathError(fd.get()),
                                   "cannot open that path\n", keep_alive);
    co_return nullptr;
  }
  struct statx st {};
  if (co_await aio::StatFd(fd.get(), &st) < 0) {
    co_await fd.Close();
    *go_on = co_await SendResponse(x, 500, "cannot stat the file\n",
                                   keep_alive);
    co_return nullptr;
  }
  if (S_ISDIR(st.stx_mode)) {
    if (!x.path.trailing_slash) {
      co_await fd.Close();
      *go_on = co_await SendResponse(x, 404, "that is a directory\n",
                                     keep_alive);
    } else {
      *go_on = co_await SendListing(x, fd.Release());
    }
    co_return nullptr;
  }
  if (x.path.trailing_slash || !S_ISREG(st.stx_mode)) {
    co_await fd.Close();
    // "/file/" names a directory that is not there; FIFOs, sockets and
    // devices are not served.
    if (x.path.trailing_slash) {
      *go_on = co_await SendResponse(x, 404, "not a directory\n", keep_alive);
    } else {
      *go_on =
          co_await SendResponse(x, 403, "not a regular file\n", keep_alive);
    }
    co_return nullptr;
  }
  // O_NONBLOCK was for the open (a FIFO). io_uring does not retry a read
  // of a descriptor that has it: where a file system cannot read without
  // blocking (some FUSE or network ones) the read would fail with -EAGAIN.
  // F_SETFL does not block.
  fcntl(fd.get(), F_SETFL, 0);
  // A small file is read whole now and kept as its bytes: hits then read
  // nothing, and hold no descriptor. Not for a HEAD, which reads nothing.
  if (x.request.method == "GET" &&
      x.caches.Local().WouldHoldContent(st.stx_size)) {
    std::string content(st.stx_size, '\0');
    const bool read = co_await ReadFully(x, fd.get(), content.data(),
                                         content.size(), 0);
    co_await fd.Close();
    if (!read) {
      *go_on = co_await SendResponse(x, 500, "cannot read the file\n",
                                     keep_alive);
      co_return nullptr;
    }
    co_return std::make_shared<const CachedFile>(std::move(content), st);
  }
  // Its last close goes to the pool (FileService's pool outlives its
  // caches): for a file replaced meanwhile it frees the blocks.
  aio::BlockingPool& pool = x.pool;
  co_return std::make_shared<const CachedFile>(
      fd.Release(), st,
      [&pool](int to_close) {
        return pool.Post([to_close] { close(to_close); });
      });
}

}  // namespace

Task<bool> ServeRead(Exchange& x) {
  const bool keep_alive = x.keep_alive;
  OpenFileCache& cache = x.caches.Local();
  const uint64_t epoch = cache.epoch();
  const uint64_t now_ns = stats::MonotonicNanos();
  std::shared_ptr<const CachedFile> file;
  if (!x.path.trailing_slash) file = cache.Find(x.path.relative, now_ns);
  if (file == nullptr) {
    bool go_on = false;
    file = co_await OpenForRead(x, &go_on);
    if (file == nullptr) co_return go_on;
    // A HEAD's entry would hold a descriptor where the GETs after it want
    // a small file's bytes: only GETs fill the cache.
    if (x.request.method == "GET") {
      // The clock read again: while the file opened, other requests may
      // have inserted entries later than now_ns, which the cache would
      // take for expired (a negative age is a huge unsigned one).
      cache.Insert(x.path.relative, file, epoch, stats::MonotonicNanos());
    }
  }
  const struct statx& st = file->st;
  const std::string& etag = file->etag;
  const int64_t mtime_s = st.stx_mtime.tv_sec;
  std::string headers = file->metadata_headers;
  const Precondition precondition = EvaluatePreconditions(
      x.request, {.exists = true, .etag = etag, .mtime_s = mtime_s},
      /*is_read=*/true);
  if (precondition != Precondition::kProceed) {
    const bool not_modified = precondition == Precondition::kNotModified;
    x.status = not_modified ? 304 : 412;
    std::string out;
    http::WriteResponse({.status = not_modified ? 304 : 412,
                         .body = not_modified ? "" : "precondition failed\n",
                         .keep_alive = keep_alive,
                         .omit_body = x.request.method == "HEAD",
                         .extra_headers = not_modified ? headers : ""},
                        &out);
    co_return co_await x.connection.SendAll(out, x.options.idle_timeout) &&
        keep_alive;
  }
  int status = 200;
  ByteRange range{.first = 0, .last = st.stx_size - 1};
  uint64_t length = st.stx_size;
  const std::optional<std::string_view> range_header = x.request.Find("Range");
  if (range_header.has_value() && x.request.method == "GET" &&
      IfRangeHolds(x, etag, mtime_s)) {
    switch (ParseByteRange(*range_header, st.stx_size, &range)) {
      case RangeResult::kWhole:
        break;
      case RangeResult::kRange:
        status = 206;
        length = range.length();
        absl::StrAppend(&headers, "Content-Range: bytes ", range.first, "-",
                        range.last, "/", st.stx_size, "\r\n");
        break;
      case RangeResult::kUnsatisfiable: {
        std::string out;
        const std::string unsatisfied =
            absl::StrCat("Content-Range: bytes */", st.stx_size, "\r\n");
        x.status = 416;
        http::WriteResponse({.status = 416,
                             .body = "range not satisfiable\n",
                             .keep_alive = keep_alive,
                             .extra_headers = unsatisfied},
                            &out);
        co_return co_await x.connection.SendAll(out, x.options.idle_timeout) &&
            keep_alive;
      }
    }
  }
  std::string out;
  x.status = status;
  http::WriteResponse({.status = status,
                       .content_type = ContentTypeOf(x.path.name()),
                       .keep_alive = keep_alive,
                       .omit_body = x.request.method == "HEAD",
                       .extra_headers = headers,
                       .streamed_length = length},
                      &out);
  const bool with_body = x.request.method != "HEAD" && length > 0;
  // A small body goes out with the headers, in one send.
  if (with_body && length <= kInlineBody) {
    if (file->fd < 0) {
      out.append(file->content, range.first, length);
    } else {
      const size_t header_bytes = out.size();
      out.resize(header_bytes + length);
      if (!co_await ReadFully(x, file->fd, out.data() + header_bytes, length,
                              range.first)) {
        co_return co_await SendResponse(x, 500, "cannot read the file\n",
                                        keep_alive);
      }
    }
    co_return co_await x.connection.SendAll(out, x.options.idle_timeout) &&
        keep_alive;
  }
  bool sent = co_await x.connection.SendAll(out, x.options.idle_timeout);
  if (sent && with_body) {
    sent = co_await SendFileBody(x, file->fd, range.first, length);
  }
  co_return sent && keep_alive;
}

}  // namespace shardd::files
