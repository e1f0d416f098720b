#include "tests/integration/support/resp_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

absl::Status ErrnoError(std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(std::string(what), ": ", std::strerror(errno)));
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
absl::StatusOr<bool> PollUntil(int fd, short events, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left < absl::ZeroDuration()) return false;
    pollfd pfd{.fd = fd, .events = events, .revents = 0};
    // Round up so that a sub-millisecond remainder still waits.
    const int ready =
        poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return ErrnoError("poll");
  }
}

// Non-blocking so that every wait goes through poll() with a deadline.
absl::StatusOr<int> NonBlockingSocket(int domain) {
  const int fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket");
  return fd;
}

// Finishes a non-blocking connect within `timeout`.
absl::Status Connect(int fd, const sockaddr* address, socklen_t length,
                     absl::Duration timeout) {
  if (connect(fd, address, length) == 0) return absl::OkStatus();
  if (errno != EINPROGRESS && errno != EAGAIN) return ErrnoError("connect");
  absl::StatusOr<bool> ready = PollUntil(fd, POLLOUT, absl::Now() + timeout);
  if (!ready.ok()) return ready.status();
  if (!*ready) return absl::DeadlineExceededError("connect timed out");
  int error = 0;
  socklen_t error_length = sizeof(error);
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_length);
  if (error != 0) {
    errno = error;
    return ErrnoError("connect");
  }
  return absl::OkStatus();
}

constexpr absl::Duration kConnectTimeout = absl::Seconds(10);

}  // namespace

absl::StatusOr<RespClient> RespClient::ConnectTcp(const std::string& host,
                                                  int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("bad IPv4 address ", host));
  }
  absl::StatusOr<int> fd = NonBlockingSocket(AF_INET);
  if (!fd.ok()) return fd.status();
  RespClient client(*fd);
  if (absl::Status s = Connect(*fd, reinterpret_cast<sockaddr*>(&address),
                               sizeof(address), kConnectTimeout);
      !s.ok()) {
    return s;
  }
  const int one = 1;  // requests are small; do not let Nagle delay them
  setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return client;
}

absl::StatusOr<RespClient> RespClient::ConnectUnix(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("path too long: ", path));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  absl::StatusOr<int> fd = NonBlockingSocket(AF_UNIX);
  if (!fd.ok()) return fd.status();
  RespClient client(*fd);
  if (absl::Status s = Connect(*fd, reinterpret_cast<sockaddr*>(&address),
                               sizeof(address), kConnectTimeout);
      !s.ok()) {
    return s;
  }
  return client;
}

RespClient::RespClient(RespClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      timeout_(other.timeout_),
      buffer_(std::move(other.buffer_)) {}

RespClient& RespClient::operator=(RespClient&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    timeout_ = other.timeout_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

RespClient::~RespClient() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<std::string> RespClient::Command(
    const std::vector<std::string>& args) {
  if (absl::Status s = Send(EncodeCommand(args)); !s.ok()) return s;
  return ReadReply();
}

absl::Status RespClient::Send(std::string_view bytes) {
  absl::StatusOr<size_t> sent = SendSome(bytes, timeout_);
  if (!sent.ok()) return sent.status();
  if (*sent != bytes.size()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "send timed out after ", *sent, " of ", bytes.size(), " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> RespClient::SendSome(std::string_view bytes,
                                            absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n =
        send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return ErrnoError("send");
    absl::StatusOr<bool> writable = PollUntil(fd_, POLLOUT, deadline);
    if (!writable.ok()) return writable.status();
    if (!*writable) break;
  }
  return sent;
}

absl::StatusOr<std::vector<std::string>> RespClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::string bytes;
  for (const auto& command : commands) bytes += EncodeCommand(command);
  absl::Status sent;
  std::thread writer([&] { sent = Send(bytes); });
  std::vector<std::string> replies;
  absl::Status read;
  for (size_t i = 0; i < commands.size() && read.ok(); ++i) {
    absl::StatusOr<std::string> reply = ReadReply();
    if (reply.ok()) {
      replies.push_back(*std::move(reply));
    } else {
      read = absl::Status(
          reply.status().code(),
          absl::StrCat("reply ", i, ": ", reply.status().message()));
    }
  }
  writer.join();
  if (!sent.ok()) return sent;
  if (!read.ok()) return read;
  return replies;
}

absl::StatusOr<std::string> RespClient::ReadReply() {
  const absl::Time deadline = absl::Now() + timeout_;
  while (true) {
    const ReplyScan scan = ScanReply(buffer_);
    if (scan.state == ReplyScan::State::kComplete) {
      std::string reply = buffer_.substr(0, scan.length);
      buffer_.erase(0, scan.length);
      return reply;
    }
    if (scan.state == ReplyScan::State::kMalformed) {
      return absl::DataLossError(
          absl::StrCat("malformed reply: ", Printable(buffer_)));
    }
    absl::StatusOr<bool> open = Fill(deadline);
    if (!open.ok()) return open.status();
    if (!*open) {
      return absl::UnavailableError(
          absl::StrCat("connection closed before a complete reply; got: ",
                       Printable(buffer_)));
    }
  }
}

absl::StatusOr<std::string> RespClient::ReadUntilClosed() {
  const absl::Time deadline = absl::Now() + timeout_;
  while (true) {
    absl::StatusOr<bool> open = Fill(deadline);
    if (!open.ok()) return open.status();
    if (!*open) return std::exchange(buffer_, std::string());
  }
}

absl::StatusOr<bool> RespClient::Fill(absl::Time deadline) {
  char chunk[64 * 1024];
  while (true) {
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    // A reset after the server closed is still "closed" for the tests.
    if (errno == ECONNRESET) return false;
    if (errno != EAGAIN) return ErrnoError("recv");
    absl::StatusOr<bool> readable = PollUntil(fd_, POLLIN, deadline);
    if (!readable.ok()) return readable.status();
    if (!*readable) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no reply within the timeout; buffered: ", Printable(buffer_)));
    }
  }
}

}  // namespace shardd::integration
