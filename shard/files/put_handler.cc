// PUT and DELETE. A PUT streams its body into a temporary file in the
// target's directory, fsyncs it, renames it over the target and fsyncs the
// directory, and only then replies: a reader sees the old file or the new
// one, and an acknowledged PUT survives a crash. Directories are opened
// beneath the root; the final name is always one plain segment, so rename
// and unlink (which take no RESOLVE flags) act inside the root.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "aio/file.h"
#include "net/http/chunked_decoder.h"
#include "shard/files/exchange.h"
#include "shard/files/file_metadata.h"
#include "shard/files/owned_fd.h"
#include "shard/files/path_locks.h"
#include "shard/files/preconditions.h"
#include "shard/invoke_on.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"

namespace shardd::files {
namespace {

// Distinguishes the temporaries of concurrent PUTs in one directory (with
// the pid, those of an earlier run that crashed).
std::atomic<uint64_t> next_temp_id{0};

absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

// fsync through the ring, counted.
Task<int> Fsync(Exchange& x, int fd) {
  ++x.stats.files_fsyncs;
  co_return co_await aio::Fsync(fd);
}

// The directory `parent` (a relative path, "" for the root) opened beneath
// the root for reading (fsync needs more than O_PATH), creating the missing
// ones when `create` is set, each made durable in its parent (fsync) before
// the next: an acknowledged PUT must not lose its directory in a crash.
// A descriptor, or -errno.
Task<OwnedFd> OpenDirectory(Exchange& x, std::string_view parent,
                            bool create) {
  const std::string path = parent.empty() ? "." : std::string(parent);
  const int opened = co_await aio::OpenBeneath(
      x.root_fd, path.c_str(), O_RDONLY | O_DIRECTORY, kResolveBeneath);
  if (opened >= 0 || opened != -ENOENT || !create) co_return OwnedFd(opened);
  // One segment at a time, each beneath the one before.
  OwnedFd current(co_await aio::OpenBeneath(x.root_fd, ".",
                                            O_RDONLY | O_DIRECTORY,
                                            kResolveBeneath));
  size_t start = 0;
  while (current.valid() && start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, slash - start);
    int made = co_await aio::MkdirAt(current.get(), segment.c_str(), 0755);
    if (made == 0) made = co_await Fsync(x, current.get());
    if (made < 0 && made != -EEXIST) {
      co_await current.Close();
      co_return OwnedFd(made);
    }
    OwnedFd next(co_await aio::OpenBeneath(current.get(), segment.c_str(),
                                           O_RDONLY | O_DIRECTORY,
                                           kResolveBeneath));
    co_await current.Close();
    current = std::move(next);
    start = slash + 1;
  }
  co_return current;
}

// Copies the body's `length` bytes into `fd`: what is in the input buffer,
// then what arrives. 0, -ECONNRESET if the client went away or stalled past
// the idle timeout, or the write's -errno.
// Writes `data` at `offset` of `fd`, however many writes it takes; 0 or
// the write's -errno.
Task<int> WriteAll(Exchange& x, int fd, std::string_view data,
                   uint64_t offset) {
  size_t written = 0;
  while (written < data.size()) {
    const int w = co_await aio::Write(fd, data.data() + written,
                                      data.size() - written, offset + written);
    if (w < 0) co_return w;
    if (w == 0) co_return -EIO;
    written += static_cast<size_t>(w);
    x.stats.files_disk_written_bytes += static_cast<uint64_t>(w);
  }
  co_return 0;
}


// Receives more input; false if the client went away or stalled past the
// idle timeout.
Task<bool> ReceiveMore(Exchange& x) {
  while (true) {
    const int received = co_await x.connection.Receive(
        x.input, absl::Now() + x.options.idle_timeout);
    if (received != -EAGAIN) co_return received > 0;
  }
}

// A chunked body (RFC 9112 7.1) into `fd`, decoded as it arrives: 0,
// -ECONNRESET as ReceiveBody, -EBADMSG for a malformed body, -EFBIG past
// --max_body_bytes, or a write's -errno.
Task<int> ReceiveChunkedBody(Exchange& x, int fd) {
  http::ChunkedDecoder decoder;
  uint64_t offset = 0;
  while (true) {
    const http::ChunkedDecoder::Step step = decoder.Next(x.input.data());
    switch (step.state) {
      case http::ChunkedDecoder::State::kData: {
        if (decoder.body_bytes() > x.options.max_body_bytes) co_return -EFBIG;
        const int w = co_await WriteAll(x, fd, step.data, offset);
        if (w < 0) co_return w;
        offset += step.data.size();
        x.input.Consume(step.consumed);
        break;
      }
      case http::ChunkedDecoder::State::kDone:
        x.input.Consume(step.consumed);
        co_return 0;
      case http::ChunkedDecoder::State::kError:
        co_return -EBADMSG;
      case http::ChunkedDecoder::State::kNeedMore:
        x.input.Consume(step.consumed);
        if (!co_await ReceiveMore(x)) co_return -ECONNRESET;
        break;
    }
  }
}

Task<int> ReceiveBody(Exchange& x, int fd, uint64_t length) {
  uint64_t offset = 0;
  while (offset < length) {
    if (x.input.size() == 0 && !co_await ReceiveMore(x)) {
      co_return -ECONNRESET;
    }
    const size_t n = std::min<uint64_t>(x.input.size(), length - offset);
    if (const int w = co_await WriteAll(x, fd, x.input.data().substr(0, n),
                                        offset);
        w < 0) {
      co_return w;
    }
    x.input.Consume(n);
    offset += n;
  }
  co_return 0;
}

// The target `name` in `dir` as it is now, and whether the request's
// preconditions hold against it (RFC 9110 13.1). `exists` also decides a
// PUT's 201 or 204.
struct TargetCheck {
  bool exists = false;
  bool proceed = true;
};
Task<TargetCheck> CheckTarget(Exchange& x, int dir, const std::string& name) {
  struct statx st {};
  OwnedFd existing(co_await aio::OpenAt(dir, name.c_str(),
                                        O_PATH | O_NOFOLLOW));
  TargetCheck check;
  check.exists =
      existing.valid() && co_await aio::StatFd(existing.get(), &st) == 0;
  co_await existing.Close();
  const std::string etag = check.exists ? ETagOf(st) : std::string();
  check.proceed =
      EvaluatePreconditions(x.request,
                            {.exists = check.exists,
                             .etag = etag,
                             .mtime_s = st.stx_mtime.tv_sec},
                            /*is_read=*/false) == Precondition::kProceed;
  co_return check;
}

// What a PUT has made durable, checked before its success reply: the
// reply promises all three (stats: files_replies_before_durable).
struct Durability {
  bool data_synced = false;
  bool renamed = false;
  bool directory_synced = false;
  bool All() const { return data_synced && renamed && directory_synced; }
};

// Answers a write that holds its path's lock, and lets the lock go. The
// reply is handed to the socket first, so replies to one path start to
// leave in the order their writes took effect; what a full socket (a
// client that does not read) cannot take at once is sent after the lock is
// let go, so such a client holds up no other writer of the path.
Task<bool> ReplyAndRelease(Exchange& x, PathLock& lock, int status,
                           std::string_view body, bool keep_alive) {
  const std::string out = ResponseBytes(x, status, body, keep_alive);
  const int taken = co_await x.connection.SendNow(out);
  co_await lock.Release();
  if (taken < 0) co_return false;
  const bool sent = co_await x.connection.SendAll(
      std::string_view(out).substr(static_cast<size_t>(taken)),
      x.options.idle_timeout);
  co_return sent && keep_alive;
}

// Why a PUT or DELETE is refused before anything is touched: 401 without
// the bearer token, 400 without a file name; 0 if it may go on.
int WriteRefusal(const Exchange& x) {
  if (!Authorized(x.request, x.options)) return 401;
  if (x.path.relative.empty() || x.path.trailing_slash) return 400;
  return 0;
}

// The reply of a WriteRefusal.
Task<bool> RefuseWrite(Exchange& x, int status, bool keep_alive) {
  const std::string body =
      status == 401 ? std::string("a bearer token is required\n")
                    : absl::StrCat(absl::string_view(x.request.method.data(),
                                                 x.request.method.size()),
                                " needs a file name\n");
  co_return co_await SendResponse(x, status, body, keep_alive);
}

// The lock of the request's path, on the path's owner (path_locks.h).
PathLock LockFor(Exchange& x) {
  return PathLock(x.locks,
                  ShardSet::OwnerOf(x.path.relative, x.locks.size()),
                  x.path.relative);
}

}  // namespace

