#include "shard/stats/shard_stats.h"

#include <algorithm>

namespace shardd::stats {

void ConnectionStats::Merge(const ConnectionStats& other) {
  connections_current += other.connections_current;
  connections_accepted += other.connections_accepted;
  connections_closed += other.connections_closed;
  connections_rejected += other.connections_rejected;
  connections_timed_out += other.connections_timed_out;
  connections_output_limited += other.connections_output_limited;
  accept_fd_exhausted += other.accept_fd_exhausted;
  bytes_in += other.bytes_in;
  bytes_out += other.bytes_out;
  reads += other.reads;
  writes += other.writes;
}

void CommandStats::Merge(const CommandStats& other) {
  for (const auto& [name, counters] : other.commands) {
    CommandCounters& mine = commands[name];
    mine.calls += counters.calls;
    mine.failed += counters.failed;
    mine.total_ns += counters.total_ns;
    mine.latency_ns.Merge(counters.latency_ns);
  }
  errors += other.errors;
  hops_refused += other.hops_refused;
  hops_in_thread += other.hops_in_thread;
  hops_outstanding_high =
      std::max(hops_outstanding_high, other.hops_outstanding_high);
  transactions_started += other.transactions_started;
  transactions_committed += other.transactions_committed;
  transactions_aborted += other.transactions_aborted;
  lock_waits += other.lock_waits;
  lock_tries_refused += other.lock_tries_refused;
  command_ns.Merge(other.command_ns);
  request_ns.Merge(other.request_ns);
}

void FileStats::CountRequest(std::string_view method, int status,
                             uint64_t ns) {
  if (method == "GET") {
    ++files_get;
  } else if (method == "HEAD") {
    ++files_head;
  } else if (method == "PUT") {
    ++files_put;
  } else if (method == "DELETE") {
    ++files_delete;
  } else {
    ++files_other;
  }
  switch (status / 100) {
    case 2: ++files_2xx; break;
    case 3: ++files_3xx; break;
    case 4: ++files_4xx; break;
    case 5: ++files_5xx; break;
    default: break;
  }
  files_request_ns.Record(ns);
}

void FileStats::Merge(const FileStats& other) {
  files_get += other.files_get;
  files_head += other.files_head;
  files_put += other.files_put;
  files_delete += other.files_delete;
  files_other += other.files_other;
  files_2xx += other.files_2xx;
  files_3xx += other.files_3xx;
  files_4xx += other.files_4xx;
  files_5xx += other.files_5xx;
  files_connections_current += other.files_connections_current;
  files_connections_accepted += other.files_connections_accepted;
  files_bytes_in += other.files_bytes_in;
  files_bytes_out += other.files_bytes_out;
  files_disk_read_bytes += other.files_disk_read_bytes;
  files_disk_written_bytes += other.files_disk_written_bytes;
  files_fsyncs += other.files_fsyncs;
  files_replies_before_durable += other.files_replies_before_durable;
  files_request_ns.Merge(other.files_request_ns);
}

void AdminStats::Merge(const AdminStats& other) {
  admin_connections_current += other.admin_connections_current;
  admin_connections_accepted += other.admin_connections_accepted;
  admin_connections_rejected += other.admin_connections_rejected;
  admin_connections_timed_out += other.admin_connections_timed_out;
}

void PersistStats::Merge(const PersistStats& other) {
  aof_enabled += other.aof_enabled;
  aof_records += other.aof_records;
  aof_writes += other.aof_writes;
  aof_bytes_written += other.aof_bytes_written;
  aof_fsyncs += other.aof_fsyncs;
  aof_write_errors += other.aof_write_errors;
  aof_failing += other.aof_failing;
  aof_current_size += other.aof_current_size;
  aof_base_size += other.aof_base_size;
  aof_buffer_length += other.aof_buffer_length;
  aof_buffer_limit_waits += other.aof_buffer_limit_waits;
  aof_replies_before_durable += other.aof_replies_before_durable;
  aof_fsync_ns.Merge(other.aof_fsync_ns);
  aof_rewrite_in_progress += other.aof_rewrite_in_progress;
  aof_rewrite_walking += other.aof_rewrite_walking;
  aof_rewrite_peak_bytes += other.aof_rewrite_peak_bytes;
  aof_rewrites += other.aof_rewrites;
  aof_rewrite_failed += other.aof_rewrite_failed;
  aof_rewrite_failures_in_a_row += other.aof_rewrite_failures_in_a_row;
  aof_last_rewrite_seconds =
      std::max(aof_last_rewrite_seconds, other.aof_last_rewrite_seconds);
}

void RuntimeStats::Merge(const RuntimeStats& other) {
  if (peers.size() < other.peers.size()) peers.resize(other.peers.size());
  for (size_t i = 0; i < other.peers.size(); ++i) {
    peers[i].messages_sent += other.peers[i].messages_sent;
    peers[i].messages_received += other.peers[i].messages_received;
    peers[i].wakeups_sent += other.peers[i].wakeups_sent;
    peers[i].mailbox_depth += other.peers[i].mailbox_depth;
    peers[i].mailbox_depth_high = std::max(peers[i].mailbox_depth_high,
                                           other.peers[i].mailbox_depth_high);
  }
  loop_turns += other.loop_turns;
  busy_ns += other.busy_ns;
  idle_ns += other.idle_ns;
  sleeps += other.sleeps;
  uring_submissions += other.uring_submissions;
  uring_completions += other.uring_completions;
  receive_buffer_shortages += other.receive_buffer_shortages;
}

uint64_t CommandStats::TotalCommands() const {
  uint64_t total = 0;
  for (const auto& entry : commands) total += entry.second.calls;
  return total;
}

uint64_t RuntimeStats::MessagesSent() const {
  uint64_t total = 0;
  for (const PeerCounters& p : peers) total += p.messages_sent;
  return total;
}

uint64_t RuntimeStats::MessagesReceived() const {
  uint64_t total = 0;
  for (const PeerCounters& p : peers) total += p.messages_received;
  return total;
}

uint64_t RuntimeStats::MailboxDepth() const {
  uint64_t total = 0;
  for (const PeerCounters& p : peers) total += p.mailbox_depth;
  return total;
}

uint64_t RuntimeStats::MailboxDepthHigh() const {
  uint64_t high = 0;
  for (const PeerCounters& p : peers)
    high = std::max(high, p.mailbox_depth_high);
  return high;
}

double RuntimeStats::Utilisation() const {
  const uint64_t total = busy_ns + idle_ns;
  return total == 0 ? 0.0 : static_cast<double>(busy_ns) / total;
}

ShardStatsSnapshot SumSnapshots(absl::Span<const ShardStatsSnapshot> shards) {
  ShardStatsSnapshot total;
  total.shard = static_cast<uint32_t>(shards.size());
  for (const ShardStatsSnapshot& s : shards) {
    total.stats.Merge(s.stats);
    total.keys += s.keys;
    total.expires += s.expires;
    total.blocked_clients += s.blocked_clients;
    total.lock_waiting += s.lock_waiting;
    total.expired_keys += s.expired_keys;
    total.keyspace_backlog_waits += s.keyspace_backlog_waits;
    total.keyspace_hits += s.keyspace_hits;
    total.keyspace_misses += s.keyspace_misses;
    total.ops_per_sec += s.ops_per_sec;
    total.input_bytes_per_sec += s.input_bytes_per_sec;
    total.output_bytes_per_sec += s.output_bytes_per_sec;
    total.expire_cycle_ns += s.expire_cycle_ns;
    total.expire_cycle_capped += s.expire_cycle_capped;
    total.blocked_with_timeout += s.blocked_with_timeout;
    total.changes += s.changes;
    total.memory.allocated += s.memory.allocated;
    total.memory.active += s.memory.active;
    total.memory.resident += s.memory.resident;
  }
  return total;
}

}  // namespace shardd::stats
