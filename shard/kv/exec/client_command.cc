// CLIENT: ID, SETNAME, GETNAME, INFO, NO-EVICT, GETREDIR, TRACKINGINFO and
// HELP about this connection, run in its router; LIST and KILL over every
// shard's connections (ClientRegistry), deferred. PAUSE holds the commands
// of every session (resp_session.cc, WaitWhilePaused). TRACKING, CACHING
// and UNBLOCK answer that shardd does not do them (README).
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "shard/invoke_on_each.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/exec/command_router.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ID",
    "    This connection's id.",
    "SETNAME <name> | GETNAME",
    "    Name this connection (no spaces), or read its name.",
    "INFO",
    "    This connection, as a line of CLIENT LIST.",
    "LIST [TYPE (NORMAL|PUBSUB|MASTER|REPLICA)] [ID <id> ...]",
    "    Every connection of every shard, one line each.",
    "KILL <ip:port> | KILL <filter> <value> ...",
    "    Close connections; filters: ID, ADDR, LADDR, USER, TYPE, SKIPME.",
    "NO-EVICT (ON|OFF)",
    "    Accepted; shardd evicts no client.",
    "HELP",
    "    This text.",
};

// Each subcommand's arity, as Redis 7.0's COMMAND reports it for
// client|<name> (-N: at least N).
std::optional<int> ArityOf(std::string_view sub) {
  static constexpr std::pair<std::string_view, int> kArities[] = {
      {"CACHING", 3},   {"GETNAME", 2},      {"GETREDIR", 2}, {"HELP", 2},
      {"ID", 2},        {"INFO", 2},         {"KILL", -3},    {"LIST", -2},
      {"NO-EVICT", 3},  {"PAUSE", -3},       {"REPLY", 3},    {"SETNAME", 3},
      {"TRACKING", -3}, {"TRACKINGINFO", 2}, {"UNBLOCK", -3}, {"UNPAUSE", 2},
  };
  for (const auto& [name, arity] : kArities) {
    if (name == sub) return arity;
  }
  return std::nullopt;
}

// What CLIENT KILL (new form) and CLIENT LIST select.
struct ClientFilter {
  std::vector<uint64_t> ids;  // any of these (empty: any)
  std::string addr;
  std::string laddr;
  std::optional<bool> pubsub;  // TYPE: pubsub (true), normal (false)
  bool no_one = false;         // TYPE master/replica: shardd has none
  uint64_t skip_id = 0;        // SKIPME yes: the caller
};

// A TYPE filter's value; "" or the error to reply.
std::string ParseType(std::string_view value, ClientFilter* filter) {
  const std::string type = absl::AsciiStrToLower(std::string(value));
  if (type == "normal" || type == "pubsub") {
    filter->pubsub = type == "pubsub";
  } else if (type == "master" || type == "replica" || type == "slave") {
    filter->no_one = true;  // shardd has neither
  } else {
    return absl::StrCat("ERR Unknown client type '", ArgumentForError(value),
                        "'");
  }
  return "";
}

// Parses CLIENT LIST's options (from args[2]); "" or the error to reply.
std::string ParseListFilter(CommandArgs args, ClientFilter* filter) {
  for (size_t i = 2; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "TYPE") && i + 1 < args.size() &&
        filter->ids.empty()) {
      if (std::string error = ParseType(args[++i], filter); !error.empty()) {
        return error;
      }
    } else if (EqualsIgnoreCase(args[i], "ID") && i + 1 < args.size()) {
      for (++i; i < args.size(); ++i) {
        uint64_t id = 0;
        if (!absl::SimpleAtoi(absl::string_view(args[i].data(), args[i].size()),
                              &id) ||
            id == 0) {
          return "ERR Invalid client ID";
        }
        filter->ids.push_back(id);
      }
    } else {
      return std::string(kSyntaxError);
    }
  }
  return "";
}

// Parses CLIENT KILL's filters (new form); "" or the error to reply.
std::string ParseKillFilter(CommandArgs args, uint64_t self,
                            ClientFilter* filter) {
  bool skip_me = true;
  for (size_t i = 2; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return std::string(kSyntaxError);
    const std::string_view value = args[i + 1];
    if (EqualsIgnoreCase(args[i], "ID")) {
      uint64_t id = 0;
      if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()),
                            &id) ||
          id == 0) {
        return "ERR client-id should be greater than 0";
      }
      filter->ids.push_back(id);
    } else if (EqualsIgnoreCase(args[i], "ADDR")) {
      filter->addr = std::string(value);
    } else if (EqualsIgnoreCase(args[i], "LADDR")) {
      filter->laddr = std::string(value);
    } else if (EqualsIgnoreCase(args[i], "USER")) {
      if (value != "default") {
        return absl::StrCat("ERR No such user '", ArgumentForError(value), "'");
      }
    } else if (EqualsIgnoreCase(args[i], "TYPE")) {
      if (std::string error = ParseType(value, filter); !error.empty()) {
        return error;
      }
    } else if (EqualsIgnoreCase(args[i], "SKIPME")) {
      if (EqualsIgnoreCase(value, "yes")) {
        skip_me = true;
      } else if (EqualsIgnoreCase(value, "no")) {
        skip_me = false;
      } else {
        return std::string(kSyntaxError);
      }
    } else {
      return std::string(kSyntaxError);
    }
  }
  if (skip_me) filter->skip_id = self;
  return "";
}