Task<void> InvalidateEverywhere(Exchange& x, const std::string& relative) {
  for (uint32_t shard = 0; shard < x.caches.size(); ++shard) {
    co_await InvokeOn(shard, [&x, &relative, shard] {
      x.caches.On(shard).Invalidate(relative);
    });
  }
}

Task<bool> ServePut(Exchange& x) {
  const uint64_t length = x.request.content_length;
  const bool body_unread = length > 0 || x.request.chunked;
  // Before any of the body is read, a refusal must close the connection:
  // the unread body would be taken for the next request.
  const bool keep_if_refused = x.keep_alive && !body_unread;
  if (const int refusal = WriteRefusal(x); refusal != 0) {
    co_return co_await RefuseWrite(x, refusal, keep_if_refused);
  }
  if (length > x.options.max_body_bytes) {
    co_return co_await SendResponse(
        x, 413, absl::StrCat("body over ", x.options.max_body_bytes, " bytes\n"),
        false);
  }
  OwnedFd dir = co_await OpenDirectory(x, x.path.parent(), true);
  if (!dir.valid()) {
    co_return co_await SendResponse(x, StatusForPathError(dir.get()),
                                    "cannot open the directory\n",
                                    keep_if_refused);
  }
  // Checked now, to refuse before the body is sent, and again under the
  // path's lock, where it counts.
  const std::string name(x.path.name());
  if (!(co_await CheckTarget(x, dir.get(), name)).proceed) {
    co_await dir.Close();
    co_return co_await SendResponse(x, 412, "precondition failed\n",
                                    keep_if_refused);
  }
  // Only now, with the request accepted and its directory open, is the
  // client invited to send the body.
  if (std::optional<std::string_view> expect = x.request.Find("Expect")) {
    if (!absl::EqualsIgnoreCase(View(*expect), "100-continue")) {
      co_await dir.Close();
      co_return co_await SendResponse(x, 417, "unsupported Expect\n", false);
    }
    // HTTP/1.0 clients know no 100 (RFC 9110 15.2): they just send.
    if (body_unread && x.input.size() == 0 && x.request.minor_version >= 1 &&
        !co_await x.connection.SendAll("HTTP/1.1 100 Continue\r\n\r\n",
                                       x.options.idle_timeout)) {
      co_await dir.Close();
      co_return false;
    }
  }
  // A name no request may use; should one exist all the same (left by
  // another process), the next id is tried.
  std::string temp;
  OwnedFd file;
  for (int attempt = 0; attempt < 3 && !file.valid(); ++attempt) {
    temp = absl::StrCat(View(kTempPrefix), getpid(), "-",
                        next_temp_id.fetch_add(1));
    file = OwnedFd(co_await aio::OpenAt(
        dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
        0644));
    if (file.get() != -EEXIST) break;
  }
  if (!file.valid()) {
    co_await dir.Close();
    co_return co_await SendResponse(x, 500, "cannot create a temporary\n",
                                    false);
  }
  int result = 0;
  if (x.request.chunked) {
    result = co_await ReceiveChunkedBody(x, file.get());
  } else {
    result = co_await ReceiveBody(x, file.get(), length);
  }
  if (result == -ECONNRESET) {  // the client left: leave nothing behind
    co_await file.Close();
    co_await aio::UnlinkAt(dir.get(), temp.c_str());
    co_await dir.Close();
    co_return false;
  }
  if (result == 0) result = co_await Fsync(x, file.get());
  const bool data_synced = result == 0;
  co_await file.Close();
  if (result < 0) {
    co_await aio::UnlinkAt(dir.get(), temp.c_str());
    co_await dir.Close();
    const int status = result == -ENOSPC || result == -EDQUOT ? 507
                       : result == -EFBIG                     ? 413
                       : result == -EBADMSG                   ? 400
                                                              : 500;
    // Part of the body may be unread (a failed write, a body too large or
    // malformed): close, lingering (file_session.cc).
    co_return co_await SendResponse(x, status, "the file was not stored\n",
                                    false);
  }
  // The commit, holding the path's lock: check, rename, invalidate, fsync
  // the directory, reply.
  PathLock lock = LockFor(x);
  co_await lock.Acquire();
  const TargetCheck target = co_await CheckTarget(x, dir.get(), name);
  if (!target.proceed) {
    co_await aio::UnlinkAt(dir.get(), temp.c_str());
    co_await dir.Close();
    co_return co_await ReplyAndRelease(x, lock, 412, "precondition failed\n",
                                       x.keep_alive);
  }
  Durability durable{.data_synced = data_synced};
  result = co_await aio::RenameAt(dir.get(), temp.c_str(), dir.get(),
                                  name.c_str());
  durable.renamed = result == 0;
  // Renamed, the old version is gone: no shard may serve it from its cache
  // once this PUT is answered, whatever the fsync says.
  if (result == 0) co_await InvalidateEverywhere(x, x.path.relative);
  if (result == 0) result = co_await Fsync(x, dir.get());
  durable.directory_synced = durable.renamed && result == 0;
  if (result < 0) co_await aio::UnlinkAt(dir.get(), temp.c_str());
  co_await dir.Close();
  if (result == 0 && !durable.All()) ++x.stats.files_replies_before_durable;
  if (result == 0) {
    co_return co_await ReplyAndRelease(x, lock, target.exists ? 204 : 201, "",
                                       x.keep_alive);
  }
  co_return co_await ReplyAndRelease(x, lock, result == -EISDIR ? 409 : 500,
                                     "the file was not stored\n",
                                     x.keep_alive);
}

