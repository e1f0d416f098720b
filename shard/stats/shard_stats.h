// What one shard counts about itself, split by owner: RuntimeStats (the
// reactor's: loop, ring, mailboxes), ConnectionStats (filled from net/'s
// counters) and CommandStats (the KV service's: commands, errors,
// latencies). Each part has one writer, the shard it describes, so the
// counters are plain integers: no atomics, no locks, no shared cache lines.
// Other shards and the admin endpoint see a ShardStatsSnapshot, a copy made
// on the owner shard and carried back through the mailbox (InvokeOn).
//
//   kv_stats.CountCommand("get", elapsed_ns, /*failed=*/false);
//   reactor.stats().NoteMailboxDepth(peer, depth);
//   ShardStatsSnapshot totals = SumSnapshots(per_shard_snapshots);
#ifndef SHARDD_SHARD_STATS_SHARD_STATS_H_
#define SHARDD_SHARD_STATS_SHARD_STATS_H_

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "shard/stats/latency_histogram.h"
#include "shard/stats/monotonic_clock.h"
#include "shard/string_view_hash.h"

namespace shardd::stats {

// One command name's counters (Redis's INFO commandstats).
struct CommandCounters {
  uint64_t calls = 0;
  uint64_t failed = 0;    // calls that replied with an error
  uint64_t total_ns = 0;  // service time of all calls
  LatencyHistogram latency_ns;  // the same, per call (INFO latencystats)
};

// This shard's traffic with one peer shard (the entry for itself stays 0).
struct PeerCounters {
  uint64_t messages_sent = 0;      // to the peer
  uint64_t messages_received = 0;  // from the peer
  uint64_t wakeups_sent = 0;  // the peer announced sleep, and was woken
  // Messages to the peer not yet consumed (in the ring and in the backlog of
  // a full ring), as last observed, and the largest value observed.
  uint64_t mailbox_depth = 0;
  uint64_t mailbox_depth_high = 0;
};

// The runtime's counters of one shard, owned by its Reactor: the loop, the
// ring and the mailboxes. The runtime knows no service, so nothing here
// speaks of connections, commands or keys.
struct RuntimeStats {
  RuntimeStats() = default;
  explicit RuntimeStats(uint32_t shard_count) : peers(shard_count) {}

  std::vector<PeerCounters> peers;  // indexed by peer shard id

  uint64_t loop_turns = 0;
  // Shards that share a thread each get an equal share of the thread's
  // busy and idle time, and each counts the thread's sleeps.
  uint64_t busy_ns = 0;  // in the loop, not waiting in the kernel
  uint64_t idle_ns = 0;  // waiting for a completion (io_uring_enter)
  uint64_t sleeps = 0;   // waits in the kernel for work (with a timeout > 0)

  uint64_t uring_submissions = 0;  // SQEs handed to the kernel
  uint64_t uring_completions = 0;  // CQEs reaped
  // Multishot receives that found every shared receive buffer out (and
  // were armed again): ProvidedBuffers too few for the load.
  uint64_t receive_buffer_shortages = 0;

  void NoteMailboxDepth(uint32_t peer, uint64_t depth) {
    PeerCounters& p = peers[peer];
    p.mailbox_depth = depth;
    p.mailbox_depth_high = std::max(p.mailbox_depth_high, depth);
  }

  // Adds `other`'s counters; gauges add up too, high waters take the maximum.
  void Merge(const RuntimeStats& other);

  uint64_t MessagesSent() const;
  uint64_t MessagesReceived() const;
  uint64_t MailboxDepth() const;      // over all peers
  uint64_t MailboxDepthHigh() const;  // the largest of any peer
  uint64_t UringInFlight() const {
    return uring_submissions - std::min(uring_submissions, uring_completions);
  }
  // Share of the time spent working, 0..1 (0 before any time was counted).
  double Utilisation() const;
};

// A client service's connections on one shard, as net/ counts them.
struct ConnectionStats {
  uint64_t connections_current = 0;
  uint64_t connections_accepted = 0;
  uint64_t connections_closed = 0;
  uint64_t connections_rejected = 0;  // refused: --maxclients reached
  uint64_t connections_timed_out = 0;       // closed by --timeout
  uint64_t connections_output_limited = 0;  // --client_output_limit
  uint64_t accept_fd_exhausted = 0;  // accepts failed for lack of descriptors
  uint64_t bytes_in = 0;   // received from clients
  uint64_t bytes_out = 0;  // sent to clients
  uint64_t reads = 0;      // receives that brought bytes
  uint64_t writes = 0;     // sends that took bytes

