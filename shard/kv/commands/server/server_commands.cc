// The server family: DBSIZE and FLUSHALL, which run on every shard, and the
// session commands BGREWRITEAOF, COMMAND, CONFIG and INFO (the last three in
// their own files) and those of admin_commands.cc; the family's table is at
// the end.
#include <cstdint>
#include <string>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {
namespace {

void DbSizeCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.store.KeyCount()));
}

// SYNC and ASYNC are accepted for compatibility; clearing one shard's map
// is quick enough either way.
bool FlushArgumentsValid(CommandContext& ctx) {
  const bool valid =
      ctx.args.size() == 1 ||
      (ctx.args.size() == 2 && (EqualsIgnoreCase(ctx.args[1], "SYNC") ||
                                EqualsIgnoreCase(ctx.args[1], "ASYNC")));
  if (!valid) ctx.reply.Error(kSyntaxError);
  return valid;
}

void FlushAllCommand(CommandContext& ctx) {
  if (!FlushArgumentsValid(ctx)) return;
  ctx.databases->ForEach([](uint32_t, Store& store) { store.Clear(); });
  ctx.reply.Ok();
}

void FlushDbCommand(CommandContext& ctx) {
  if (!FlushArgumentsValid(ctx)) return;
  ctx.store.Clear();
  ctx.reply.Ok();
}

void BgRewriteAofCommand(SessionContext& ctx) {
  const std::string error = ctx.server.StartLogRewrite();
  if (error.empty()) {
    ctx.reply.SimpleString("Background append only file rewriting started");
  } else {
    ctx.reply.Error(error);
  }
}

using enum KeyLayout;
using enum Merge;

// EVAL and friends, as Redis flags them (shardd answers that Lua is not
// supported).
constexpr uint32_t kScripting =
    kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys | kMovableKeys;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kServerCommands[] = {
    {"dbsize", 1, kReadonly | kFast, kEveryShard, kSumIntegers, DbSizeCommand},
    {"flushall", -1, kWrite, kEveryShard, kAllOk, FlushAllCommand},
    {"flushdb", -1, kWrite, kEveryShard, kAllOk, FlushDbCommand},
    SessionCommand("bgrewriteaof", 1, kAdmin | kNoScript | kNoAsyncLoading,
                   BgRewriteAofCommand),
    SessionCommand("command", -1, kLoading | kStale, CommandCommand),
    SessionCommand("config", -2, 0, ConfigCommand),
    WaitingSessionCommand("info", -1, kLoading | kStale, InfoCommand),
    SessionCommand("time", 1, kLoading | kStale | kFast, TimeCommand),
    SessionCommand("lastsave", 1, kLoading | kStale | kFast, LastSaveCommand),
    SessionCommand("wait", 3, kNoScript, WaitCommand),
    SessionCommand("role", 1, kNoScript | kLoading | kStale | kFast,
                   RoleCommand),
    SessionCommand(
        "shutdown", -1,
        kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy,
        ShutdownCommand),
    // (No DEBUG in MULTI: a DEBUG SLEEP there would hold the keys locked.)
    WaitingSessionCommand("debug", -2,
                          kAdmin | kNoScript | kLoading | kStale | kNoMulti,
                          DebugCommand),
    SessionCommand("function", -2, kNoScript, FunctionCommand),
    WaitingSessionCommand("slowlog", -2, kAdmin | kLoading | kStale,
                          SlowLogCommand),
    WaitingSessionCommand("memory", -2, 0, MemoryCommand),
    WaitingSessionCommand("latency", -2, kAdmin | kNoScript | kLoading | kStale,
                          LatencyCommand),
    SessionCommand("eval", -3, kScripting, ScriptingCommand),
    SessionCommand("evalsha", -3, kScripting, ScriptingCommand),
    SessionCommand("eval_ro", -3, kScripting | kReadonly, ScriptingCommand),
    SessionCommand("evalsha_ro", -3, kScripting | kReadonly, ScriptingCommand),
    SessionCommand("fcall", -3, kScripting, ScriptingCommand),
    SessionCommand("fcall_ro", -3, kScripting | kReadonly, ScriptingCommand),
    SessionCommand("script", -2, kNoScript, ScriptingCommand),
};

}  // namespace

absl::Span<const CommandSpec> ServerCommandTable() { return kServerCommands; }

}  // namespace shardd::kv
