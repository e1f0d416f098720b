// What the file service's consistency tests share: an HTTP/1.1 client on a
// raw socket that reads a response to the end of its body (so a
// connection can carry the next request), one-shot PUT and GET, versions
// whose first line names them, and a collector of what threads found
// wrong.
#ifndef SHARDD_TESTS_INTEGRATION_FILE_VERSIONS_H_
#define SHARDD_TESTS_INTEGRATION_FILE_VERSIONS_H_

#include <signal.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {

// How long one send or one response may take.
inline constexpr absl::Duration kIoTimeout = absl::Seconds(30);

// One response: the status, the head (status line and headers, without the
// blank line) and the body.
struct Response {
  int status = 0;
  std::string head;
  std::string body;
};

// An HTTP/1.1 client connection on a raw socket (RespClient's, which writes
// any bytes): a request written whole, its response read to the end of the
// body its Content-Length announces (204 and 304 have none), so the
// connection can carry the next request.
class HttpConnection {
 public:
  static absl::StatusOr<HttpConnection> Open(int port) {
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", port);
    if (!client.ok()) return client.status();
    client->set_timeout(kIoTimeout);
    return HttpConnection(*std::move(client));
  }

  absl::StatusOr<Response> Exchange(std::string_view head,
                                    std::string_view body = {}) {
    if (absl::Status sent = client_.Send(head); !sent.ok()) return sent;
    if (!body.empty()) {
      if (absl::Status sent = client_.Send(body); !sent.ok()) return sent;
    }
    return ReadResponse();
  }

  // Sends bytes without waiting for anything (a PUT left in the middle).
  absl::Status Send(std::string_view bytes) { return client_.Send(bytes); }

 private:
  explicit HttpConnection(RespClient client) : client_(std::move(client)) {}

  // Appends what the socket has to buffer_; an error at EOF or past
  // `deadline`.
  absl::Status Fill(absl::Time deadline) {
    while (true) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        return absl::DeadlineExceededError(
            absl::StrCat("no complete response; ", buffer_.size(),
                         " bytes: ", Printable(buffer_, 200)));
      }
      pollfd pfd{.fd = client_.fd(), .events = POLLIN, .revents = 0};
      const int ready =
          poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      if (ready < 0 && errno != EINTR) {
        return absl::UnavailableError(
            absl::StrCat("poll: ", std::strerror(errno)));
      }
      if (ready <= 0) continue;
      char chunk[64 * 1024];
      const ssize_t n = recv(client_.fd(), chunk, sizeof(chunk), 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return absl::OkStatus();
      }
      if (n == 0) {
        return absl::UnavailableError(
            absl::StrCat("closed after ", buffer_.size(), " bytes: ",
                         Printable(buffer_, 200)));
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return absl::UnavailableError(
            absl::StrCat("recv: ", std::strerror(errno)));
      }
    }
  }

  absl::StatusOr<Response> ReadResponse() {
    const absl::Time deadline = absl::Now() + kIoTimeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (absl::Status filled = Fill(deadline); !filled.ok()) return filled;
    }
    Response response;
    response.head = buffer_.substr(0, head_end);
    if (!response.head.starts_with("HTTP/1.1 ") ||
        !absl::SimpleAtoi(response.head.substr(9, 3), &response.status)) {
      return absl::InternalError(
          absl::StrCat("bad status line: ", Printable(response.head, 200)));
    }
    std::optional<size_t> length;
    for (absl::string_view line : absl::StrSplit(response.head, "\r\n")) {
      const size_t colon = line.find(':');
      size_t value;
      if (colon != absl::string_view::npos &&
          absl::EqualsIgnoreCase(line.substr(0, colon), "Content-Length") &&
          absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(colon + 1)),
                           &value)) {
        length = value;
      }
    }
    if (response.status == 204 || response.status == 304) length = 0;
    if (!length.has_value()) {
      return absl::InternalError(
          absl::StrCat("no Content-Length: ", response.head));
    }
    const size_t end = head_end + 4 + *length;
    while (buffer_.size() < end) {
      if (absl::Status filled = Fill(deadline); !filled.ok()) return filled;
    }
    response.body = buffer_.substr(head_end + 4, *length);
    buffer_.erase(0, end);
    return response;
  }

  RespClient client_;
  std::string buffer_;  // received, not yet returned
};

inline std::string PutHead(const std::string& path, size_t length, bool close) {
  return absl::StrCat("PUT ", path, " HTTP/1.1\r\nHost: x\r\nContent-Length: ",
                      length, "\r\n", close ? "Connection: close\r\n" : "",
                      "\r\n");
}

inline std::string GetHead(const std::string& path) {
  return absl::StrCat("GET ", path,
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

// PUT on a new connection (closed after the response).
inline absl::StatusOr<Response> PutOnce(int port, const std::string& path,
                                 const std::string& content) {
  absl::StatusOr<HttpConnection> connection = HttpConnection::Open(port);
  if (!connection.ok()) return connection.status();
  return connection->Exchange(PutHead(path, content.size(), true), content);
}

// GET on a new connection (closed after the response).
inline absl::StatusOr<Response> GetOnce(int port, const std::string& path) {
  absl::StatusOr<HttpConnection> connection = HttpConnection::Open(port);
  if (!connection.ok()) return connection.status();
  return connection->Exchange(GetHead(path));
}

// A version's content: a first line naming it ("<name>\n"), then a Pattern
// seeded by `seed`; `size` bytes in all.
inline std::string Version(const std::string& name, int seed, size_t size) {
  std::string content = Pattern(size, seed);
  const std::string label = absl::StrCat(name, "\n");
  content.replace(0, std::min(label.size(), size), label, 0,
                  std::min(label.size(), size));
  return content;
}

// The name on a version's first line, "" if there is none.
inline std::string VersionName(const std::string& content) {
  const size_t newline = content.find('\n');
  if (newline == std::string::npos || newline > 64) return "";
  return content.substr(0, newline);
}

inline std::string Describe(const std::string& content) {
  return absl::StrCat(content.size(), " bytes starting \"",
                      Printable(content, 24), "\"");
}

// What the threads of a test found wrong, reported by the test's thread.
class Failures {
 public:
  void Add(std::string what) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    if (list_.size() < 20) list_.push_back(std::move(what));
  }
  size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }
  std::string Summary() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return absl::StrCat(count_, " failure(s), the first ones:\n",
                        absl::StrJoin(list_, "\n"));
  }

 private:
  mutable std::mutex mutex_;
  size_t count_ = 0;
  std::vector<std::string> list_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_FILE_VERSIONS_H_