  void Merge(const ConnectionStats& other);
};

// A command service's counters on one shard, owned by the service (the KV
// service keeps one per shard): calls, errors and latencies per command.
struct CommandStats {
  // Keyed by the command's static name (CommandSpec::name, lower case): the
  // views must point at storage that outlives every snapshot.
  absl::flat_hash_map<std::string_view, CommandCounters, StringViewHash>
      commands;
  uint64_t errors = 0;  // error replies of any kind, protocol errors included
  // Commands from other shards this owner refused for lack of their
  // connection's credit, to run when sent again (kv/hop_credit.h).
  uint64_t hops_refused = 0;
  // The most replies from other shards one connection of this shard awaited
  // at once: a batch stops at 1024 (kv/resp_session.h), which bounds what a
  // pipelining client holds in the mailboxes.
  uint64_t hops_outstanding_high = 0;
  // Commands (and parts of split ones) this shard ran for a connection of
  // a shard on the same thread, at once, in place of a hop each way
  // (kv/exec/command_router.h).
  uint64_t hops_in_thread = 0;
  // MULTI blocks begun; EXECs that ran their commands; EXECs that did not
  // (a watched key changed, or -EXECABORT) and DISCARDs.
  uint64_t transactions_started = 0;
  uint64_t transactions_committed = 0;
  uint64_t transactions_aborted = 0;
  // Commands and transactions that queued for a key another one held
  // (kv/exec/key_locks.h), on the keys' owner.
  uint64_t lock_waits = 0;
  // Parts of steps over several shards that asked every owner at once
  // (Transaction::LockAtOnce), refused on this owner because one of their
  // keys, or the shard, was held or waited for (the step then locks in
  // order, and lock_waits counts it if it queues).
  uint64_t lock_tries_refused = 0;

  LatencyHistogram command_ns;  // one command's execution on its owner
  LatencyHistogram request_ns;  // request received to its reply sent

  void CountCommand(std::string_view name, uint64_t ns, bool failed) {
    CommandCounters& c = commands[name];
    ++c.calls;
    c.total_ns += ns;
    c.latency_ns.Record(ns);
    if (failed) {
      ++c.failed;
      ++errors;
    }
    command_ns.Record(ns);
  }
  // A command that ran from `started_ns` to now and answered `reply`
  // (failed if it is an error). Returns now.
  uint64_t CountReplied(std::string_view name, uint64_t started_ns,
                        std::string_view reply) {
    const uint64_t now_ns = MonotonicNanos();
    CountCommand(name, now_ns - started_ns, !reply.empty() && reply[0] == '-');
    return now_ns;
  }

  void Merge(const CommandStats& other);
  uint64_t TotalCommands() const;
};

// The file service's counters on one shard, owned by the service: requests
// by method and by status class, its connections and bytes, the disk work
// its requests did, and their latency.
struct FileStats {
  uint64_t files_get = 0;
  uint64_t files_head = 0;
  uint64_t files_put = 0;
  uint64_t files_delete = 0;
  uint64_t files_other = 0;  // other methods, and requests that did not parse
  uint64_t files_2xx = 0;
  uint64_t files_3xx = 0;
  uint64_t files_4xx = 0;
  uint64_t files_5xx = 0;
  uint64_t files_connections_current = 0;  // from net/'s counters
  uint64_t files_connections_accepted = 0;
  uint64_t files_bytes_in = 0;  // received from clients, heads and bodies
  uint64_t files_bytes_out = 0;
  uint64_t files_disk_read_bytes = 0;
  uint64_t files_disk_written_bytes = 0;
  uint64_t files_fsyncs = 0;
  // PUT replies of 201/204 sent without their file's fsync, the rename and
  // the directory's fsync all done first: must stay 0 (checked by tests).
  uint64_t files_replies_before_durable = 0;
  LatencyHistogram files_request_ns;  // request head received to response sent

  // One request of `method` answered `status` (0: the client left first)
  // in `ns`.
  void CountRequest(std::string_view method, int status, uint64_t ns);
  void Merge(const FileStats& other);
  uint64_t FileRequests() const {
    return files_get + files_head + files_put + files_delete + files_other;
  }
};

// The admin endpoint's connections (shard 0 serves it; the other shards'
// stay 0): its own, not the Redis-protocol clients of ConnectionStats.
struct AdminStats {
  uint64_t admin_connections_current = 0;
  uint64_t admin_connections_accepted = 0;
  uint64_t admin_connections_rejected = 0;   // --admin_maxclients reached
  uint64_t admin_connections_timed_out = 0;  // header or idle timeout

