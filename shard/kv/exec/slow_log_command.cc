#include "shard/kv/exec/slow_log_command.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/exec/command_router.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    The <count> newest entries (10 if not given; -1: all of them). Each",
    "    is an id, the Unix time it ran at, how long it took in",
    "    microseconds, its arguments, the client's address and its name.",
    "LEN",
    "    How many entries there are.",
    "RESET",
    "    Forgets every entry.",
    "HELP",
    "    This text.",
};

struct Client {
  std::string addr;
  std::string name;
};

// Every shard's newest `count` entries (all with -1), newest first, at most
// slowlog-max-len in all.
Task<std::vector<SlowLogEntry>> Gather(KvShards& shards, int64_t count) {
  std::vector<SlowLogEntry> all;
  const uint64_t max_len = shards.slowlog_max_len();
  const size_t limit = count < 0 ? max_len : std::min<uint64_t>(max_len, count);
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    co_await InvokeOn(s, [&shards, &all, limit] {
      const auto& entries = shards.Local().slow_log.entries();
      const size_t n = std::min(limit, entries.size());
      all.insert(all.end(), entries.begin(), entries.begin() + n);
    });
  }
  std::sort(
      all.begin(), all.end(),
      [](const SlowLogEntry& a, const SlowLogEntry& b) { return a.id > b.id; });
  if (all.size() > limit) all.resize(limit);
  co_return all;
}

// The address and name of each client of `entries` still connected.
Task<absl::flat_hash_map<uint64_t, Client>> FindClients(
    KvShards& shards, const std::vector<SlowLogEntry>& entries) {
  absl::flat_hash_map<uint64_t, Client> clients;
  for (const SlowLogEntry& entry : entries) {
    if (entry.client_id != 0) clients.try_emplace(entry.client_id);
  }
  if (clients.empty()) co_return clients;
  for (uint32_t s = 0; s < shards.shard_count(); ++s) {
    co_await InvokeOn(s, [&shards, &clients] {
      for (auto& [id, client] : clients) {
        const auto it = shards.Local().clients.find(id);
        if (it == shards.Local().clients.end()) continue;
        client.addr = it->second->PeerAddress();
        client.name = it->second->name();
      }
    });
  }
  co_return clients;
}

}  // namespace

Task<std::string> RunSlowLog(KvShards& shards, CommandArgs args,
                             resp::Protocol protocol) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  if (sub == "GET" && args.size() <= 3) {
    int64_t count = 10;
    if (args.size() == 3 && (!ParseInt64(args[2], &count) || count < -1)) {
      reply.Error("ERR count should be greater than or equal to -1");
      co_return out;
    }
    const std::vector<SlowLogEntry> entries = co_await Gather(shards, count);
    const absl::flat_hash_map<uint64_t, Client> clients =
        co_await FindClients(shards, entries);
    reply.ArrayHeader(entries.size());
    for (const SlowLogEntry& entry : entries) {
      reply.ArrayHeader(6);
      reply.Integer(static_cast<int64_t>(entry.id));
      reply.Integer(entry.unix_seconds);
      reply.Integer(static_cast<int64_t>(entry.duration_us));
      reply.ArrayHeader(entry.args.size());
      for (const std::string& arg : entry.args) reply.Bulk(arg);
      const auto client = clients.find(entry.client_id);
      reply.Bulk(client == clients.end() ? "" : client->second.addr);
      reply.Bulk(client == clients.end() ? "" : client->second.name);
    }
  } else if (sub == "LEN" && args.size() == 2) {
    uint64_t length = 0;
    for (uint32_t s = 0; s < shards.shard_count(); ++s) {
      length += co_await InvokeOn(
          s, [&shards] { return shards.Local().slow_log.entries().size(); });
    }
    reply.Integer(static_cast<int64_t>(
        std::min<uint64_t>(length, shards.slowlog_max_len())));
  } else if (sub == "RESET" && args.size() == 2) {
    for (uint32_t s = 0; s < shards.shard_count(); ++s) {
      co_await InvokeOn(s, [&shards] { shards.Local().slow_log.Clear(); });
    }
    reply.Ok();
  } else if (sub == "HELP" && args.size() == 2) {
    reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) reply.SimpleString(line);
  } else if (sub == "GET") {
    reply.Error(absl::StrCat(
        "ERR unknown subcommand or wrong number of arguments for '",
        ArgumentForError(args[1]), "'. Try SLOWLOG HELP."));
  } else if (sub == "LEN" || sub == "RESET" || sub == "HELP") {
    ReplyWrongArity(reply,
                    absl::StrCat("slowlog|", absl::AsciiStrToLower(sub)));
  } else {
    ReplyUnknownSubcommand(reply, args);
  }
  co_return out;
}

}  // namespace shardd::kv
