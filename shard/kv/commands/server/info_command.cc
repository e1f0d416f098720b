// INFO: Redis's sections, in Redis's order (server, clients, memory,
// persistence, stats, replication, cpu, modules, commandstats,
// latencystats, cluster, keyspace), then shardd's own: `# Files` and
// `# Shards`, one line per shard. Every number comes from the shards'
// snapshots (stats_snapshot.h), gathered through the mailboxes.
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/server/server_handlers.h"
#include "shard/kv/store/store.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

using stats::ShardStatsSnapshot;

absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

// 40 random hex digits, as Redis's run_id and master_replid.
std::string RandomId() {
  absl::BitGen random;
  std::string hex;
  for (int i = 0; i < 40; ++i) {
    hex.push_back("0123456789abcdef"[absl::Uniform(random, 0, 16)]);
  }
  return hex;
}

// Each fixed for the process's life.
const std::string& RunId() {
  static const std::string* const id = new std::string(RandomId());
  return *id;
}
const std::string& ReplicationId() {
  static const std::string* const id = new std::string(RandomId());
  return *id;
}

// Bytes as Redis's bytesToHuman writes them ("1.89M").
std::string Human(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes < 1024) return absl::StrCat(bytes, "B");
  if (bytes < (uint64_t{1} << 20)) return absl::StrFormat("%.2fK", b / 1024);
  if (bytes < (uint64_t{1} << 30)) {
    return absl::StrFormat("%.2fM", b / (1 << 20));
  }
  if (bytes < (uint64_t{1} << 40)) {
    return absl::StrFormat("%.2fG", b / (uint64_t{1} << 30));
  }
  return absl::StrFormat("%.2fT", b / (uint64_t{1} << 40));
}

std::string Ratio(uint64_t a, uint64_t b) {
  return absl::StrFormat("%.2f", b == 0 ? 0.0 : double(a) / double(b));
}

// used_memory_peak_perc: "99.96%".
std::string Percent(uint64_t part, uint64_t whole) {
  return absl::StrFormat("%.2f%%",
                         whole == 0 ? 0.0 : 100.0 * double(part) / whole);
}

// Redis's instantaneous_*_kbps: kilobytes a second, two decimals.
std::string Kbps(uint64_t bytes_per_second) {
  return absl::StrFormat("%.2f", double(bytes_per_second) / 1024);
}

// The process's resident set (Redis's used_memory_rss), from
// /proc/self/statm; 0 if it cannot be read.
uint64_t ProcessRss() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int read = std::fscanf(statm, "%llu %llu", &size, &resident);
  std::fclose(statm);
  return read == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE))
                   : 0;
}

// Redis's redis_build_id identifies a build: here a hash of the compiler
// and the moment this file was compiled, in hex.
const std::string& BuildId() {
  static const std::string* const id = new std::string(absl::StrFormat(
      "%x",
      std::hash<std::string_view>()(__VERSION__ " " __DATE__ " " __TIME__)));
  return *id;
}

std::string Executable() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path));
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string();
}

struct Sections {
  absl::flat_hash_set<std::string> names;
  bool Has(absl::string_view name) const {
    // As in Redis: "default" leaves out commandstats and latencystats.
    const bool extra = name == "commandstats" || name == "latencystats";
    return names.contains("all") || names.contains("everything") ||
           names.contains(name) || (names.contains("default") && !extra);
  }
};

Sections RequestedSections(CommandArgs args) {
  Sections s;
  for (size_t i = 1; i < args.size(); ++i) {
    s.names.insert(absl::AsciiStrToLower(Absl(args[i])));
  }
  if (s.names.empty()) s.names.insert("default");
  return s;
}