  void Merge(const AdminStats& other);
};

// The append-only log's counters on one shard (kv persist/, aio/log/).
struct PersistStats {
  uint64_t aof_enabled = 0;    // 1 while the shard logs
  uint64_t aof_records = 0;    // writes logged (a transaction block's pieces
                               // count one each)
  uint64_t aof_writes = 0;     // write system calls: group commits
  uint64_t aof_bytes_written = 0;
  uint64_t aof_fsyncs = 0;
  uint64_t aof_write_errors = 0;  // failed writes and syncs, each retried
  uint64_t aof_failing = 0;    // 1 while the last write or sync failed
  uint64_t aof_current_size = 0;  // the shard's log, with what is buffered
  uint64_t aof_base_size = 0;     // ... at start (shard 0: older logs too)
  uint64_t aof_buffer_length = 0;  // appended, not yet written
  // Sessions here that waited for a log over --aof_buffer_limit to catch
  // up (kv/exec/log_backlog.h).
  uint64_t aof_buffer_limit_waits = 0;
  // Sends of replies to writes under appendfsync always that went out
  // before a log held them durably: must stay 0.
  uint64_t aof_replies_before_durable = 0;
  LatencyHistogram aof_fsync_ns;  // one write + fdatasync, or one fdatasync
  // Compaction: whether one runs (shard 0 reports it), whether this
  // shard's walk runs, the most memory a walk held, how many succeeded and
  // whether the last failed (shard 0), the last one's duration (shard 0;
  // -1: none yet).
  uint64_t aof_rewrite_in_progress = 0;
  uint64_t aof_rewrite_walking = 0;
  uint64_t aof_rewrite_peak_bytes = 0;
  uint64_t aof_rewrites = 0;
  uint64_t aof_rewrite_failed = 0;
  uint64_t aof_rewrite_failures_in_a_row = 0;
  int64_t aof_last_rewrite_seconds = -1;

  void Merge(const PersistStats& other);
  // Records per write system call.
  double GroupCommitSize() const {
    return aof_writes == 0 ? 0.0
                           : static_cast<double>(aof_records) / aof_writes;
  }
};

// What a snapshot shows of one shard's counters: the runtime's, the client
// connections', the KV service's, the log's, the file service's and the
// admin endpoint's side by side, each copied from its owner (the exposition
// writers read this one shape).
struct ShardStats : RuntimeStats,
                    ConnectionStats,
                    CommandStats,
                    FileStats,
                    PersistStats,
                    AdminStats {
  ShardStats() = default;
  explicit ShardStats(uint32_t shard_count) : RuntimeStats(shard_count) {}

  void Merge(const ShardStats& other) {
    RuntimeStats::Merge(other);
    ConnectionStats::Merge(other);
    CommandStats::Merge(other);
    FileStats::Merge(other);
    PersistStats::Merge(other);
    AdminStats::Merge(other);
  }
};

// jemalloc statistics of the shard's own arena, in bytes (all 0 when the
// process does not run on jemalloc; see jemalloc_arena.h).
struct ArenaMemory {
  uint64_t allocated = 0;  // in live allocations
  uint64_t active = 0;     // in pages holding live allocations
  uint64_t resident = 0;   // physically mapped by the arena (an upper bound)
};

// A copy of one shard's state for readers on other threads.
struct ShardStatsSnapshot {
  uint32_t shard = 0;
  ShardStats stats;
  uint64_t keys = 0;
  uint64_t expires = 0;  // keys with a TTL
  // Per database (SELECT), up to the last one holding keys: its keys and
  // those with a TTL (INFO keyspace).
  struct DbKeys {
    uint64_t keys = 0;
    uint64_t expires = 0;
  };
  std::vector<DbKeys> keys_by_db;
  // Connected here, in BLPOP and the like or held by a CLIENT PAUSE.
  uint64_t blocked_clients = 0;
  uint64_t lock_waiting = 0;     // waiting for keys owned here
  uint64_t expired_keys = 0;     // removed because their time was up
  // Sessions that waited for keyspace events to drain (kv/exec/
  // keyspace_notifier.h).
  uint64_t keyspace_backlog_waits = 0;
  uint64_t keyspace_hits = 0;  // read-only commands' key lookups
  uint64_t keyspace_misses = 0;
  // Commands a second, over the last 1.6 s (Redis's
  // instantaneous_ops_per_sec: 16 samples, 100 ms apart).
  uint64_t ops_per_sec = 0;
  // Bytes a second received and sent, over the same samples.
  uint64_t input_bytes_per_sec = 0;
  uint64_t output_bytes_per_sec = 0;
  // The active expiry cycle: time spent in it, and the runs that stopped
  // at their cap with keys still due.
  uint64_t expire_cycle_ns = 0;
  uint64_t expire_cycle_capped = 0;
  uint64_t blocked_with_timeout = 0;  // of blocked_clients
  uint64_t changes = 0;  // writes that changed the data (KvShard::changes)
  ArenaMemory memory;
};

// The sum of `shards` (shard is set to their count).
ShardStatsSnapshot SumSnapshots(absl::Span<const ShardStatsSnapshot> shards);

}  // namespace shardd::stats

#endif  // SHARDD_SHARD_STATS_SHARD_STATS_H_
