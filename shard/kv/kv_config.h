// KvConfig: the parameters CONFIG GET reports and CONFIG SET changes, by
// their Redis names (and the old ziplist names of the encoding limits).
// What CONFIG SET may change lives here in atomics, or under a mutex for
// the password, and every shard reads it while running: --timeout for the
// next wait of each connection, the password and protected mode for the
// next AUTH or connection, the compaction thresholds at the next check, the
// encoding limits at the next write to a value. The rest is fixed at start
// and CONFIG SET says so.
//
//   KvConfig config(options);
//   std::string error = config.Set(pairs);  // "" or the error, no '-'
#ifndef SHARDD_SHARD_KV_KV_CONFIG_H_
#define SHARDD_SHARD_KV_KV_CONFIG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "aio/log/log_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/session_context.h"

namespace shardd::net {
class Acceptor;
}  // namespace shardd::net

namespace shardd::kv {

struct KvOptions;
class KvShards;

class KvConfig {
 public:
  // `options` (not copied) holds what is fixed; `port` says the listening
  // port once known.
  // `shards` hold what every shard reads as it runs (notify-keyspace-events,
  // the slow log's settings); `acceptor` takes maxclients and tcp-keepalive.
  KvConfig(const KvOptions& options, std::function<uint16_t()> port,
           KvShards* shards, net::Acceptor* acceptor);

  // CONFIG GET: every parameter with its value now, under each name.
  std::vector<ConfigParameter> Parameters() const;

  // CONFIG SET name value [name value ...]: all or nothing, "" when done,
  // else Redis's error (without its '-').
  std::string Set(CommandArgs pairs);

  // CONFIG REWRITE: writes the value of every parameter CONFIG SET can
  // change into the --flagfile, as a --flag=value line replacing the
  // flag's line there or added at the end; every other line stays. The
  // file is replaced whole (written aside, synced, renamed). "" when done,
  // else Redis's error (without its '-').
  std::string Rewrite() const;

  int idle_timeout_seconds() const {
    return idle_timeout_seconds_.load(std::memory_order_relaxed);
  }
  bool protected_mode() const {
    return protected_mode_.load(std::memory_order_relaxed);
  }
  bool password_required() const {
    return password_set_.load(std::memory_order_acquire);
  }
  bool PasswordMatches(std::string_view user, std::string_view password) const;
  uint32_t auto_rewrite_percentage() const {
    return auto_rewrite_percentage_.load(std::memory_order_relaxed);
  }
  uint64_t auto_rewrite_min_size() const {
    return auto_rewrite_min_size_.load(std::memory_order_relaxed);
  }
  // Read by each session per batch of requests.
  size_t proto_max_bulk_len() const {
    return proto_max_bulk_len_.load(std::memory_order_relaxed);
  }
  size_t client_query_buffer_limit() const {
    return client_query_buffer_limit_.load(std::memory_order_relaxed);
  }

 private:
  struct Entry {
    std::string_view name;
    std::string_view alias;  // the same parameter's older name, or ""
    std::function<std::string()> get;
    // Checks `value`: "" if good, else why not; applies it if `apply`.
    // Null: fixed at start.
    std::function<std::string(std::string_view value, bool apply)> set;
    // Without `set`: why CONFIG SET refuses ("" for Redis's immutable).
    std::string_view refusal = {};
    // A flag of the same name (`-` written `_`), which CONFIG REWRITE
    // writes.
    bool has_flag = true;
  };
  std::vector<Entry> MakeEntries();

  const KvOptions& options_;
  std::function<uint16_t()> port_;
  std::atomic<int> idle_timeout_seconds_;
  std::atomic<bool> protected_mode_;
  std::atomic<bool> password_set_;
  mutable absl::Mutex password_mu_;
  std::string password_ ABSL_GUARDED_BY(password_mu_);
  std::atomic<uint32_t> auto_rewrite_percentage_;
  std::atomic<uint64_t> auto_rewrite_min_size_;
  std::atomic<aio::FsyncPolicy> fsync_policy_;
  KvShards* shards_;
  net::Acceptor* acceptor_;
  std::atomic<size_t> proto_max_bulk_len_;
  std::atomic<size_t> client_query_buffer_limit_;
  std::vector<Entry> entries_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_KV_CONFIG_H_