void AppendServer(std::string* out, const ServerView& server) {
  utsname uts{};
  uname(&uts);
  const absl::Time now = absl::Now();
  const int64_t uptime = absl::ToInt64Seconds(now - server.start_time());
  absl::StrAppend(
      out, "# Server\r\n", "redis_version:", Absl(kRedisCompatibleVersion),
      "\r\n", "redis_git_sha1:00000000\r\n", "redis_git_dirty:0\r\n",
      "redis_build_id:", BuildId(), "\r\n", "redis_mode:standalone\r\n",
      "os:", uts.sysname, " ", uts.release, " ", uts.machine, "\r\n",
      "arch_bits:64\r\n", "monotonic_clock:", stats::MonotonicClockName(),
      "\r\n", "multiplexing_api:",
      Reactor::Current()->epoll() != nullptr ? "epoll" : "io_uring", "\r\n",
      "atomicvar_api:c11-builtin\r\n", "gcc_version:", __GNUC__, ".",
      __GNUC_MINOR__, ".", __GNUC_PATCHLEVEL__, "\r\n", "process_id:", getpid(),
      "\r\n", "process_supervised:no\r\n", "run_id:", RunId(), "\r\n",
      "tcp_port:", server.port(), "\r\n",
      "server_time_usec:", absl::ToUnixMicros(now), "\r\n",
      "uptime_in_seconds:", uptime, "\r\n", "uptime_in_days:", uptime / 86400,
      "\r\n",
      // Each shard looks for expired keys 10 times a second.
      "hz:10\r\n", "configured_hz:10\r\n",
      "lru_clock:", Store::LruClock(absl::ToUnixMillis(now)), "\r\n",
      "executable:", Executable(), "\r\n", "config_file:", server.ConfigFile(),
      "\r\n", "io_threads_active:0\r\n", "shards:", server.shard_count(),
      "\r\n\r\n");
}

// Redis's CPU section: the process's (every shard's) time, and its
// children's (none; Redis forks for snapshots, shardd never does).
void AppendCpu(std::string* out) {
  const auto seconds = [](const timeval& t) {
    return absl::StrFormat("%d.%06d", t.tv_sec, t.tv_usec);
  };
  rusage self{};
  rusage children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  absl::StrAppend(out, "# CPU\r\n", "used_cpu_sys:", seconds(self.ru_stime),
                  "\r\n", "used_cpu_user:", seconds(self.ru_utime), "\r\n",
                  "used_cpu_sys_children:", seconds(children.ru_stime), "\r\n",
                  "used_cpu_user_children:", seconds(children.ru_utime),
                  "\r\n\r\n");
}

// Redis's cmdstat lines, sorted by name so the output is stable.
std::vector<std::string_view> SortedCommands(const stats::ShardStats& s) {
  std::vector<std::string_view> names;
  for (const auto& entry : s.commands) names.push_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

void AppendCommandStats(std::string* out, const stats::ShardStats& s) {
  absl::StrAppend(out, "# Commandstats\r\n");
  for (std::string_view name : SortedCommands(s)) {
    const stats::CommandCounters& c = s.commands.at(name);
    const uint64_t usec = c.total_ns / 1000;
    absl::StrAppend(out, "cmdstat_", Absl(name), ":calls=", c.calls,
                    ",usec=", usec, ",usec_per_call=",
                    absl::SixDigits(c.calls ? double(usec) / c.calls : 0.0),
                    ",rejected_calls=0,failed_calls=", c.failed, "\r\n");
  }
  absl::StrAppend(out, "\r\n");
}

void AppendLatencyStats(std::string* out, const stats::ShardStats& s) {
  absl::StrAppend(out, "# Latencystats\r\n");
  for (std::string_view name : SortedCommands(s)) {
    const stats::LatencyHistogram& h = s.commands.at(name).latency_ns;
    absl::StrAppend(
        out, "latency_percentiles_usec_", Absl(name),
        ":p50=", absl::SixDigits(h.Percentile(50.0) / 1000.0),
        ",p99=", absl::SixDigits(h.Percentile(99.0) / 1000.0),
        ",p99.9=", absl::SixDigits(h.Percentile(99.9) / 1000.0), "\r\n");
  }
  absl::StrAppend(out, "\r\n");
}

}  // namespace

