// FileService: the HTTP/1.1 file service. Files live under a root directory
// (<dir>/files); GET and HEAD read them, PUT stores a body atomically and
// durably, DELETE removes one. Every disk operation is an io_uring request
// on the connection's shard (aio/file.h), and every name a client sends is
// resolved by the kernel beneath the root (openat2 RESOLVE_BENEATH), so no
// request reads or writes outside it and none blocks a loop.
//
//   FileService files(options, shard_count);
//   RETURN_IF_ERROR(files.Prepare());           // before the shards start
//   shards.Start([&](Reactor& r) { files.StartOnShard(r); });
#ifndef SHARDD_SHARD_FILES_FILE_SERVICE_H_
#define SHARDD_SHARD_FILES_FILE_SERVICE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "aio/blocking_pool.h"
#include "net/acceptor.h"
#include "shard/files/file_stats_part.h"
#include "shard/files/open_file_cache.h"
#include "shard/files/path_locks.h"
#include "shard/per_shard.h"
#include "shard/reactor.h"
#include "shard/service.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::files {

struct FileOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  uint32_t max_clients = 1024;
  int tcp_keepalive_seconds = 300;
  // As the admin endpoint's: a request's line and headers must arrive within
  // header_timeout; an idle keep-alive connection closes after idle_timeout,
  // which also bounds each wait for more of a body and each send.
  absl::Duration header_timeout = absl::Seconds(10);
  absl::Duration idle_timeout = absl::Seconds(60);
  std::string root;  // the directory served; created if missing
  uint64_t max_body_bytes = uint64_t{1} << 30;  // larger PUTs get 413
  // With a token, PUT and DELETE need "Authorization: Bearer <token>", and
  // so do GET and HEAD when token_reads is set. A bind to an address other
  // than loopback is refused without one.
  std::string token;
  bool token_reads = false;
  size_t list_max_entries = 1000;  // a longer listing is cut, and says so
  size_t open_file_cache = 1024;   // files each shard keeps open (0: none)
  // Of which small ones are kept as their bytes, up to this many per shard.
  size_t open_file_cache_bytes = size_t{8} << 20;
  bool splice = true;  // large bodies spliced, not copied (file_body.h)
};

class FileService final : public Service {
 public:
  FileService(FileOptions options, uint32_t shard_count);
  ~FileService() override;

  std::string_view name() const override { return "files"; }
  // Creates the root, opens it, checks the token rule, opens the listeners.
  absl::Status Prepare() override;
  void StartOnShard(Reactor& reactor) override;
  // Requests, connections, bytes and disk work of the calling shard.
  void AddStats(stats::ShardStatsSnapshot& snapshot) const override;
  const stats::StatsPart* stats_part() const override { return &stats_part_; }

  uint16_t port() const { return acceptor_.port(); }

 private:
  Task<void> ServeConnection(net::Connection connection);

  const FileOptions options_;
  int root_fd_ = -1;  // O_DIRECTORY descriptor of options_.root
  // Directory listings: two threads, a bounded queue (past it, 503); made
  // by Prepare, so a disabled service starts no thread.
  std::unique_ptr<aio::BlockingPool> pool_;
  PerShard<stats::FileStats> stats_;
  PerShard<OpenFileCache> caches_;
  PerShard<PathLocks> locks_;
  FileStatsPart stats_part_;
  net::Acceptor acceptor_;
};

}  // namespace shardd::files

#endif  // SHARDD_SHARD_FILES_FILE_SERVICE_H_