Task<bool> ServeDelete(Exchange& x) {
  const bool keep_alive = x.keep_alive;
  if (const int refusal = WriteRefusal(x); refusal != 0) {
    co_return co_await RefuseWrite(x, refusal, keep_alive);
  }
  OwnedFd dir = co_await OpenDirectory(x, x.path.parent(), false);
  if (!dir.valid()) {
    co_return co_await SendResponse(x, StatusForPathError(dir.get()),
                                    "no such file\n", keep_alive);
  }
  const std::string name(x.path.name());
  PathLock lock = LockFor(x);
  co_await lock.Acquire();
  const TargetCheck target = co_await CheckTarget(x, dir.get(), name);
  if (!target.proceed) {
    co_await dir.Close();
    co_return co_await ReplyAndRelease(x, lock, 412, "precondition failed\n",
                                       keep_alive);
  }
  int result = co_await aio::UnlinkAt(dir.get(), name.c_str());
  if (result == 0) {
    co_await InvalidateEverywhere(x, x.path.relative);
    result = co_await Fsync(x, dir.get());
  }
  co_await dir.Close();
  const int status = result == 0 ? 204
                     : result == -EISDIR || result == -EPERM
                         ? 403
                         : StatusForPathError(result);
  co_return co_await ReplyAndRelease(
      x, lock, status, status == 204 ? "" : "cannot delete that\n",
      keep_alive);
}

}  // namespace shardd::files
