// INFO: the Redis sections clients and tools parse (server, clients, stats,
// keyspace) plus `# Shards`, one line per shard.
#include <sys/utsname.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/invoke_on.h"
#include "shard/kv/service_commands.h"

namespace shardd::kv {
namespace {

struct ShardSnapshot {
  uint64_t keys = 0;
  uint64_t expires = 0;
  uint64_t commands = 0;
  uint64_t connections_received = 0;
};

struct Sections {
  absl::flat_hash_set<std::string> names;
  bool Has(absl::string_view name) const {
    return names.contains("all") || names.contains("everything") ||
           names.contains(name) ||
           (names.contains("default") && name != "commandstats");
  }
};

Sections RequestedSections(CommandArgs args) {
  Sections s;
  for (size_t i = 1; i < args.size(); ++i) {
    s.names.insert(absl::AsciiStrToLower({args[i].data(), args[i].size()}));
  }
  if (s.names.empty()) s.names.insert("default");
  return s;
}

void AppendServer(std::string* out, KvService& service) {
  utsname uts{};
  uname(&uts);
  const int64_t uptime =
      absl::ToInt64Seconds(absl::Now() - service.start_time());
  absl::StrAppend(out, "# Server\r\n", "redis_version:",
                  absl::string_view(kRedisCompatibleVersion.data(),
                                    kRedisCompatibleVersion.size()),
                  "\r\n", "redis_mode:standalone\r\n", "os:", uts.sysname, " ",
                  uts.release, " ", uts.machine, "\r\n", "arch_bits:64\r\n",
                  "multiplexing_api:io_uring\r\n", "process_id:", getpid(),
                  "\r\n", "tcp_port:", service.port(), "\r\n",
                  "uptime_in_seconds:", uptime, "\r\n",
                  "uptime_in_days:", uptime / 86400, "\r\n",
                  "shards:", service.shard_count(), "\r\n\r\n");
}

}  // namespace

Task<std::string> InfoReply(KvService& service, CommandArgs args) {
  const Sections sections = RequestedSections(args);
  std::vector<ShardSnapshot> shards(service.shard_count());
  for (uint32_t s = 0; s < service.shard_count(); ++s) {
    shards[s] = co_await InvokeOn(s, [&service] {
      const KvShard& shard = service.Local();
      return ShardSnapshot{shard.store.KeyCount(),
                           shard.store.ExpiringKeyCount(),
                           shard.commands_processed,
                           shard.connections_received};
    });
  }
  ShardSnapshot total;
  int64_t connected = 0;
  for (uint32_t s = 0; s < shards.size(); ++s) {
    total.keys += shards[s].keys;
    total.expires += shards[s].expires;
    total.commands += shards[s].commands;
    total.connections_received += shards[s].connections_received;
    connected += service.balancer().OpenOn(s);
  }

  std::string text;
  if (sections.Has("server")) AppendServer(&text, service);
  if (sections.Has("clients")) {
    absl::StrAppend(&text, "# Clients\r\n", "connected_clients:", connected,
                    "\r\n", "maxclients:", service.options().max_clients,
                    "\r\n", "blocked_clients:0\r\n\r\n");
  }
  if (sections.Has("stats")) {
    absl::StrAppend(&text, "# Stats\r\n",
                    "total_connections_received:", total.connections_received,
                    "\r\n", "total_commands_processed:", total.commands,
                    "\r\n\r\n");
  }
  if (sections.Has("keyspace")) {
    absl::StrAppend(&text, "# Keyspace\r\n");
    if (total.keys > 0) {
      absl::StrAppend(&text, "db0:keys=", total.keys,
                      ",expires=", total.expires, ",avg_ttl=0\r\n");
    }
    absl::StrAppend(&text, "\r\n");
  }
  if (sections.Has("shards")) {
    absl::StrAppend(&text, "# Shards\r\n");
    for (uint32_t s = 0; s < shards.size(); ++s) {
      absl::StrAppend(&text, "shard_", s,
                      ":connections=", service.balancer().OpenOn(s),
                      ",keys=", shards[s].keys, ",expires=", shards[s].expires,
                      ",commands=", shards[s].commands, "\r\n");
    }
    absl::StrAppend(&text, "\r\n");
  }
  // Redis ends the text with the last section's line, not a blank line.
  if (text.size() >= 2) text.resize(text.size() - 2);
  std::string reply;
  resp::ReplyWriter(&reply).Bulk(text);
  co_return reply;
}

}  // namespace shardd::kv
