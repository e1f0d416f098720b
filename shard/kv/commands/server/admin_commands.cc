// The server family's housekeeping commands: TIME, LASTSAVE, WAIT, ROLE,
// SHUTDOWN, DEBUG, and FUNCTION, EVAL and the other scripting commands,
// which answer as a server with no scripts (Lua is not supported).
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"
#include "shard/timer.h"

namespace shardd::kv {

constexpr std::string_view kNoScripting =
    "ERR Lua scripting and functions are not supported by shardd";

void TimeCommand(SessionContext& ctx) {
  const int64_t micros = absl::ToUnixMicros(absl::Now());
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(absl::StrCat(micros / 1'000'000));
  ctx.reply.Bulk(absl::StrCat(micros % 1'000'000));
}

void LastSaveCommand(SessionContext& ctx) {
  // No RDB snapshot is ever taken: as Redis before its first save, the
  // time the server started.
  ctx.reply.Integer(absl::ToUnixSeconds(ctx.server.start_time()));
}

void WaitCommand(SessionContext& ctx) {
  int64_t replicas = 0;
  int64_t timeout = 0;
  if (!ParseInt64(ctx.args[1], &replicas)) {
    ctx.reply.Error(kNotIntegerError);
  } else if (!ParseInt64(ctx.args[2], &timeout)) {
    ctx.reply.Error("ERR timeout is not an integer or out of range");
  } else if (timeout < 0) {
    ctx.reply.Error("ERR timeout is negative");
  } else {
    ctx.reply.Integer(0);  // no replicas, and none to wait for
  }
}

void RoleCommand(SessionContext& ctx) {
  // A master with no replicas (shardd does not replicate), at offset 0.
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk("master");
  ctx.reply.Integer(0);
  ctx.reply.ArrayHeader(0);
}

void ShutdownCommand(SessionContext& ctx) {
  // NOSAVE and SAVE are accepted: the log is written and synced either way
  // (there is no RDB to save); NOW and FORCE change nothing here.
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "ABORT") && ctx.args.size() == 2) {
      ctx.reply.Error("ERR No shutdown in progress.");
      return;
    }
    if (!EqualsIgnoreCase(ctx.args[i], "NOSAVE") &&
        !EqualsIgnoreCase(ctx.args[i], "SAVE") &&
        !EqualsIgnoreCase(ctx.args[i], "NOW") &&
        !EqualsIgnoreCase(ctx.args[i], "FORCE")) {
      ctx.reply.Error(kSyntaxError);
      return;
    }
  }
  // As Redis: no reply; the connection closes as the server stops.
  ctx.server.RequestShutdown();
  ctx.close = true;
}

Task<std::string> LatencyCommand(ServerView& server, CommandArgs args,
                                 resp::Protocol protocol, uint32_t /*db*/) {
  co_return co_await server.RunLatency(args, protocol);
}

Task<std::string> SlowLogCommand(ServerView& server, CommandArgs args,
                                 resp::Protocol protocol, uint32_t /*db*/) {
  co_return co_await server.RunSlowLog(args, protocol);
}

Task<std::string> DebugCommand(ServerView& server, CommandArgs args,
                               resp::Protocol protocol, uint32_t db) {
  std::string out;
  resp::ReplyWriter reply(&out, protocol);
  if (!server.DebugCommandEnabled()) {
    // Redis's text, which names its own option.
    reply.Error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is "
        "set to \"local\", you can run it from a local connection, otherwise "
        "you need to set this option in the configuration file, and then "
        "restart the server.");
    co_return out;
  }
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  if (sub == "SLEEP" && args.size() == 3) {
    double seconds = 0;
    if (!absl::SimpleAtod(absl::string_view(args[2].data(), args[2].size()),
                          &seconds) ||
        !std::isfinite(seconds) || seconds < 0) {
      reply.Error(kNotFloatError);
      co_return out;
    }
    // Only this connection waits: a shard never stops for one client.
    co_await Delay(absl::Seconds(seconds));
    reply.Ok();
  } else if (sub == "SET-ACTIVE-EXPIRE" && args.size() == 3) {
    int64_t on = 0;
    if (!ParseInt64(args[2], &on)) {
      reply.Error(kNotIntegerError);
      co_return out;
    }
    server.SetActiveExpire(on != 0);
    reply.Ok();
  } else if (sub == "OBJECT" && args.size() == 3) {
    const std::optional<std::string> line =
        co_await server.DebugObject(args[2], db);
    if (line.has_value()) {
      reply.SimpleString(*line);
    } else {
      reply.Error("ERR no such key");
    }
  } else if (sub == "HELP" && args.size() == 2) {
    reply.ArrayHeader(7);
    reply.SimpleString("DEBUG <subcommand> [<arg> ...]. Subcommands are:");
    reply.SimpleString("OBJECT <key>");
    reply.SimpleString(
        "    How the key's value is kept: encoding, references, idle time.");
    reply.SimpleString("SLEEP <seconds>");
    reply.SimpleString("    Wait that long (this connection only) and reply.");
    reply.SimpleString("SET-ACTIVE-EXPIRE <0|1>");
    reply.SimpleString("    Stop or restart the shards' own expiry of keys.");
  } else {
    ReplyUnknownSubcommand(reply, args);
  }
  co_return out;
}

void FunctionCommand(SessionContext& ctx) {
  const std::string sub = absl::AsciiStrToUpper(std::string(ctx.args[1]));
  if (sub == "HELP" && ctx.args.size() != 2) {
    ReplyWrongArity(ctx.reply, "function|help");
  } else if (sub == "HELP") {
    constexpr std::string_view kHelp[] = {
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LIST [LIBRARYNAME <pattern>] [WITHCODE]",
        "    The libraries loaded: none, since shardd does not run Lua.",
        "STATS",
        "    The function running (none) and the engines' library counts.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete every library (there are none).",
        "LOAD, DELETE, DUMP, RESTORE, KILL",
        "    Not supported: shardd does not run Lua.",
        "HELP",
        "    This text.",
    };
    ctx.reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) ctx.reply.SimpleString(line);
  } else if (sub == "LIST") {
    ctx.reply.ArrayHeader(0);  // no libraries
  } else if (sub == "FLUSH" && (ctx.args.size() == 2 ||
                                (ctx.args.size() == 3 &&
                                 (EqualsIgnoreCase(ctx.args[2], "SYNC") ||
                                  EqualsIgnoreCase(ctx.args[2], "ASYNC"))))) {
    ctx.reply.Ok();  // nothing to flush
  } else if (sub == "STATS" && ctx.args.size() == 2) {
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("running_script");
    ctx.reply.NullBulk();
    ctx.reply.Bulk("engines");
    ctx.reply.MapHeader(1);
    ctx.reply.Bulk("LUA");
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("libraries_count");
    ctx.reply.Integer(0);
    ctx.reply.Bulk("functions_count");
    ctx.reply.Integer(0);
  } else if (sub == "LOAD" || sub == "DELETE" || sub == "DUMP" ||
             sub == "RESTORE" || sub == "KILL") {
    ctx.reply.Error(kNoScripting);
  } else {
    ReplyUnknownSubcommand(ctx.reply, ctx.args);
  }
}

void ScriptingCommand(SessionContext& ctx) { ctx.reply.Error(kNoScripting); }

}  // namespace shardd::kv
