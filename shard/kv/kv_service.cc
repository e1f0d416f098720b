#include "shard/kv/kv_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/resp_session.h"
#include "shard/kv/stats_snapshot.h"
#include "shard/timer.h"

namespace shardd::kv {
namespace {

// Redis runs its active expiry 10 times a second (hz 10).
constexpr absl::Duration kExpirePeriod = absl::Milliseconds(100);
// Per period at most kExpireRounds * kExpireBatch keys are reclaimed, so a
// mass expiry never stalls the loop for long.
constexpr size_t kExpireBatch = 256;
constexpr int kExpireRounds = 16;

net::AcceptorOptions AcceptorOptionsFor(const KvOptions& options,
                                        uint32_t shard_count) {
  return {.name = "kv",
          .bind_address = options.bind_address,
          .port = options.port,
          .listeners = shard_count,
          .balance = options.balance_connections,
          .max_clients = options.max_clients,
          .refusal = "-ERR max number of clients reached\r\n",
          .keepalive_seconds = options.tcp_keepalive_seconds,
          .output_limit = options.client_output_limit};
}

}  // namespace

KvService::KvService(KvOptions options, uint32_t shard_count)
    : options_(std::move(options)),
      shards_(shard_count),
      prefetchers_(shard_count),
      acceptor_(AcceptorOptionsFor(options_, shard_count), shard_count,
                [this](net::Connection connection) {
                  return ServeRespConnection(*this, std::move(connection));
                }),
      start_time_(absl::Now()),
      snapshot_source_([this] { return SnapshotThisShard(*this); }) {
  parse_limits_.max_bulk_bytes = options_.proto_max_bulk_len;
}

absl::Status KvService::Prepare() { return acceptor_.Listen(); }

void KvService::StartOnShard(Reactor& reactor) {
  acceptor_.StartOnShard(reactor);
  reactor.Spawn(ExpireLoop());
}

void KvService::AddStats(stats::ShardStatsSnapshot& snapshot) const {
  const KvShard& shard = shards_.On(snapshot.shard);
  stats::ShardStats& s = snapshot.stats;
  static_cast<stats::CommandStats&>(s) = shard.stats;
  const net::ConnectionCounters& c = acceptor_.CountersOn(snapshot.shard);
  s.connections_current = c.current;
  s.connections_accepted = c.accepted;
  s.connections_closed = c.closed;
  s.connections_rejected = c.rejected;
  s.connections_timed_out = c.timed_out;
  s.connections_output_limited = c.output_limited;
  s.accept_fd_exhausted = c.fd_exhausted;
  s.bytes_in = c.bytes_in;
  s.bytes_out = c.bytes_out;
  snapshot.keys = shard.store.KeyCount();
  snapshot.expires = shard.store.ExpiringKeyCount();
  snapshot.blocked_clients = shard.blocking.waits.size();
  snapshot.lock_waiting = shard.locks.waiting();
  s.lock_waits = shard.locks.waits();
}

std::vector<ConfigParameter> KvService::ConfigParameters() const {
  // The parameters tools such as redis-benchmark ask about.
  return {
      {"appendonly", "no"},
      {"bind", options_.bind_address},
      {"client-query-buffer-limit",
       absl::StrCat(options_.client_query_buffer_limit)},
      {"databases", "1"},
      {"maxclients", absl::StrCat(options_.max_clients)},
      {"port", absl::StrCat(port())},
      {"proto-max-bulk-len", absl::StrCat(options_.proto_max_bulk_len)},
      {"save", ""},
      {"tcp-keepalive", absl::StrCat(options_.tcp_keepalive_seconds)},
      {"timeout", absl::StrCat(options_.idle_timeout_seconds)},
  };
}

Task<std::vector<stats::ShardStatsSnapshot>> KvService::SnapshotEveryShard() {
  std::vector<stats::ShardStatsSnapshot> snapshots(shard_count());
  for (uint32_t s = 0; s < shard_count(); ++s) {
    snapshots[s] = co_await InvokeOn(s, [this] { return snapshot_source_(); });
  }
  co_return snapshots;
}

const std::vector<const CommandSpec*>& KvService::Commands() const {
  return AllCommands();
}

const CommandSpec* KvService::FindCommand(std::string_view name) const {
  return kv::FindCommand(name);
}

Task<void> KvService::ExpireLoop() {
  KvShard& shard = Local();
  while (co_await Delay(kExpirePeriod)) {
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    for (int round = 0; round < kExpireRounds; ++round) {
      if (shard.store.ActiveExpireCycle(now_ms, kExpireBatch) < kExpireBatch) {
        break;
      }
    }
  }
}

}  // namespace shardd::kv
