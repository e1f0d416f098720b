#include "shard/kv/kv_service.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "aio/log/log_file.h"
#include "shard/invoke_on.h"
#include "shard/invoke_on_each.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/exec/latency_command.h"
#include "shard/kv/exec/publish.h"
#include "shard/kv/exec/slow_log_command.h"
#include "shard/kv/persist/records.h"
#include "shard/kv/resp_session.h"
#include "shard/kv/stats_snapshot.h"
#include "shard/kv/store/encoding_name.h"
#include "shard/kv/store/memory_estimate.h"
#include "shard/message.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"
#include "shard/timer.h"

namespace shardd::kv {
namespace {

// Redis runs its active expiry 10 times a second (hz 10).
constexpr absl::Duration kExpirePeriod = absl::Milliseconds(100);
// Per period at most kExpireRounds * kExpireBatch keys are reclaimed, so a
// mass expiry never stalls the loop for long.
constexpr size_t kExpireBatch = 256;
constexpr int kExpireRounds = 16;
constexpr uint64_t kTicksPerMemorySample = 100;  // of kExpirePeriod

// One period's active expiry over the databases, from `*next` on (where
// the last capped period stopped, as Redis's current_db) with one budget
// for all. True if it stopped at the budget with keys still due.
bool ExpireSome(const Databases& dbs, int64_t now_ms, uint32_t* next) {
  size_t budget = kExpireBatch * kExpireRounds;
  for (uint32_t i = 0; i < dbs.count(); ++i) {
    const uint32_t db = (*next + i) % dbs.count();
    Store* store = dbs.Find(db);
    if (store == nullptr || store->ExpiringKeyCount() == 0) continue;
    for (;;) {
      const size_t batch = std::min(kExpireBatch, budget);
      const size_t expired = store->ActiveExpireCycle(now_ms, batch);
      budget -= expired;
      if (expired < batch) break;  // nothing more due here
      if (budget == 0) {
        *next = db;
        return true;
      }
    }
  }
  return false;
}

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
          .output_limit = options.client_output_limit,
          .register_sockets = options.register_sockets};
}

}  // namespace

KvService::KvService(KvOptions options, uint32_t shard_count)
    : options_(std::move(options)),
      shards_(shard_count),
      config_(
          options_, [this] { return port(); }, &shards_, &acceptor_),
      prefetchers_(shard_count),
      acceptor_(AcceptorOptionsFor(options_, shard_count), shard_count,
                [this](net::Connection connection) {
                  return ServeRespConnection(*this, std::move(connection));
                }),
      start_time_(absl::Now()),
      snapshot_source_([this] { return SnapshotThisShard(*this); }) {
  shards_.set_pubsub_limits(options_.client_output_limit_pubsub);
  shards_.set_keyspace_backlog_limit(options_.keyspace_events_backlog);
  for (uint32_t s = 0; s < shard_count; ++s) {
    shards_.On(s).dbs.Resize(options_.databases);
  }
}

absl::Status KvService::Prepare() {
  if (absl::Status s = acceptor_.Listen(); !s.ok()) return s;
  loaded_ = std::make_unique<ShardBarrier>(shard_count());
  if (!options_.append_only) return absl::OkStatus();
  const std::string log_dir = options_.data_dir + "/aof";
  absl::StatusOr<aio::OpenLogs> logs = aio::OpenLogDir(log_dir, shard_count());
  if (!logs.ok()) return logs.status();
  logs_ = *std::move(logs);
  // INFO's aof_base_size counts earlier runs' logs too (on shard 0).
  const std::vector<aio::LogGeneration>& generations =
      logs_.manifest.generations;
  for (size_t g = 0; g + 1 < generations.size(); ++g) {
    for (uint32_t i = 0; i < generations[g].files; ++i) {
      struct stat st {};
      const std::string path = absl::StrCat(
          log_dir, "/", aio::LogFileName(generations[g].id, i));
      if (stat(path.c_str(), &st) == 0) {
        shards_.On(0).older_log_bytes += static_cast<uint64_t>(st.st_size);
      }
    }
  }
  recovery_ =
      std::make_unique<Recovery>(shards_, *this, log_dir, logs_.manifest);
  rewriter_ =
      std::make_unique<LogRewriter>(shards_, log_dir, logs_.manifest);
  // Before any shard runs: a record replayed on one shard may run on any.
  for (uint32_t s = 0; s < shard_count(); ++s) {
    shards_.On(s).dbs.set_loading(true);
  }
  return absl::OkStatus();
}

void KvService::StartOnShard(Reactor& reactor) {
  reactor.Spawn(LoadThenServe(reactor));
}