bool Matches(const ClientFilter& filter, const CommandRouter& client) {
  if (filter.no_one || client.client_id() == filter.skip_id) return false;
  if (!filter.ids.empty() &&
      std::find(filter.ids.begin(), filter.ids.end(), client.client_id()) ==
          filter.ids.end()) {
    return false;
  }
  // (Redis's client types: a subscribed RESP3 client is a normal one.)
  const bool pubsub =
      client.subscribed() && client.protocol() == resp::Protocol::kResp2;
  if (filter.pubsub.has_value() && *filter.pubsub != pubsub) {
    return false;
  }
  if (!filter.addr.empty() && client.PeerAddress() != filter.addr) {
    return false;
  }
  return filter.laddr.empty() || client.LocalAddress() == filter.laddr;
}

}  // namespace

void CommandRouter::AppendClientLine(std::string* out) const {
  const uint64_t now_ns = stats::MonotonicNanos();
  const auto seconds = [now_ns](uint64_t since_ns) {
    return now_ns > since_ns ? (now_ns - since_ns) / 1'000'000'000 : 0;
  };
  const bool in_multi = multi_ != nullptr && multi_->active();
  // In Redis's order: O monitoring, P subscribed, x in MULTI, b blocked;
  // N for none of these.
  char flag_chars[4];
  size_t flag_count = 0;
  if (monitoring_) flag_chars[flag_count++] = 'O';
  if (subscribed()) flag_chars[flag_count++] = 'P';
  if (in_multi) flag_chars[flag_count++] = 'x';
  if (blocked_) flag_chars[flag_count++] = 'b';
  if (flag_count == 0) flag_chars[flag_count++] = 'N';
  const absl::string_view flags(flag_chars, flag_count);
  const auto count = [this](SubscriptionKind kind) -> size_t {
    return subscriber_ == nullptr ? 0 : subscriber_->NamesOf(kind).size();
  };
  absl::StrAppend(
      out, "id=", client_id_, " addr=", PeerAddress(),
      " laddr=", LocalAddress(), " fd=", client_socket().value,
      " name=", std::string(name()), " age=", seconds(created_ns_),
      " idle=", seconds(active_ns_), " flags=", flags, " db=", db_,
      " sub=", count(SubscriptionKind::kChannel),
      " psub=", count(SubscriptionKind::kPattern),
      " ssub=", count(SubscriptionKind::kShardChannel), " multi=",
      multi_ != nullptr && multi_->active()
          ? static_cast<int64_t>(multi_->queued().size())
          : -1,
      " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 "
      "omem=0 tot-mem=0 events=r cmd=",
      std::string(last_command_),
      " user=default redir=-1 resp=", static_cast<int>(protocol_), "\n");
}

bool CommandRouter::HeldByPause(CommandArgs args, bool all) const {
  if (all) return true;
  const CommandSpec* spec = FindCommand(args[0]);
  if (spec == nullptr) return false;
  if ((spec->flags & kWrite) != 0 || spec->router_op == RouterOp::kPublish ||
      spec->router_op == RouterOp::kSPublish) {
    return true;
  }
  if (spec->tx != TxControl::kExec || !InMulti()) return false;
  return std::any_of(multi_->queued().begin(), multi_->queued().end(),
                     [](const MultiState::Queued& q) {
                       return (q.spec->flags & kWrite) != 0;
                     });
}

void CommandRouter::Kill(bool self) const {
  if (connection_ != nullptr) connection_->Shutdown(self ? SHUT_RD : SHUT_RDWR);
}

std::string CommandRouter::PeerAddress() const {
  return connection_ != nullptr ? connection_->addresses().Peer() : "";
}

std::string CommandRouter::LocalAddress() const {
  return connection_ != nullptr ? connection_->addresses().Local() : "";
}

