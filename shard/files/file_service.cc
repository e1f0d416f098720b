#include "shard/files/file_service.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/http/response_writer.h"

namespace shardd::files {
namespace {

std::string Refusal() {
  std::string out;
  http::WriteResponse({.status = 503,
                       .body = "too many file service connections\n",
                       .keep_alive = false},
                      &out);
  return out;
}

// Whether `address` only accepts connections from this host.
bool IsLoopback(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return address == "localhost";
}

}  // namespace

FileService::FileService(FileOptions options, uint32_t shard_count)
    : options_(std::move(options)),
      acceptor_({.name = "files",
                 .bind_address = options_.bind_address,
                 .port = options_.port,
                 .listeners = shard_count,
                 .balance = true,
                 .max_clients = options_.max_clients,
                 .refusal = Refusal(),
                 .keepalive_seconds = options_.tcp_keepalive_seconds},
                shard_count, [this](net::Connection connection) {
                  return ServeConnection(std::move(connection));
                }) {}

FileService::~FileService() {
  if (root_fd_ >= 0) close(root_fd_);
}

absl::Status FileService::Prepare() {
  if (options_.token.empty() && !IsLoopback(options_.bind_address)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the file service would accept writes from other hosts on ",
        options_.bind_address, ": set --http_token, or bind to loopback"));
  }
  // On the main thread, before any loop runs: blocking calls are fine here.
  std::error_code error;
  std::filesystem::create_directories(options_.root, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create ", options_.root, ": ", error.message()));
  }
  root_fd_ = open(options_.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open ", options_.root, ": ", strerror(errno)));
  }
  return acceptor_.Listen();
}

void FileService::StartOnShard(Reactor& reactor) {
  acceptor_.StartOnShard(reactor);
}

}  // namespace shardd::files
