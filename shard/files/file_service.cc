#include "shard/files/file_service.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/http/response_writer.h"
#include "shard/files/request_path.h"

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

// Removes the temporaries of PUTs a crash interrupted (their names start
// with kTempPrefix; no request may name one). Returns how many.
size_t RemoveTemporaries(const std::string& root) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(root, error), end;
       !error && it != end; it.increment(error)) {
    if (it->path().filename().string().starts_with(kTempPrefix)) {
      found.push_back(it->path());
    }
  }
  size_t removed = 0;
  for (const std::filesystem::path& path : found) {
    if (std::filesystem::remove(path, error)) ++removed;
  }
  return removed;
}

}  // namespace

FileService::FileService(FileOptions options, uint32_t shard_count)
    : options_(std::move(options)),
      stats_(shard_count),
      caches_(shard_count, options_.open_file_cache,
              options_.open_file_cache_bytes),
      locks_(shard_count),
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
  // On the main thread, before any loop runs: blocking calls are fine here
  // (the walk for temporaries too; no shard waits for it).
  std::error_code error;
  std::filesystem::create_directories(options_.root, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create ", options_.root, ": ", error.message()));
  }
  if (const size_t removed = RemoveTemporaries(options_.root); removed > 0) {
    std::fprintf(stderr,
                 "shardd: files: removed %zu temporary file(s) of PUTs "
                 "interrupted by a crash\n",
                 removed);
  }
  root_fd_ = open(options_.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open ", options_.root, ": ", strerror(errno)));
  }
  pool_ = std::make_unique<aio::BlockingPool>(/*threads=*/2,
                                              /*max_queued=*/64);
  return acceptor_.Listen();
}

void FileService::AddStats(stats::ShardStatsSnapshot& snapshot) const {
  stats::FileStats& f = snapshot.stats;
  f = stats_.On(snapshot.shard);
  const net::ConnectionCounters& c = acceptor_.CountersOn(snapshot.shard);
  f.files_connections_current = c.current;
  f.files_connections_accepted = c.accepted;
  f.files_bytes_in = c.bytes_in;
  f.files_bytes_out = c.bytes_out;
}

void FileService::StartOnShard(Reactor& reactor) {
  acceptor_.StartOnShard(reactor);
}

}  // namespace shardd::files
