// The connection family: PING and ECHO, which run like any keyless command,
// and QUIT, SELECT and HELLO, which concern the session itself; the family's
// table is at the end.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/session_context.h"

namespace shardd::kv {
namespace {

void PingCommand(CommandContext& ctx) {
  // The arity (-1) allows any count; Redis rejects more than one argument here.
  if (ctx.args.size() > 2) {
    ReplyWrongArity(ctx.reply, "ping");
  } else if (ctx.args.size() == 2) {
    ctx.reply.Bulk(ctx.args[1]);
  } else {
    ctx.reply.SimpleString("PONG");
  }
}

void EchoCommand(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

void QuitCommand(SessionContext& ctx) {
  ctx.reply.Ok();
  ctx.close = true;
}

void SelectCommand(SessionContext& ctx) {
  int64_t index = 0;
  if (!ParseInt64(ctx.args[1], &index)) {
    ctx.reply.Error(kNotIntegerError);
  } else if (!FitsInt(index)) {
    ctx.reply.Error(kNotIntError);
  } else if (index < 0 || index >= ctx.server.databases()) {
    ctx.reply.Error(kDbOutOfRangeError);
  } else {
    ctx.db = static_cast<uint32_t>(index);
    ctx.reply.Ok();
  }
}

constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// AUTH [user] password.
void AuthCommand(SessionContext& ctx) {
  const CommandArgs args = ctx.args;
  if (args.size() > 3) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (args.size() == 2 && !ctx.server.PasswordRequired()) {
    ctx.reply.Error(
        "ERR AUTH <password> called without any password configured for "
        "the default user. Are you sure your configuration is correct?");
    return;
  }
  const std::string_view user = args.size() == 3 ? args[1] : "default";
  if (!ctx.server.PasswordMatches(user, args.back())) {
    // (A connection that had authenticated stays so, as in Redis.)
    ctx.reply.Error(kWrongPass);
    return;
  }
  ctx.authenticated = true;
  ctx.reply.Ok();
}

// ACL: shardd has one user, "default", whose password is --requirepass;
// it answers what that user is, and says so for the rest.
void AclCommand(SessionContext& ctx) {
  const CommandArgs args = ctx.args;
  static constexpr std::string_view kUnsupported[] = {
      "CAT",  "DELUSER", "DRYRUN", "GENPASS", "GETUSER",
      "LIST", "LOAD",    "LOG",    "SAVE",    "SETUSER"};
  if (EqualsIgnoreCase(args[1], "WHOAMI") && args.size() == 2) {
    ctx.reply.Bulk("default");
  } else if (EqualsIgnoreCase(args[1], "USERS") && args.size() == 2) {
    ctx.reply.ArrayHeader(1);
    ctx.reply.Bulk("default");
  } else if (EqualsIgnoreCase(args[1], "HELP") && args.size() == 2) {
    ctx.reply.ArrayHeader(3);
    ctx.reply.SimpleString("ACL <subcommand>. Subcommands are:");
    ctx.reply.SimpleString("WHOAMI: the connection's user (always default).");
    ctx.reply.SimpleString("USERS: the users (default only).");
  } else if (std::any_of(std::begin(kUnsupported), std::end(kUnsupported),
                         [&](std::string_view name) {
                           return EqualsIgnoreCase(args[1], name);
                         })) {
    ctx.reply.Error(absl::StrCat(
        "ERR ACL ", absl::AsciiStrToUpper(ArgumentForError(args[1])),
        " is not supported: shardd has one user, 'default', whose password "
        "is --requirepass"));
  } else {
    ReplyUnknownSubcommand(ctx.reply, args);
  }
}

// HELLO [protover [AUTH user password] [SETNAME name]]: switches the
// connection to RESP2 or RESP3 and describes the server, in the new
// protocol.
void HelloCommand(SessionContext& ctx) {
  const CommandArgs args = ctx.args;
  resp::ReplyWriter& current = ctx.reply;
  resp::Protocol protocol = ctx.protocol;
  size_t next = 1;
  if (args.size() > 1) {
    int64_t version = 0;
    if (!ParseInt64(args[1], &version)) {
      current.Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (version != 2 && version != 3) {
      current.Error("NOPROTO unsupported protocol version");
      return;
    }
    protocol = version == 3 ? resp::Protocol::kResp3 : resp::Protocol::kResp2;
    next = 2;
  }
  std::optional<size_t> auth;     // the index of AUTH's user
  std::optional<size_t> setname;  // the index of the name
  for (; next < args.size(); ++next) {
    const bool more = next + 1 < args.size();
    if (EqualsIgnoreCase(args[next], "AUTH") && next + 2 < args.size()) {
      auth = next + 1;
      next += 2;
    } else if (EqualsIgnoreCase(args[next], "SETNAME") && more) {
      setname = ++next;
    } else {
      current.Error(absl::StrCat("ERR Syntax error in HELLO option '",
                                 ArgumentForError(args[next]), "'"));
      return;
    }
  }
  if (!auth && !ctx.authenticated) {
    current.Error(
        "NOAUTH HELLO must be called with the client already authenticated, "
        "otherwise the HELLO AUTH <user> <pass> option can be used to "
        "authenticate the client and select the RESP protocol version at the "
        "same time");
    return;
  }
  if (setname && !IsValidClientName(args[*setname])) {
    current.Error(kInvalidClientName);
    return;
  }
  if (auth && !ctx.server.PasswordMatches(args[*auth], args[*auth + 1])) {
    current.Error(kWrongPass);
    return;
  }
  if (auth) ctx.authenticated = true;
  if (setname) ctx.new_name = args[*setname];
  ctx.protocol = protocol;
  resp::ReplyWriter reply(current.buffer(), protocol);
  reply.MapHeader(7);
  reply.Bulk("server");
  reply.Bulk("redis");
  reply.Bulk("version");
  reply.Bulk(kRedisCompatibleVersion);
  reply.Bulk("proto");
  reply.Integer(static_cast<int>(protocol));
  reply.Bulk("id");
  reply.Integer(static_cast<int64_t>(ctx.client_id));
  reply.Bulk("mode");
  reply.Bulk("standalone");
  reply.Bulk("role");
  reply.Bulk("master");
  reply.Bulk("modules");
  reply.ArrayHeader(0);
}

using enum KeyLayout;
using enum Merge;

constexpr uint32_t kAnyTime = kLoading | kStale | kFast;
constexpr uint32_t kBeforeAuth = kNoScript | kAnyTime | kNoAuth | kAllowBusy;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kConnectionCommands[] = {
    {"ping", -1, kFast, kNone, kSingle, PingCommand},
    {"echo", 2, kAnyTime, kNone, kSingle, EchoCommand},
    SessionCommand("quit", -1, kBeforeAuth, QuitCommand),
    SessionCommand("select", 2, kAnyTime, SelectCommand),
    SessionCommand("hello", -1, kBeforeAuth, HelloCommand),
    SessionCommand("auth", -2, kBeforeAuth, AuthCommand),
    SessionCommand("acl", -2, kNoScript | kLoading | kStale, AclCommand),
    TransactionCommand("multi", 1, kNoScript | kAnyTime | kAllowBusy, kNone,
                       TxControl::kMulti),
    TransactionCommand("exec", 1, kNoScript | kLoading | kStale | kSkipSlowlog,
                       kNone, TxControl::kExec),
    TransactionCommand("discard", 1, kNoScript | kAnyTime | kAllowBusy, kNone,
                       TxControl::kDiscard),
    TransactionCommand("watch", -2, kNoScript | kAnyTime | kAllowBusy, kAll,
                       TxControl::kWatch),
    TransactionCommand("unwatch", 1, kNoScript | kAnyTime | kAllowBusy, kNone,
                       TxControl::kUnwatch),
};

}  // namespace

absl::Span<const CommandSpec> ConnectionCommandTable() {
  return kConnectionCommands;
}

}  // namespace shardd::kv
