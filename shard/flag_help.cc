#include "shard/flag_help.h"

#include <set>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gflags/gflags.h"

namespace shardd {
namespace {

struct Group {
  std::string title;
  std::vector<std::string> flags;
};

const std::vector<Group>& Groups() {
  static const std::vector<Group>* const groups = new std::vector<Group>{
      {"Shards and the runtime",
       {"shards", "cpus", "share_cpu_threads", "io_backend", "recv_multishot",
        "register_sockets", "idle_poll_time_us", "sched_policy",
        "mailbox_capacity"}},
      {"Redis-protocol service",
       {"bind", "port", "requirepass", "protected_mode", "enable_debug_command",
        "notify_keyspace_events", "keyspace_events_backlog",
        "slowlog_log_slower_than", "slowlog_max_len",
        "latency_monitor_threshold", "balance_connections", "databases",
        "maxclients", "timeout", "tcp_keepalive", "proto_max_bulk_len",
        "client_query_buffer_limit", "client_output_limit",
        "client_output_limit_pubsub"}},
      {"Value encodings",
       {"hash_max_listpack_entries", "hash_max_listpack_value",
        "set_max_intset_entries", "zset_max_listpack_entries",
        "zset_max_listpack_value"}},
      {"Data and durability",
       {"dir", "appendonly", "appendfsync", "auto_aof_rewrite_percentage",
        "auto_aof_rewrite_min_size", "aof_buffer_limit",
        "record_synced_lengths"}},
      {"HTTP file service",
       {"http", "http_bind", "http_port", "http_maxclients", "max_body_bytes",
        "http_token", "http_token_reads", "http_list_max",
        "http_open_file_cache", "http_open_file_cache_bytes", "http_splice",
        "http_header_timeout", "http_idle_timeout"}},
      {"Admin endpoint",
       {"admin", "admin_bind", "admin_port", "admin_token",
        "admin_maxclients"}},
  };
  return *groups;
}

// "  --name=<default> (type)" and the description, wrapped at 78 columns.
void AppendFlag(const gflags::CommandLineFlagInfo& flag, std::string* out) {
  absl::StrAppend(out, "  --", flag.name, "=", flag.default_value, "  (",
                  flag.type, ")\n");
  std::string line = "      ";
  for (absl::string_view word :
       absl::StrSplit(flag.description, ' ', absl::SkipEmpty())) {
    if (line.size() + word.size() + 1 > 78 && line.size() > 6) {
      absl::StrAppend(out, line, "\n");
      line = "      ";
    }
    absl::StrAppend(&line, line.size() > 6 ? " " : "", word);
  }
  absl::StrAppend(out, line, "\n");
}

}  // namespace

std::string FlagHelp(const std::string& defining_file) {
  std::vector<gflags::CommandLineFlagInfo> all;
  gflags::GetAllFlags(&all);
  std::vector<const gflags::CommandLineFlagInfo*> ours;
  for (const gflags::CommandLineFlagInfo& flag : all) {
    if (flag.filename.ends_with(defining_file)) ours.push_back(&flag);
  }
  std::string out = absl::StrCat(
      gflags::ProgramUsage(),
      "\n\nFlags (--flag=value; --flagfile=<file> reads them from a file, one "
      "per line: shardd's config file):\n");
  std::set<std::string> shown;
  for (const Group& group : Groups()) {
    absl::StrAppend(&out, "\n", group.title, ":\n");
    for (const std::string& name : group.flags) {
      for (const gflags::CommandLineFlagInfo* flag : ours) {
        if (flag->name != name) continue;
        AppendFlag(*flag, &out);
        shown.insert(name);
      }
    }
  }
  bool other = false;
  for (const gflags::CommandLineFlagInfo* flag : ours) {
    if (shown.contains(flag->name)) continue;
    if (!other) absl::StrAppend(&out, "\nOther:\n");
    other = true;
    AppendFlag(*flag, &out);
  }
  absl::StrAppend(&out,
                  "\n--version prints the version and build; --helpfull "
                  "lists gflags' own flags too.\n");
  return out;
}

}  // namespace shardd