Task<std::string> InfoCommand(ServerView& server, CommandArgs args,
                              resp::Protocol protocol, uint32_t /*db*/) {
  const Sections sections = RequestedSections(args);
  const std::vector<ShardStatsSnapshot> shards =
      co_await server.SnapshotEveryShard();
  const ShardStatsSnapshot total = stats::SumSnapshots(shards);
  const stats::ShardStats& t = total.stats;

  std::string text;
  if (sections.Has("server")) AppendServer(&text, server);
  if (sections.Has("clients")) {
    absl::StrAppend(
        &text, "# Clients\r\n", "connected_clients:", t.connections_current,
        "\r\n", "cluster_connections:0\r\n",
        "maxclients:", server.max_clients(), "\r\n",
        "blocked_clients:", total.blocked_clients, "\r\n",
        "tracking_clients:0\r\n",
        "clients_in_timeout_table:", total.blocked_with_timeout, "\r\n\r\n");
  }
  if (sections.Has("memory")) {
    const stats::ArenaMemory& m = total.memory;
    const uint64_t system = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                            static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t peak = server.MemoryPeak(m.allocated);
    const uint64_t rss = ProcessRss();
    // The log's bytes not yet written: Redis's AOF buffer.
    const uint64_t aof_buffer = t.aof_buffer_length;
    // The shards' jemalloc arenas: what they hold for live allocations, in
    // pages, and mapped; the process's resident set. No Lua, replication
    // or cluster: their memory is none.
    absl::StrAppend(
        &text, "# Memory\r\n", "used_memory:", m.allocated, "\r\n",
        "used_memory_human:", Human(m.allocated), "\r\n",
        "used_memory_rss:", rss, "\r\n", "used_memory_rss_human:", Human(rss),
        "\r\n", "used_memory_peak:", peak, "\r\n",
        "used_memory_peak_human:", Human(peak), "\r\n",
        "used_memory_peak_perc:", Percent(m.allocated, peak), "\r\n",
        "allocator_allocated:", m.allocated, "\r\n",
        "allocator_active:", m.active, "\r\n",
        "allocator_resident:", m.resident, "\r\n",
        "total_system_memory:", system, "\r\n",
        "total_system_memory_human:", Human(system), "\r\n",
        "used_memory_lua:0\r\n", "used_memory_vm_eval:0\r\n",
        "used_memory_lua_human:0B\r\n", "used_memory_scripts_eval:0\r\n",
        "number_of_cached_scripts:0\r\n", "number_of_functions:0\r\n",
        "number_of_libraries:0\r\n", "used_memory_vm_functions:0\r\n",
        "used_memory_vm_total:0\r\n", "used_memory_vm_total_human:0B\r\n",
        "used_memory_functions:0\r\n", "used_memory_scripts:0\r\n",
        "used_memory_scripts_human:0B\r\n", "maxmemory:0\r\n",
        "maxmemory_human:0B\r\n", "maxmemory_policy:noeviction\r\n",
        "allocator_frag_ratio:", Ratio(m.active, m.allocated), "\r\n",
        "allocator_frag_bytes:", int64_t(m.active) - int64_t(m.allocated),
        "\r\n", "allocator_rss_ratio:", Ratio(m.resident, m.active), "\r\n",
        "allocator_rss_bytes:", int64_t(m.resident) - int64_t(m.active), "\r\n",
        "rss_overhead_ratio:", Ratio(rss, m.resident), "\r\n",
        "rss_overhead_bytes:", int64_t(rss) - int64_t(m.resident), "\r\n",
        "mem_fragmentation_ratio:", Ratio(rss, m.allocated), "\r\n",
        "mem_fragmentation_bytes:", int64_t(rss) - int64_t(m.allocated), "\r\n",
        "mem_not_counted_for_evict:", aof_buffer, "\r\n",
        "mem_replication_backlog:0\r\n", "mem_total_replication_buffers:0\r\n",
        "mem_clients_slaves:0\r\n", "mem_aof_buffer:", aof_buffer, "\r\n",
        "mem_allocator:jemalloc\r\n", "active_defrag_running:0\r\n",
        "lazyfree_pending_objects:0\r\n", "lazyfreed_objects:0\r\n",
        "mem_cluster_links:0\r\n\r\n");
  }
  if (sections.Has("persistence")) {
    // Loading ends before clients are accepted, so a client never sees
    // loading:1. No RDB: shardd's only persistence is the log (the last
    // "save" is the start, as LASTSAVE says).
    absl::StrAppend(
        &text, "# Persistence\r\n", "loading:0\r\n", "async_loading:0\r\n",
        "rdb_changes_since_last_save:", total.changes, "\r\n",
        "rdb_bgsave_in_progress:0\r\n",
        "rdb_last_save_time:", absl::ToUnixSeconds(server.start_time()), "\r\n",
        "rdb_last_bgsave_status:ok\r\n", "rdb_last_bgsave_time_sec:-1\r\n",
        "rdb_current_bgsave_time_sec:-1\r\n", "rdb_saves:0\r\n",
        "rdb_last_cow_size:0\r\n", "rdb_last_load_keys_expired:0\r\n",
        "rdb_last_load_keys_loaded:0\r\n", "aof_last_cow_size:0\r\n",
        "module_fork_in_progress:0\r\n", "module_fork_last_cow_size:0\r\n",
        "current_cow_peak:0\r\n", "current_cow_size:0\r\n",
        "current_cow_size_age:0\r\n", "current_fork_perc:0.00\r\n",
        "current_save_keys_processed:0\r\n", "current_save_keys_total:0\r\n",
        "aof_enabled:", t.aof_enabled > 0 ? 1 : 0, "\r\n",
        "aof_rewrite_in_progress:", t.aof_rewrite_in_progress > 0 ? 1 : 0,
        "\r\n", "aof_rewrite_scheduled:0\r\n",
        "aof_last_rewrite_time_sec:", t.aof_last_rewrite_seconds, "\r\n",
        "aof_current_rewrite_time_sec:-1\r\n",
        "aof_last_bgrewrite_status:", t.aof_rewrite_failed > 0 ? "err" : "ok",
        "\r\n", "aof_rewrites:", t.aof_rewrites, "\r\n",
        "aof_rewrites_consecutive_failures:", t.aof_rewrite_failures_in_a_row,
        "\r\n", "aof_last_write_status:", t.aof_failing > 0 ? "err" : "ok",
        "\r\n");
    if (t.aof_enabled > 0) {
      absl::StrAppend(
          &text, "aof_current_size:", t.aof_current_size, "\r\n",
          "aof_base_size:", t.aof_base_size, "\r\n",
          "aof_pending_rewrite:0\r\n",
          "aof_buffer_length:", t.aof_buffer_length, "\r\n",
          "aof_buffer_limit_waits:", t.aof_buffer_limit_waits, "\r\n",
          "aof_pending_bio_fsync:0\r\n", "aof_delayed_fsync:0\r\n",
          "aof_records:", t.aof_records, "\r\n",
          "aof_writes:", t.aof_writes, "\r\n",
          "aof_group_commit_avg:", absl::SixDigits(t.GroupCommitSize()),
          "\r\n", "aof_bytes_written:", t.aof_bytes_written, "\r\n",
          "aof_fsyncs:", t.aof_fsyncs, "\r\n",
          "aof_fsync_p99_usec:", t.aof_fsync_ns.Percentile(99.0) / 1000,
          "\r\n", "aof_write_errors:", t.aof_write_errors, "\r\n",
          "aof_replies_before_durable:", t.aof_replies_before_durable,
          "\r\n", "aof_rewrite_walking_shards:", t.aof_rewrite_walking,
          "\r\n", "aof_rewrite_peak_bytes:", t.aof_rewrite_peak_bytes,
          "\r\n");
      for (const ShardStatsSnapshot& s : shards) {
        const stats::ShardStats& st = s.stats;
        absl::StrAppend(&text, "aof_shard_", s.shard,
                        ":size=", st.aof_current_size,
                        ",records=", st.aof_records,
                        ",writes=", st.aof_writes,
                        ",fsyncs=", st.aof_fsyncs,
                        ",fsync_p99_usec=",
                        st.aof_fsync_ns.Percentile(99.0) / 1000,
                        ",status=", st.aof_failing > 0 ? "err" : "ok", "\r\n");
      }
    }
    absl::StrAppend(&text, "\r\n");
  }
  if (sections.Has("stats")) {
    const PubSubCounts pubsub = co_await server.CountSubscriptions();
    absl::StrAppend(
        &text, "# Stats\r\n",
        "total_connections_received:", t.connections_accepted, "\r\n",
        "total_commands_processed:", t.TotalCommands(), "\r\n",
        "instantaneous_ops_per_sec:", total.ops_per_sec, "\r\n",
        "instantaneous_input_kbps:", Kbps(total.input_bytes_per_sec), "\r\n",
        "instantaneous_output_kbps:", Kbps(total.output_bytes_per_sec), "\r\n",
        "expired_keys:", total.expired_keys, "\r\n",
        "expired_time_cap_reached_count:", total.expire_cycle_capped, "\r\n",
        "expire_cycle_cpu_milliseconds:", total.expire_cycle_ns / 1'000'000,
        "\r\n",
        "evicted_keys:0\r\n",  // shardd never evicts
        "keyspace_hits:", total.keyspace_hits, "\r\n",
        "keyspace_misses:", total.keyspace_misses, "\r\n",
        "total_net_input_bytes:", t.bytes_in, "\r\n",
        "total_net_output_bytes:", t.bytes_out, "\r\n",
        "rejected_connections:", t.connections_rejected, "\r\n",
        "pubsub_channels:", pubsub.channels, "\r\n",
        "pubsub_patterns:", pubsub.patterns, "\r\n",
        "pubsubshard_channels:", pubsub.shard_channels, "\r\n",
        // Features shardd does not have: replication, forks, eviction,
        // defragmentation, client-side caching, I/O threads.
        "sync_full:0\r\n", "sync_partial_ok:0\r\n", "sync_partial_err:0\r\n",
        "evicted_clients:0\r\n", "total_eviction_exceeded_time:0\r\n",
        "current_eviction_exceeded_time:0\r\n", "latest_fork_usec:0\r\n",
        "total_forks:0\r\n", "migrate_cached_sockets:0\r\n",
        "slave_expires_tracked_keys:0\r\n", "active_defrag_hits:0\r\n",
        "active_defrag_misses:0\r\n", "active_defrag_key_hits:0\r\n",
        "active_defrag_key_misses:0\r\n", "total_active_defrag_time:0\r\n",
        "current_active_defrag_time:0\r\n", "tracking_total_keys:0\r\n",
        "tracking_total_items:0\r\n", "tracking_total_prefixes:0\r\n",
        "unexpected_error_replies:0\r\n", "dump_payload_sanitizations:0\r\n",
        "total_net_repl_input_bytes:0\r\n", "total_net_repl_output_bytes:0\r\n",
        "instantaneous_input_repl_kbps:0.00\r\n",
        "instantaneous_output_repl_kbps:0.00\r\n",
        "io_threaded_reads_processed:0\r\n",
        "io_threaded_writes_processed:0\r\n", "total_reads_processed:", t.reads,
        "\r\n", "total_writes_processed:", t.writes, "\r\n",
        "keyspace_events_backlog_waits:", total.keyspace_backlog_waits, "\r\n",
        "total_error_replies:", t.errors, "\r\n",
        "transactions_started:", t.transactions_started, "\r\n",
        "transactions_committed:", t.transactions_committed, "\r\n",
        "transactions_aborted:", t.transactions_aborted, "\r\n",
        "lock_waits:", t.lock_waits, "\r\n",
        "lock_tries_refused:", t.lock_tries_refused, "\r\n",
        "lock_waiting:", total.lock_waiting, "\r\n\r\n");
  }
  if (sections.Has("replication")) {
    // A master without replicas: shardd does not replicate.
    absl::StrAppend(
        &text, "# Replication\r\n", "role:master\r\n", "connected_slaves:0\r\n",
        "master_failover_state:no-failover\r\n",
        "master_replid:", ReplicationId(), "\r\n",
        "master_replid2:0000000000000000000000000000000000000000\r\n",
        "master_repl_offset:0\r\n", "second_repl_offset:-1\r\n",
        "repl_backlog_active:0\r\n", "repl_backlog_size:1048576\r\n",
        "repl_backlog_first_byte_offset:0\r\n",
        "repl_backlog_histlen:0\r\n\r\n");
  }
  if (sections.Has("cpu")) AppendCpu(&text);
  if (sections.Has("modules")) absl::StrAppend(&text, "# Modules\r\n\r\n");
  if (sections.Has("commandstats")) AppendCommandStats(&text, t);
  if (sections.Has("latencystats")) AppendLatencyStats(&text, t);
  if (sections.Has("cluster")) {
    absl::StrAppend(&text, "# Cluster\r\n", "cluster_enabled:0\r\n\r\n");
  }
  if (sections.Has("keyspace")) {
    absl::StrAppend(&text, "# Keyspace\r\n");
    std::vector<ShardStatsSnapshot::DbKeys> by_db;
    for (const ShardStatsSnapshot& shard : shards) {
      by_db.resize(std::max(by_db.size(), shard.keys_by_db.size()));
      for (size_t db = 0; db < shard.keys_by_db.size(); ++db) {
        by_db[db].keys += shard.keys_by_db[db].keys;
        by_db[db].expires += shard.keys_by_db[db].expires;
      }
    }
    for (size_t db = 0; db < by_db.size(); ++db) {
      if (by_db[db].keys == 0) continue;
      absl::StrAppend(&text, "db", db, ":keys=", by_db[db].keys,
                      ",expires=", by_db[db].expires, ",avg_ttl=0\r\n");
    }
    absl::StrAppend(&text, "\r\n");
  }
  if (sections.Has("files")) {
    absl::StrAppend(
        &text, "# Files\r\n", "files_requests:", t.FileRequests(), "\r\n",
        "files_get:", t.files_get, "\r\n", "files_head:", t.files_head,
        "\r\n", "files_put:", t.files_put, "\r\n",
        "files_delete:", t.files_delete, "\r\n",
        "files_other:", t.files_other, "\r\n", "files_2xx:", t.files_2xx,
        "\r\n", "files_3xx:", t.files_3xx, "\r\n", "files_4xx:",
        t.files_4xx, "\r\n", "files_5xx:", t.files_5xx, "\r\n",
        "files_connections:", t.files_connections_current, "\r\n",
        "files_bytes_in:", t.files_bytes_in, "\r\n",
        "files_bytes_out:", t.files_bytes_out, "\r\n",
        "files_disk_read_bytes:", t.files_disk_read_bytes, "\r\n",
        "files_disk_written_bytes:", t.files_disk_written_bytes, "\r\n",
        "files_fsyncs:", t.files_fsyncs, "\r\n",
        "files_replies_before_durable:", t.files_replies_before_durable,
        "\r\n",
        "files_p99_usec:", t.files_request_ns.Percentile(99.0) / 1000,
        "\r\n\r\n");
  }
  if (sections.Has("shards")) {
    absl::StrAppend(&text, "# Shards\r\n");
    for (const ShardStatsSnapshot& s : shards) {
      absl::StrAppend(
          &text, "shard_", s.shard, ":connections=",
          s.stats.connections_current, ",keys=", s.keys,
          ",expires=", s.expires, ",commands=", s.stats.TotalCommands(),
          ",lock_waiting=", s.lock_waiting, ",lock_waits=", s.stats.lock_waits,
          ",messages_sent=", s.stats.MessagesSent(),
          ",messages_received=", s.stats.MessagesReceived(),
          ",mailbox_depth=", s.stats.MailboxDepth(),
          ",utilisation_pct=",
          static_cast<int>(s.stats.Utilisation() * 100 + 0.5),
          ",p99_usec=", s.stats.request_ns.Percentile(99.0) / 1000,
          ",used_memory=", s.memory.allocated, "\r\n");
    }
    absl::StrAppend(&text, "\r\n");
  }
  // Redis ends the text with the last section's line, not a blank line.
  if (text.size() >= 2) text.resize(text.size() - 2);
  std::string reply;
  resp::ReplyWriter(&reply, protocol).Verbatim(text);
  co_return reply;
}

}  // namespace shardd::kv