Task<void> KvService::LoadThenServe(Reactor& reactor) {
  KvShard& shard = Local();
  absl::Status status;
  if (recovery_ != nullptr) {
    const absl::Time started = absl::Now();
    status = co_await recovery_->RunOnShard();
    if (status.ok() && reactor.shard_id() == 0) {
      std::fprintf(stderr,
                   "shardd: loaded %llu log records in %.3f s (%llu blocks of "
                   "incomplete transactions left out)\n",
                   static_cast<unsigned long long>(recovery_->records()),
                   absl::ToDoubleSeconds(absl::Now() - started),
                   static_cast<unsigned long long>(
                       recovery_->skipped_blocks()));
    }
  }
  // Every shard's replay is over before any logs or serves.
  co_await loaded_->Arrive();
  if (status.ok()) {
    shard.dbs.set_loading(false);
    // Loading counts as no client's commands.
    shard.stats = stats::CommandStats();
    shard.dbs.OnExpired(
        [](void* context, uint32_t db, std::string_view key) {
          KvShard& shard = *static_cast<KvShard*>(context);
          if (shard.log.started()) {
            AppendSelect(&shard.log.buffer(), &shard.log.selected_db(), db);
            const std::string_view del[] = {"DEL", key};
            AppendCommand(&shard.log.buffer(), del);
            shard.log.Commit();
          }
          // A key may expire while a command of another database runs
          // (MOVE's look at its target): its event goes to the key's
          // database, and the command's go on in the command's.
          const uint32_t command_db = shard.notifier.db();
          shard.notifier.set_db(db);
          shard.notifier.Notify(kNotifyExpired, "expired", key);
          shard.notifier.set_db(command_db);
        },
        &shard);
    if (options_.append_only) {
      const uint32_t id = reactor.shard_id();
      // The size now: replay may have cut a torn tail off.
      const int fd = std::exchange(logs_.fds[id], -1);
      struct stat st {};
      const uint64_t size =
          fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
      shard.log.LimitBacklog(options_.aof_buffer_limit,
                             &shards_.mutable_logs_behind());
      shard.log.Start(aio::MakeLogFile(fd), size, options_.fsync_policy);
      shard.log_size_at_base = shard.older_log_bytes + size;
    }
  }
  // Every shard logs before any accepts: a client's first write may go to
  // any shard.
  co_await loaded_->Arrive();
  if (status.ok()) {
    acceptor_.StartOnShard(reactor);
    reactor.Spawn(ExpireLoop());
  }
  ServingOnShard(status);
}

void KvService::ServingOnShard(const absl::Status& status) {
  if (!status.ok()) {
    absl::MutexLock lock(&status_mutex_);
    if (load_status_.ok()) load_status_ = status;
  }
  if (serving_shards_.fetch_add(1) + 1 == shard_count()) serving_.Notify();
}

absl::Status KvService::WaitUntilServing() {
  serving_.WaitForNotification();
  absl::MutexLock lock(&status_mutex_);
  return load_status_;
}

