// Test helper: runs one connection or server command (QUIT, SELECT, HELLO,
// COMMAND, CONFIG) the way the router does (FindCommand, arity check, session
// handler) against a FakeServer whose fields a test sets, and returns the RESP
// bytes of the reply.
//
//   SessionRunner run;
//   run.server.config = {{"maxclients", "7"}};
//   EXPECT_EQ(run({"config", "get", "maxclients"}),
//             "*2\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n");
//   EXPECT_EQ(run({"quit"}), "+OK\r\n");
//   EXPECT_TRUE(run.closed);
//
// Commands with a waiting session handler (INFO) are not run here: a Task
// has no way to be driven outside a coroutine (shard/task.h).
#ifndef SHARDD_TESTS_KV_SESSION_RUNNER_H_
#define SHARDD_TESTS_KV_SESSION_RUNNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/session_context.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"

namespace shardd::kv {

// A ServerView with plain fields in place of the service. The command table
// is the real one.
class FakeServer final : public ServerView {
 public:
  uint16_t port() const override { return tcp_port; }
  uint32_t shard_count() const override { return shards; }
  uint32_t databases() const override { return 16; }
  uint32_t max_clients() const override { return client_limit; }
  absl::Time start_time() const override { return started; }
  std::vector<ConfigParameter> ConfigParameters() const override {
    return config;
  }
  // One default snapshot per shard, numbered; completes without suspending.
  Task<std::vector<stats::ShardStatsSnapshot>> SnapshotEveryShard() override {
    std::vector<stats::ShardStatsSnapshot> snapshots(shards);
    for (uint32_t i = 0; i < shards; ++i) snapshots[i].shard = i;
    co_return snapshots;
  }
  const std::vector<const CommandSpec*>& Commands() const override {
    return AllCommands();
  }
  std::string StartLogRewrite() override {
    return "ERR The append-only log is off";
  }
  const CommandSpec* FindCommand(std::string_view name) const override {
    return kv::FindCommand(name);
  }
  bool DebugCommandEnabled() const override { return true; }
  void ResetStats() override { ++stats_resets; }
  void RequestShutdown() override { shutdown_requested = true; }
  void SetActiveExpire(bool on) override { active_expire = on; }
  Task<std::optional<uint64_t>> MemoryUsage(std::string_view, uint32_t,
                                            size_t) override {
    co_return std::nullopt;
  }
  Task<std::optional<std::string>> DebugObject(std::string_view,
                                               uint32_t) override {
    co_return std::nullopt;
  }
  uint64_t MemoryPeak(uint64_t used_now) override { return used_now; }
  Task<PubSubCounts> CountSubscriptions() override { co_return {}; }
  Task<std::string> RunLatency(CommandArgs, resp::Protocol) override {
    co_return "-ERR no latency monitor here\r\n";
  }
  Task<std::string> RunSlowLog(CommandArgs, resp::Protocol) override {
    co_return "-ERR no slow log here\r\n";
  }
  const std::string& ConfigFile() const override { return config_file; }
  std::string RewriteConfig() override {
    return "ERR The server is running without a config file";
  }
  std::string SetConfig(CommandArgs pairs) override {
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
      config.push_back({pairs[i], std::string(pairs[i + 1])});
    }
    return "";
  }
  bool PasswordRequired() const override { return !password.empty(); }
  bool PasswordMatches(std::string_view user,
                       std::string_view given) const override {
    return user == "default" && (password.empty() || given == password);
  }

  uint16_t tcp_port = 6379;
  uint32_t shards = 1;
  uint32_t client_limit = 10000;
  absl::Time started = absl::UnixEpoch();
  std::vector<ConfigParameter> config;  // what CONFIG GET sees, in order
  std::string password;                 // --requirepass
  bool shutdown_requested = false;
  int stats_resets = 0;
  std::string config_file;
  bool active_expire = true;
};

struct SessionRunner {
  std::string operator()(const std::vector<std::string_view>& args) {
    closed = false;
    std::string out;
    resp::ReplyWriter reply(&out, protocol);
    const CommandSpec* spec = FindCommand(args.at(0));
    // What the router replies; spelled out so tests can pin the arities.
    if (spec == nullptr) {
      ReplyUnknownCommand(reply, args);
      return out;
    }
    if (!ArityMatches(*spec, args.size())) {
      ReplyWrongArity(reply, spec->name);
      return out;
    }
    if (spec->session == nullptr) {
      ADD_FAILURE() << args[0] << " has no session handler";
      return out;
    }
    SessionContext ctx{reply,  CommandArgs(args), client_id,
                       server, protocol,          authenticated};
    spec->session(ctx);
    closed = ctx.close;
    protocol = ctx.protocol;
    authenticated = ctx.authenticated;
    return out;
  }

  FakeServer server;
  uint64_t client_id = 1;
  // The connection's protocol, switched by HELLO as the router does.
  resp::Protocol protocol = resp::Protocol::kResp2;
  bool authenticated = true;
  bool closed = false;  // the last command asked to close the connection
};

}  // namespace shardd::kv

#endif  // SHARDD_TESTS_KV_SESSION_RUNNER_H_
