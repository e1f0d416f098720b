#include "tools/shardctl/tcp_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::shardctl {
namespace {

std::string Address(const std::string& host, int port) {
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::StatusOr<TcpClient> TcpClient::Connect(const std::string& host, int port,
                                             absl::Duration timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC |
                                            SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    TcpClient client(fd, timeout);
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      freeaddrinfo(found);
      return client;
    }
    if (errno == EINPROGRESS) {
      if (absl::Status ready = client.WaitFor(POLLOUT); !ready.ok()) {
        last_error = std::string(ready.message());
        continue;
      }
      int error = 0;
      socklen_t size = sizeof(error);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error == 0) {
        freeaddrinfo(found);
        return client;
      }
      last_error = std::strerror(error);
    } else {
      last_error = std::strerror(errno);
    }
  }
  freeaddrinfo(found);
  return absl::UnavailableError(absl::StrCat(
      "cannot connect to ", Address(host, port), ": ", last_error));
}

TcpClient::TcpClient(TcpClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), timeout_(other.timeout_) {}

TcpClient::~TcpClient() {
  if (fd_ >= 0) close(fd_);
}

absl::Status TcpClient::WaitFor(short events) {
  pollfd pfd{.fd = fd_, .events = events, .revents = 0};
  const int rc =
      poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout_)));
  if (rc == 0) {
    return absl::DeadlineExceededError(absl::StrCat(
        "no answer within ", absl::FormatDuration(timeout_)));
  }
  if (rc < 0) return absl::InternalError(std::strerror(errno));
  return absl::OkStatus();
}

absl::Status TcpClient::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (absl::Status s = WaitFor(POLLOUT); !s.ok()) return s;
    } else {
      return absl::UnavailableError(
          absl::StrCat("send failed: ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> TcpClient::ReceiveSome(std::string* buffer) {
  char chunk[16 * 1024];
  for (;;) {
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n >= 0) {
      buffer->append(chunk, static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
    if (errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(
          absl::StrCat("receive failed: ", std::strerror(errno)));
    }
    if (absl::Status s = WaitFor(POLLIN); !s.ok()) return s;
  }
}

}  // namespace shardd::shardctl