void KvService::FlushLogs() {
  for (uint32_t s = 0; s < shard_count(); ++s) {
    aio::LogWriter& log = shards_.On(s).log;
    if (const int rc = log.FlushBlocking(); rc != 0) {
      std::fprintf(stderr, "shardd: cannot flush the log of shard %u: %s\n",
                   s, std::strerror(-rc));
    }
  }
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
  s.reads = c.reads;
  s.writes = c.writes;
  snapshot.keys = shard.dbs.KeyCount();
  shard.dbs.ForEach([&snapshot](uint32_t db, Store& store) {
    snapshot.expires += store.ExpiringKeyCount();
    if (store.KeyCount() == 0) return;
    snapshot.keys_by_db.resize(
        std::max<size_t>(snapshot.keys_by_db.size(), db + 1));
    snapshot.keys_by_db[db] = {store.KeyCount(), store.ExpiringKeyCount()};
  });
  snapshot.blocked_clients = shard.blocking.waits.size() + shard.paused_clients;
  snapshot.expired_keys = shard.dbs.ExpiredCount();
  snapshot.keyspace_backlog_waits = shard.keyspace_backlog_waits;
  snapshot.changes = shard.changes;
  snapshot.keyspace_hits = shard.dbs.Lookups().hits;
  snapshot.keyspace_misses = shard.dbs.Lookups().misses;
  snapshot.ops_per_sec = shard.ops_rate.PerSecond();
  snapshot.input_bytes_per_sec = shard.input_rate.PerSecond();
  snapshot.output_bytes_per_sec = shard.output_rate.PerSecond();
  snapshot.expire_cycle_ns = shard.expire_cycle_ns;
  snapshot.expire_cycle_capped = shard.expire_cycle_capped;
  snapshot.blocked_with_timeout = shard.blocking.timed_waits;
  if (shard.log.started()) {
    const aio::LogStats& log = shard.log.stats();
    s.aof_enabled = 1;
    s.aof_records = log.records;
    s.aof_writes = log.writes;
    s.aof_bytes_written = log.bytes_written;
    s.aof_fsyncs = log.fsyncs;
    s.aof_write_errors = log.write_errors;
    s.aof_failing = shard.log.error() != 0 ? 1 : 0;
    s.aof_current_size = shard.older_log_bytes + shard.log.file_size();
    s.aof_base_size = shard.log_size_at_base;
    shard.dbs.ForEach([&s](uint32_t, Store& store) {
      if (store.rewriting()) s.aof_rewrite_walking = 1;
    });
    s.aof_rewrite_peak_bytes = shard.rewrite.peak_bytes;
    if (snapshot.shard == 0 && rewriter_ != nullptr) {
      s.aof_rewrite_in_progress = rewriter_->running() ? 1 : 0;
      s.aof_rewrites = rewriter_->rewrites();
      s.aof_rewrite_failed = rewriter_->last_failed() ? 1 : 0;
      s.aof_rewrite_failures_in_a_row = rewriter_->failures_in_a_row();
      s.aof_last_rewrite_seconds = rewriter_->last_seconds();
    }
    s.aof_buffer_length = shard.log.appended() - shard.log.written();
    s.aof_fsync_ns = log.fsync_ns;
  }
  s.aof_replies_before_durable = shard.replies_before_durable;
  s.aof_buffer_limit_waits = shard.aof_buffer_limit_waits;
  snapshot.lock_waiting = shard.locks.waiting();
  s.lock_waits = shard.locks.waits();
  s.lock_tries_refused = shard.locks.tries_refused();
}

std::string KvService::StartLogRewrite() {
  if (rewriter_ == nullptr) {
    return "ERR The append-only log is off (--appendonly=false)";
  }
  if (!rewriter_->Start()) {
    return "ERR Background append only file rewriting already in progress";
  }
  return "";
}

void KvService::MaybeRewriteLogs() {
  const KvShard& shard = Local();
  if (rewriter_ == nullptr || config_.auto_rewrite_percentage() == 0 ||
      !shard.log.started() || rewriter_->running()) {
    return;
  }
  const uint64_t size = shard.older_log_bytes + shard.log.file_size();
  const uint64_t base = std::max<uint64_t>(shard.log_size_at_base, 1);
  if (size >= config_.auto_rewrite_min_size() &&
      (size - std::min(size, base)) * 100 / base >=
          config_.auto_rewrite_percentage()) {
    rewriter_->Start();
  }
}

std::vector<ConfigParameter> KvService::ConfigParameters() const {
  return config_.Parameters();
}

Task<std::vector<stats::ShardStatsSnapshot>> KvService::SnapshotEveryShard() {
  std::vector<uint32_t> every_shard(shard_count());
  std::iota(every_shard.begin(), every_shard.end(), 0);
  co_return co_await InvokeOnEach(
      std::move(every_shard), [this](uint32_t) { return snapshot_source_(); });
}

const std::vector<const CommandSpec*>& KvService::Commands() const {
  return AllCommands();
}

const CommandSpec* KvService::FindCommand(std::string_view name) const {
  return kv::FindCommand(name);
}

namespace {

// CONFIG RESETSTAT's request to one other shard; deletes itself there.
class ResetStatsMessage final : public Message {
 public:
  explicit ResetStatsMessage(KvService* service) : service_(service) {}
  void Run() override {
    service_->ResetStatsHere();
    delete this;
  }

 private:
  KvService* service_;
};

}  // namespace

void KvService::ResetStats() {
  Reactor& here = *Reactor::Current();
  ResetStatsHere();
  for (uint32_t s = 0; s < shard_count(); ++s) {
    if (s == here.shard_id()) continue;
    if (Reactor* mate = here.ThreadMate(s)) {
      // At once: the connection's next command for a shard of this thread
      // runs there at once too (command_router.h), and would otherwise be
      // counted before the reset.
      Reactor::Visit visit(*mate);
      ResetStatsHere();
    } else {
      here.Send(s, new ResetStatsMessage(this));
    }
  }
}

Task<std::string> KvService::RunSlowLog(CommandArgs args,
                                        resp::Protocol protocol) {
  co_return co_await kv::RunSlowLog(shards_, args, protocol);
}

