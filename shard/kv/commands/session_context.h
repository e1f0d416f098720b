// What a connection or server command (QUIT, HELLO, COMMAND, CONFIG, INFO)
// runs against, in place of one shard's Store: its arguments, the client,
// and a view of the server. The service implements ServerView; the commands
// see only this, so that commands/ depends on nothing above it.
//
//   void HelloCommand(SessionContext& ctx) {
//     ctx.reply.Integer(static_cast<int64_t>(ctx.client_id)); ...
//   }
#ifndef SHARDD_SHARD_KV_COMMANDS_SESSION_CONTEXT_H_
#define SHARDD_SHARD_KV_COMMANDS_SESSION_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::kv {

// The Redis version whose behaviour shardd reproduces; clients read it from
// HELLO and INFO to decide which commands they may use.
inline constexpr std::string_view kRedisCompatibleVersion = "7.0.0";

// Distinct channels, patterns and shard channels with subscribers (INFO).
struct PubSubCounts {
  size_t channels = 0;
  size_t patterns = 0;
  size_t shard_channels = 0;
};

// One CONFIG GET parameter, by its Redis name, with the value in force.
struct ConfigParameter {
  std::string_view name;
  std::string value;
};

class ServerView {
 public:
  virtual uint16_t port() const = 0;
  virtual uint32_t shard_count() const = 0;
  virtual uint32_t databases() const = 0;  // --databases
  virtual uint32_t max_clients() const = 0;
  // The --flagfile shardd started with ("" for none): INFO's config_file.
  virtual const std::string& ConfigFile() const = 0;
  virtual absl::Time start_time() const = 0;
  // What CONFIG GET can report.
  virtual std::vector<ConfigParameter> ConfigParameters() const = 0;
  // CONFIG SET name value [name value ...]: "" when done, else the error
  // to reply (without its '-').
  virtual std::string SetConfig(CommandArgs pairs) = 0;
  // CONFIG REWRITE: "" when the configuration file holds what CONFIG GET
  // shows, else the error to reply (without its '-').
  virtual std::string RewriteConfig() = 0;
  // Every shard's numbers, in shard order, asked for through the mailboxes.
  virtual Task<std::vector<stats::ShardStatsSnapshot>> SnapshotEveryShard() = 0;
  // The command table, for COMMAND.
  virtual const std::vector<const CommandSpec*>& Commands() const = 0;
  virtual const CommandSpec* FindCommand(std::string_view name) const = 0;
  // BGREWRITEAOF: starts compacting the logs; "" if it started, else the
  // error to reply (without its '-').
  virtual std::string StartLogRewrite() = 0;
  // MEMORY USAGE: what `key` takes (memory_estimate.h), asked of its
  // owner; nullopt if there is no such key.
  virtual Task<std::optional<uint64_t>> MemoryUsage(std::string_view key,
                                                    uint32_t db,
                                                    size_t samples) = 0;
  // INFO's used_memory_peak: the most used_memory has been, `used_now`
  // (what INFO just measured) included.
  virtual uint64_t MemoryPeak(uint64_t used_now) = 0;
  // DEBUG OBJECT: Redis's line about `key`'s value, from its owner;
  // nullopt if there is no such key.
  virtual Task<std::optional<std::string>> DebugObject(std::string_view key,
                                                       uint32_t db) = 0;
  // INFO's pub/sub counts, over every shard.
  virtual Task<PubSubCounts> CountSubscriptions() = 0;
  // LATENCY: the reply, from every shard's latency monitor.
  virtual Task<std::string> RunLatency(CommandArgs args,
                                       resp::Protocol protocol) = 0;
  // SLOWLOG: the reply, from every shard's slow log.
  virtual Task<std::string> RunSlowLog(CommandArgs args,
                                       resp::Protocol protocol) = 0;
  // --enable_debug_command: DEBUG is refused unless it is set.
  virtual bool DebugCommandEnabled() const = 0;
  // CONFIG RESETSTAT: every shard's counters start again from zero (this
  // one's at once, the others' by messages sent now, which reach each
  // shard before anything this shard sends it later).
  virtual void ResetStats() = 0;
  // SHUTDOWN: stops the server as SIGTERM does (the logs flushed first).
  virtual void RequestShutdown() = 0;
  // DEBUG SET-ACTIVE-EXPIRE: whether shards look for expired keys on their
  // own (else only on access).
  virtual void SetActiveExpire(bool on) = 0;
  // --requirepass: whether a new connection must authenticate, and whether
  // `user` with `password` may (one user, "default", as Redis without ACL
  // rules; with no password set it takes any).
  virtual bool PasswordRequired() const = 0;
  virtual bool PasswordMatches(std::string_view user,
                               std::string_view password) const = 0;

 protected:
  ~ServerView() = default;
};

struct SessionContext {
  resp::ReplyWriter& reply;
  CommandArgs args;  // args[0] is the name
  uint64_t client_id;
  ServerView& server;
  // The connection's protocol: HELLO changes it (and writes its own reply
  // in the new one).
  resp::Protocol protocol = resp::Protocol::kResp2;
  // Whether the connection has authenticated (or needs not): AUTH and
  // HELLO ... AUTH set it.
  bool authenticated = true;
  // HELLO ... SETNAME: the connection's new name.
  std::optional<std::string_view> new_name;
  bool close = false;  // QUIT: close the connection once the reply is sent
  // The connection's database: SELECT changes it.
  uint32_t db = 0;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SESSION_CONTEXT_H_
