// One HTTP connection of the file service: parse a request's head, check its
// path, hand it to the method's handler, and go on while keep-alive allows.
// Header and idle timeouts as the admin endpoint's.
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "net/http/request_parser.h"
#include "net/http/response_writer.h"
#include "net/http_head_reader.h"
#include "net/input_buffer.h"
#include "shard/files/exchange.h"
#include "shard/files/file_service.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::files {
namespace {

// Room for a request head, and then for a body in flight to the disk.
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxBuffered = 256 * 1024;

// Closing a socket with unread bytes makes the kernel reset the connection,
// and a client still sending a body could lose the response it was sent.
// So when the service ends a connection in the middle of a request's body,
// it stops sending and reads, discarding, for a moment (nginx's lingering
// close).
constexpr absl::Duration kLingerTime = absl::Seconds(2);
constexpr size_t kLingerBytes = 1 << 20;

Task<void> Linger(net::Connection& connection, net::InputBuffer& input) {
  connection.Shutdown(SHUT_WR);
  const absl::Time give_up = absl::Now() + kLingerTime;
  size_t drained = 0;
  while (drained < kLingerBytes) {
    input.Consume(input.size());
    const int received = co_await connection.Receive(input, give_up);
    if (received == -EAGAIN) continue;
    if (received <= 0) break;
    drained += static_cast<size_t>(received);
  }
}

// `request` with its method, target and headers copied into `storage`.
// The parser's views point into the input buffer, which a PUT's body
// overwrites, and a PUT still reads its headers (its preconditions) and
// method (the counters) after the body.
http::Request OwnedCopy(const http::Request& request, std::string* storage) {
  size_t bytes = request.method.size() + request.target.size();
  for (const http::Header& h : request.headers) {
    bytes += h.name.size() + h.value.size();
  }
  storage->clear();
  storage->reserve(bytes);  // no reallocation below: the views stay valid
  const auto keep = [storage](std::string_view text) {
    const size_t at = storage->size();
    storage->append(text);
    return std::string_view(storage->data() + at, text.size());
  };
  http::Request copy = request;
  copy.method = keep(request.method);
  copy.target = keep(request.target);
  for (http::Header& h : copy.headers) {
    h.name = keep(h.name);
    h.value = keep(h.value);
  }
  return copy;
}

}  // namespace

bool Authorized(const http::Request& request, const FileOptions& options) {
  if (options.token.empty()) return true;
  const std::optional<std::string_view> given = request.Find("Authorization");
  constexpr std::string_view kScheme = "bearer ";  // any case (RFC 9110 11.1)
  if (!given.has_value() ||
      given->size() != kScheme.size() + options.token.size() ||
      !absl::StartsWithIgnoreCase(
          absl::string_view(given->data(), given->size()),
          absl::string_view(kScheme.data(), kScheme.size()))) {
    return false;
  }
  // Every byte compared, whatever the first difference: no timing hint.
  unsigned char difference = 0;
  for (size_t i = 0; i < options.token.size(); ++i) {
    difference |= static_cast<unsigned char>((*given)[kScheme.size() + i] ^
                                             options.token[i]);
  }
  return difference == 0;
}

std::string ResponseBytes(Exchange& x, int status, std::string_view body,
                          bool keep_alive) {
  std::string out;
  const bool head = x.request.method == "HEAD";
  std::string extra;
  if (status == 401) extra = "WWW-Authenticate: Bearer\r\n";
  http::WriteResponse({.status = status,
                       .body = body,
                       .keep_alive = keep_alive,
                       .omit_body = head,
                       .allow = status == 405 ? "GET, HEAD, PUT, DELETE" : "",
                       .extra_headers = extra},
                      &out);
  x.status = status;
  return out;
}

Task<bool> SendResponse(Exchange& x, int status, std::string_view body,
                        bool keep_alive) {
  const std::string out = ResponseBytes(x, status, body, keep_alive);
  const bool sent = co_await x.connection.SendAll(out, x.options.idle_timeout);
  co_return sent && keep_alive;
}

int StatusForPathError(int error) {
  switch (error) {
    case -ENOENT:
    case -ENOTDIR:
      return 404;
    case -EXDEV:  // resolution would leave the root
    case -ELOOP:
    case -EACCES:
    case -EPERM:
    case -ENXIO:  // a socket
    case -ENODEV:
    case -EOPNOTSUPP:
      return 403;
    case -ENAMETOOLONG:
      return 414;
    case -EMFILE:  // out of descriptors: try again later
    case -ENFILE:
      return 503;
    default:
      return 500;
  }
}

Task<void> FileService::ServeConnection(net::Connection connection) {
  net::InputBuffer input(kReadChunk, kMaxBuffered);
  net::HttpHeadReader reader(connection, input, options_.header_timeout,
                             options_.idle_timeout);
  http::Request request;
  http::Request put_copy;  // a PUT's request, outliving its body's reads
  bool open = true;
  while (open) {
    const http::ParseResult parsed = co_await reader.Next(&request);
    if (parsed.status == http::ParseStatus::kError) {
      stats_.Local().CountRequest("", parsed.error_status, 0);
    }
    if (parsed.status != http::ParseStatus::kComplete) break;
    input.Consume(parsed.consumed);
    const uint64_t started_ns = stats::MonotonicNanos();
    RequestPath path;
    std::string_view why;
    const int path_status = DecodeRequestPath(request.target, &path, &why);
    std::string owned_head;
    const http::Request& this_request =
        request.method == "PUT" ? (put_copy = OwnedCopy(request, &owned_head))
                                : request;
    Exchange x{.request = this_request,
               .path = path,
               .connection = connection,
               .input = input,
               .options = options_,
               .root_fd = root_fd_,
               .pool = *pool_,
               .stats = stats_.Local(),
               .caches = caches_,
               .locks = locks_};
    // A body no handler reads would be taken for the next request.
    const bool has_body = request.content_length > 0 || request.chunked;
    const bool keep_alive =
        request.keep_alive && (!has_body || request.method == "PUT");
    x.keep_alive = keep_alive;
    const bool is_read = request.method == "GET" || request.method == "HEAD";
    if (path_status != 0) {
      open = co_await SendResponse(x, path_status, std::string(why) + "\n",
                                   keep_alive && !has_body);
    } else if (path.relative.starts_with(kTempPrefix) ||
               absl::StrContains(path.relative,
                                 absl::StrCat("/", absl::string_view(
                                                       kTempPrefix.data(),
                                                       kTempPrefix.size())))) {
      open = co_await SendResponse(x, 403, "a reserved name\n",
                                   keep_alive && !has_body);
    } else if (is_read && options_.token_reads &&
               !Authorized(request, options_)) {
      open = co_await SendResponse(x, 401, "a bearer token is required\n",
                                   keep_alive);
    } else if (is_read) {
      open = co_await ServeRead(x) && keep_alive;
    } else if (request.method == "PUT") {
      open = co_await ServePut(x);
    } else if (request.method == "DELETE") {
      open = co_await ServeDelete(x);
    } else {
      open = co_await SendResponse(x, 405, "method not allowed\n",
                                   keep_alive && !has_body);
    }
    x.stats.CountRequest(x.request.method, x.status,
                         stats::MonotonicNanos() - started_ns);
    if (!open && has_body) {
      co_await Linger(connection, input);
      break;
    }
    reader.RequestDone();
  }
}

}  // namespace shardd::files