Task<std::optional<uint64_t>> KvService::MemoryUsage(std::string_view key,
                                                     uint32_t db,
                                                     size_t samples) {
  const uint32_t owner = ShardSet::OwnerOf(key, shard_count());
  co_return co_await InvokeOn(
      owner, [this, key, db, samples]() -> std::optional<uint64_t> {
        Store& store = Local().dbs.Db(db);
        // Not a read: Redis counts no hit or miss for it.
        const Entry* entry =
            store.PeekUncounted(key, absl::ToUnixMillis(absl::Now()));
        if (entry == nullptr) return std::nullopt;
        return EstimateMemory(key, *entry, samples);
      });
}

Task<std::optional<std::string>> KvService::DebugObject(std::string_view key,
                                                        uint32_t db) {
  const uint32_t owner = ShardSet::OwnerOf(key, shard_count());
  co_return co_await InvokeOn(
      owner, [this, key, db]() -> std::optional<std::string> {
        Store& store = Local().dbs.Db(db);
        // Like MEMORY USAGE, it neither counts as a read nor touches the key.
        const int64_t now_ms = absl::ToUnixMillis(absl::Now());
        const Entry* entry = store.PeekUncounted(key, now_ms);
        if (entry == nullptr) return std::nullopt;
        // shardd has no RDB: the serialized length is what the key takes in
        // the append-only log once compacted.
        std::string serialized;
        AppendEntry(&serialized, key, *entry);
        return absl::StrFormat(
            "Value at:%p refcount:%d encoding:%s serializedlength:%u lru:%u "
            "lru_seconds_idle:%d",
            static_cast<const void*>(entry),
            IsSharedInteger(*entry) ? 2147483647 : 1,
            std::string(EncodingName(*entry)), serialized.size(), entry->lru(),
            Store::IdleSeconds(*entry, now_ms));
      });
}

Task<PubSubCounts> KvService::CountSubscriptions() {
  co_return co_await kv::CountSubscriptions(shards_);
}

Task<std::string> KvService::RunLatency(CommandArgs args,
                                        resp::Protocol protocol) {
  co_return co_await kv::RunLatency(shards_, args, protocol);
}

void KvService::ResetStatsHere() {
  KvShard& shard = Local();
  shard.stats = stats::CommandStats();
  shard.dbs.ResetStats();
  shard.expire_cycle_ns = 0;
  shard.expire_cycle_capped = 0;
  if (rewriter_ != nullptr && Reactor::Current()->shard_id() == 0) {
    rewriter_->ResetFailuresInARow();
  }
  shard.keyspace_backlog_waits = 0;
  shard.aof_buffer_limit_waits = 0;
  acceptor_.ResetTotalsOn(Reactor::Current()->shard_id());
}

void KvService::RequestShutdown() {
  // The main thread waits for SIGTERM and stops the shards the usual way:
  // accepting ends, the logs are written and synced, the process exits.
  ::kill(::getpid(), SIGTERM);
}

uint64_t KvService::MemoryPeak(uint64_t used_now) {
  uint64_t peak = memory_peak_.load(std::memory_order_relaxed);
  while (used_now > peak && !memory_peak_.compare_exchange_weak(
                                peak, used_now, std::memory_order_relaxed)) {
  }
  return std::max(peak, used_now);
}

Task<void> KvService::ExpireLoop() {
  KvShard& shard = Local();
  const net::ConnectionCounters& connections =
      acceptor_.CountersOn(Reactor::Current()->shard_id());
  uint64_t ticks = 0;
  while (co_await Delay(kExpirePeriod)) {
    const uint64_t now_ns = stats::MonotonicNanos();
    shard.ops_rate.Sample(shard.stats.TotalCommands(), now_ns);
    shard.input_rate.Sample(connections.bytes_in, now_ns);
    shard.output_rate.Sample(connections.bytes_out, now_ns);
    // Reading the allocator's statistics costs a refresh of all of them
    // (~2 ms: read once a second it took 0.4% of a core): shard 0 reads
    // every shard's after one refresh every 10 s, and INFO adds its own.
    if (memory_probe_ && Reactor::Current()->shard_id() == 0 &&
        ++ticks % kTicksPerMemorySample == 0) {
      MemoryPeak(memory_probe_());
    }
    MaybeRewriteLogs();
    if (!active_expire_.load(std::memory_order_relaxed)) continue;
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    const uint64_t cycle_started_ns = stats::MonotonicNanos();
    const bool capped = ExpireSome(shard.dbs, now_ms, &shard.expire_next_db);
    shard.expire_cycle_capped += capped ? 1 : 0;
    shard.expire_cycle_ns += stats::MonotonicNanos() - cycle_started_ns;
  }
}

}  // namespace shardd::kv