CommandRouter::Next CommandRouter::RunClientCommand(CommandArgs args) {
  resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
  const std::string sub = absl::AsciiStrToUpper(std::string(args[1]));
  const std::optional<int> arity = ArityOf(sub);
  bool failed = true;
  if (!arity.has_value()) {
    ReplyUnknownSubcommand(writer, args);
  } else if (*arity >= 0 ? args.size() != static_cast<size_t>(*arity)
                         : args.size() < static_cast<size_t>(-*arity)) {
    writer.Error(absl::StrCat("ERR wrong number of arguments for 'client|",
                              absl::AsciiStrToLower(sub), "' command"));
  } else if (sub == "LIST" || sub == "KILL") {
    return Next::kDeferred;
  } else {
    failed = false;
    if (sub == "ID") {
      writer.Integer(static_cast<int64_t>(client_id_));
    } else if (sub == "SETNAME") {
      if (!IsValidClientName(args[2])) {
        failed = true;
        writer.Error(kInvalidClientName);
      } else {
        set_name(args[2]);
        writer.Ok();
      }
    } else if (sub == "GETNAME") {
      if (name().empty()) {
        writer.NullBulk();
      } else {
        writer.Bulk(name());
      }
    } else if (sub == "INFO") {
      std::string line;
      AppendClientLine(&line);
      writer.Verbatim(line);
    } else if (sub == "NO-EVICT") {
      if (EqualsIgnoreCase(args[2], "ON") || EqualsIgnoreCase(args[2], "OFF")) {
        writer.Ok();
      } else {
        failed = true;
        writer.Error(kSyntaxError);
      }
    } else if (sub == "PAUSE") {
      int64_t timeout_ms = 0;
      const bool all = args.size() == 3 || EqualsIgnoreCase(args[3], "ALL");
      if (args.size() > 4) {
        failed = true;
        writer.Error(absl::StrCat(
            "ERR unknown subcommand or wrong number of arguments for '",
            ArgumentForError(args[1]), "'. Try CLIENT HELP."));
      } else if (!all && !EqualsIgnoreCase(args[3], "WRITE")) {
        failed = true;
        writer.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      } else if (!ParseInt64(args[2], &timeout_ms)) {
        failed = true;
        writer.Error("ERR timeout is not an integer or out of range");
      } else if (timeout_ms < 0) {
        failed = true;
        writer.Error("ERR timeout is negative");
      } else {
        const int64_t now_ms = absl::ToUnixMillis(absl::Now());
        const int64_t end_ms =
            timeout_ms > INT64_MAX - now_ms ? INT64_MAX : now_ms + timeout_ms;
        shards_.Pause(end_ms, all, now_ms);
        writer.Ok();
      }
    } else if (sub == "UNPAUSE") {
      shards_.Unpause();
      writer.Ok();
    } else if (sub == "REPLY") {
      // OFF and SKIP are not answered; ON is, even after OFF.
      if (EqualsIgnoreCase(args[2], "ON")) {
        reply_off_ = false;
        queue_.set_muted(false);
        resp::ReplyWriter(queue_.LocalSink(), protocol_).Ok();
      } else if (EqualsIgnoreCase(args[2], "OFF")) {
        reply_off_ = true;
      } else if (EqualsIgnoreCase(args[2], "SKIP")) {
        skip_next_reply_ = true;
      } else {
        failed = true;
        writer.Error(kSyntaxError);
      }
      muting_ = reply_off_ || skip_next_reply_;
    } else if (sub == "GETREDIR") {
      writer.Integer(-1);  // no tracking
    } else if (sub == "TRACKINGINFO") {
      writer.MapHeader(3);
      writer.Bulk("flags");
      writer.SetHeader(1);
      writer.Bulk("off");
      writer.Bulk("redirect");
      writer.Integer(-1);
      writer.Bulk("prefixes");
      writer.ArrayHeader(0);
    } else if (sub == "HELP") {
      writer.ArrayHeader(std::size(kHelp));
      for (std::string_view line : kHelp) writer.SimpleString(line);
    } else {
      failed = true;
      writer.Error(
          absl::StrCat("ERR CLIENT ", sub, " is not supported by shardd"));
    }
  }
  // (CountRan counts a failure as an error reply.)
  CountRan("client", failed);
  return Next::kContinue;
}

Task<std::string> CommandRouter::RunClientOnEveryShard(CommandArgs args) {
  std::string out;
  resp::ReplyWriter writer(&out, protocol_);
  const bool list = EqualsIgnoreCase(args[1], "LIST");
  // The old form: CLIENT KILL <ip:port>, +OK or an error.
  const bool old_kill = !list && args.size() == 3;
  ClientFilter filter;
  const std::string error = list ? ParseListFilter(args, &filter)
                            : old_kill
                                ? std::string()
                                : ParseKillFilter(args, client_id_, &filter);
  if (!error.empty()) {
    writer.Error(error);
    co_return out;
  }
  if (old_kill) filter.addr = std::string(args[2]);
  // Each shard's lines, or its count of clients killed.
  struct Found {
    std::string lines;
    int64_t killed = 0;
  };
  std::vector<uint32_t> every_shard(shards_.shard_count());
  std::iota(every_shard.begin(), every_shard.end(), 0);
  const std::vector<Found> by_shard = co_await InvokeOnEach(
      std::move(every_shard), [this, &filter, list](uint32_t) {
        Found found;
        for (const auto& [id, client] : shards_.Local().clients) {
          if (!Matches(filter, *client)) continue;
          if (list) {
            client->AppendClientLine(&found.lines);
          } else {
            client->Kill(/*self=*/client == this);
            ++found.killed;
          }
        }
        return found;
      });
  std::string lines;
  int64_t killed = 0;
  for (const Found& found : by_shard) {
    lines += found.lines;
    killed += found.killed;
  }
  if (list) {
    writer.Verbatim(lines);
  } else if (!old_kill) {
    writer.Integer(killed);
  } else if (killed == 0) {
    writer.Error("ERR No such client");
  } else {
    writer.Ok();
  }
  co_return out;
}

}  // namespace shardd::kv
