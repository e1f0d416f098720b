#include "shard/kv/exec/command_router.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/monitor_line.h"
#include "shard/kv/exec/multi_exec.h"
#include "shard/kv/exec/publish.h"
#include "shard/kv/exec/router_shard_tables.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

// A MULTI queue or a set of watched keys past set_transaction_limit().
constexpr std::string_view kTransactionTooLarge =
    "ERR transaction exceeds client-query-buffer-limit";

bool IsBlocking(const CommandSpec& spec) {
  return (spec.flags & kBlocking) != 0;
}

}  // namespace

CommandRouter::CommandRouter(KvShards& shards, ServerView& server,
                             ReplyQueue& queue, uint64_t client_id)
    : shards_(shards),
      server_(server),
      queue_(queue),
      client_id_(client_id),
      here_(Reactor::Current()->shard_id()),
      authenticated_(!server.PasswordRequired()),
      created_ns_(stats::MonotonicNanos()),
      active_ns_(created_ns_) {
  shards_.Local().clients[client_id_] = this;
}

CommandRouter::~CommandRouter() {
  if (multi_ != nullptr) UnwatchAll(shards_, *multi_);
  UnsubscribeAll();
  shards_.Local().clients.erase(client_id_);
}

void CommandRouter::FeedMonitors(const CommandSpec& spec, CommandArgs args) {
  if (!ShownToMonitors(spec, args)) return;
  shards_.Local().notifier.FeedMonitors(
      MonitorLine(absl::ToUnixMicros(absl::Now()), db_, PeerAddress(), args));
}

void CommandRouter::set_name(std::string_view name) {
  if (name.empty()) {
    name_.reset();
  } else {
    name_ = std::make_unique<std::string>(name);
  }
}

MultiState& CommandRouter::Multi() {
  if (multi_ == nullptr) multi_ = std::make_unique<MultiState>(this);
  return *multi_;
}

CommandRouter::Next CommandRouter::RouteMuted(CommandArgs args) {
  skip_next_reply_ = false;
  queue_.set_muted(true);
  const Next next = RouteCommand(args);
  // (CLIENT REPLY ON unmuted the queue already, to send its own +OK.)
  queue_.set_muted(false);
  last_muted_ = true;
  muting_ = reply_off_ || skip_next_reply_;
  return next;
}

CommandRouter::Next CommandRouter::RouteCommand(CommandArgs args) {
  const CommandSpec* spec = finder_.Find(args[0]);
  if (spec == nullptr) {
    resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
    ReplyUnknownCommand(writer, args);
    ++shards_.Local().stats.errors;
    if (InMulti()) multi_->Fail();
    return Next::kContinue;
  }
  if (!ArityMatches(*spec, args.size())) {
    resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
    ReplyWrongArity(writer, spec->name);
    ++shards_.Local().stats.errors;
    if (InMulti()) multi_->Fail();
    return Next::kContinue;
  }
  if (!authenticated_ && (spec->flags & kNoAuth) == 0 &&
      server_.PasswordRequired()) {
    resp::ReplyWriter(queue_.LocalSink(), protocol_)
        .Error("NOAUTH Authentication required.");
    ++shards_.Local().stats.errors;
    return Next::kContinue;
  }
  if (subscribed() && protocol_ == resp::Protocol::kResp2 &&
      ReplyInSubscribedMode(*spec, args)) {
    return Next::kContinue;
  }
  if (monitoring_ && ((spec->flags & (kWrite | kReadonly)) != 0 ||
                      spec->router_op == RouterOp::kPublish ||
                      spec->router_op == RouterOp::kSPublish)) {
    // A monitor is a replica to Redis, which keeps it off the keyspace.
    resp::ReplyWriter(queue_.LocalSink(), protocol_)
        .Error("ERR Replica can't interact with the keyspace");
    ++shards_.Local().stats.errors;
    if (InMulti()) multi_->Fail();
    return Next::kContinue;
  }
  // (A monitor's RESET ends its monitoring before Redis would show it; a
  // SELECT shows in the database it selects, after it ran.)
  if (shards_.monitors() != 0 &&
      !(monitoring_ && spec->router_op == RouterOp::kReset) &&
      (spec->name != "select" || InMulti())) {
    FeedMonitors(*spec, args);
  }
  last_command_ = spec->name;
  if ((spec->flags & kWrite) != 0 || spec->tx == TxControl::kExec) {
    wrote_ = true;
  }
  if (spec->tx != TxControl::kNone && spec->tx != TxControl::kUnwatch) {
    return RunTransactionCommand(*spec, args);
  }
  // Inside MULTI every other command waits for EXEC; QUIT still quits,
  // RESET still resets.
  if (InMulti() && spec->name != "quit" &&
      spec->router_op != RouterOp::kReset) {
    resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
    if ((spec->flags & kNoMulti) != 0) {
      writer.Error("ERR Command not allowed inside a transaction");
      ++shards_.Local().stats.errors;
      multi_->Fail();
      return Next::kContinue;
    }
    if (multi_->bytes() + MultiState::BytesOf(args) > transaction_limit_) {
      writer.Error(kTransactionTooLarge);
      ++shards_.Local().stats.errors;
      multi_->Fail();
      return Next::kContinue;
    }
    multi_->Queue(*spec, args);
    int64_t db = 0;
    if (spec->name == "select" && ParseInt64(args[1], &db) && db >= 0 &&
        db < static_cast<int64_t>(shards_.Local().dbs.count())) {
      // The commands queued after it run in that database.
      multi_->set_queue_db(static_cast<uint32_t>(db));
    }
    writer.SimpleString("QUEUED");
    return Next::kContinue;
  }
  if (spec->tx == TxControl::kUnwatch)
    return RunTransactionCommand(*spec, args);
  if (spec->router_op != RouterOp::kNone) return RunRouterOp(*spec, args);
  if (spec->handler == nullptr) return RunSessionCommand(*spec, args);
  if (IsBlocking(*spec)) {
    key_positions_.clear();
    FindKeyPositions(*spec, args, &key_positions_);
    if (!key_positions_.empty()) return Next::kDeferred;
  }
  switch (spec->keys) {
    case KeyLayout::kNone:
      shards_.Local().running_client_id = client_id_;
      ExecuteHere(shards_, *spec, args, db_, queue_.LocalSink(), protocol_,
                  &clock_ns_);
      break;
    case KeyLayout::kFirst:
      return RunOn(ShardSet::OwnerOf(args[1], shards_.shard_count()), *spec,
                   args);
    case KeyLayout::kAll:
    case KeyLayout::kPairs:
    case KeyLayout::kCustom:
      return RunKeyed(*spec, args);
    case KeyLayout::kEveryShard:
      // Over several shards, one atomic step (atomic_command.h).
      if (shards_.shard_count() > 1 || !shards_.Local().locks.empty()) {
        return Next::kDeferred;
      }
      shards_.Local().running_client_id = client_id_;
      ExecuteHere(shards_, *spec, args, db_, queue_.LocalSink(), protocol_,
                  &clock_ns_);
      break;
    case KeyLayout::kScanCursor: {
      uint64_t cursor = 0;
      // An unreadable cursor is the handler's to reject, here; one past the
      // last shard is a finished scan, which this shard answers as such.
      const uint32_t shard = ParseScanCursor(args[1], &cursor)
                                 ? ScanCursorShard(cursor)
                                 : here_;
      return RunOn(shard < shards_.shard_count() ? shard : here_, *spec,
                   args);
    }
  }
  return Next::kContinue;
}

CommandRouter::Next CommandRouter::RunOn(uint32_t shard,
                                         const CommandSpec& spec,
                                         CommandArgs args) {
  if (shard == here_) {
    // A key held by a transaction: the command queues for it, in order.
    if (MustWaitForLocks(shards_.Local(), spec, args)) {
      key_positions_.clear();
      FindKeyPositions(spec, args, &key_positions_);
      return Next::kDeferred;
    }
    shards_.Local().running_client_id = client_id_;
    ExecuteHere(shards_, spec, args, db_, queue_.LocalSink(), protocol_,
                &clock_ns_);
    return Next::kContinue;
  }
  return RunOnOtherShard(shard, spec, args);
}

CommandRouter::Next CommandRouter::RunKeyed(const CommandSpec& spec,
                                            CommandArgs args) {
  key_positions_.clear();
  FindKeyPositions(spec, args, &key_positions_);
  // Malformed arguments: the handler rejects them, with Redis's error.
  if (key_positions_.empty()) {
    shards_.Local().running_client_id = client_id_;
    ExecuteHere(shards_, spec, args, db_, queue_.LocalSink(), protocol_,
                &clock_ns_);
    return Next::kContinue;
  }
  const uint32_t shard_count = shards_.shard_count();
  // It reads keys its arguments do not name, which may be anywhere.
  if (DiscoversKeys(spec, args, shard_count)) return Next::kDeferred;
  key_owners_.clear();
  bool one_owner = true;
  for (size_t i : key_positions_) {
    key_owners_.push_back(ShardSet::OwnerOf(args[i], shard_count));
    one_owner = one_owner && key_owners_.back() == key_owners_.front();
  }
  if (one_owner) return RunOn(key_owners_.front(), spec, args);
  // Keys on several shards: one atomic step (atomic_command.h), at once if
  // this thread runs them all.
  return RunSplitOnMates(spec, args) ? Next::kContinue : Next::kDeferred;
}

void CommandRouter::CountRan(std::string_view name, bool failed) {
  const uint64_t now_ns = stats::MonotonicNanos();
  const uint64_t started_ns = clock_ns_ != 0 ? clock_ns_ : now_ns;
  clock_ns_ = now_ns;
  shards_.Local().stats.CountCommand(name, now_ns - started_ns, failed);
}

CommandRouter::Next CommandRouter::RunSessionCommand(const CommandSpec& spec,
                                                     CommandArgs args) {
  if (spec.waiting_session != nullptr) return Next::kDeferred;
  std::string* sink = queue_.LocalSink();
  const size_t reply_at = sink->size();
  resp::ReplyWriter writer(sink, protocol_);
  SessionContext ctx{.reply = writer,
                     .args = args,
                     .client_id = client_id_,
                     .server = server_,
                     .protocol = protocol_,
                     .authenticated = authenticated_,
                     .db = db_};
  spec.session(ctx);
  CountRan(spec.name, sink->size() > reply_at && (*sink)[reply_at] == '-');
  set_protocol(ctx.protocol);
  db_ = ctx.db;
  if (spec.name == "select" && shards_.monitors() != 0) {
    FeedMonitors(spec, args);
  }
  authenticated_ = ctx.authenticated;
  if (ctx.new_name.has_value()) set_name(*ctx.new_name);
  return ctx.close ? Next::kClose : Next::kContinue;
}

CommandRouter::Next CommandRouter::RunTransactionCommand(
    const CommandSpec& spec, CommandArgs args) {
  KvShard& local = shards_.Local();
  resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
  std::string_view error;
  switch (spec.tx) {
    case TxControl::kMulti:
      if (InMulti()) {
        error = "ERR MULTI calls can not be nested";
        break;
      }
      Multi().Begin(db_);
      ++local.stats.transactions_started;
      writer.Ok();
      break;
    case TxControl::kExec: {
      if (!InMulti()) {
        error = "ERR EXEC without MULTI";
        break;
      }
      multi_->set_protocol(protocol_);
      const bool aborted = multi_->failed();  // -EXECABORT
      if (TryExecHere(shards_, server_, client_id_, *multi_,
                      queue_.LocalSink())) {
        CountRan(spec.name, aborted);
        set_protocol(multi_->protocol());  // a HELLO inside
        db_ = multi_->exec_db();           // a SELECT inside
        return Next::kContinue;
      }
      deferred_exec_ = true;
      return Next::kDeferred;
    }
    case TxControl::kDiscard:
      if (!InMulti()) {
        error = "ERR DISCARD without MULTI";
        break;
      }
      multi_->End();
      UnwatchAll(shards_, *multi_);
      ++local.stats.transactions_aborted;
      writer.Ok();
      break;
    case TxControl::kWatch:
      if (InMulti()) {
        error = "ERR WATCH inside MULTI is not allowed";
        break;
      }
      if (multi_ != nullptr &&
          multi_->bytes() + MultiState::BytesOf(args) > transaction_limit_) {
        error = kTransactionTooLarge;
        break;
      }
      return Next::kDeferred;
    case TxControl::kUnwatch:
      if (multi_ != nullptr) UnwatchAll(shards_, *multi_);
      writer.Ok();
      break;
    case TxControl::kNone:
      break;
  }
  if (!error.empty()) writer.Error(error);
  CountRan(spec.name, /*failed=*/!error.empty());
  return Next::kContinue;
}

Task<std::string> CommandRouter::RunDeferred(CommandArgs args) {
  const CommandSpec& spec = *FindCommand(args[0]);
  // The commands the router runs itself are counted here, from start to
  // reply (waits for other shards included); the rest are counted by each
  // owner that runs them (ExecuteHere).
  const uint64_t started_ns = stats::MonotonicNanos();
  std::string reply;
  bool ran_here = true;
  if (spec.router_op == RouterOp::kPublish ||
      spec.router_op == RouterOp::kSPublish) {
    const int64_t receivers = co_await PublishEverywhere(
        shards_, args[1], args[2], spec.router_op == RouterOp::kSPublish);
    resp::ReplyWriter(&reply, protocol_).Integer(receivers);
  } else if (spec.router_op == RouterOp::kPubSub) {
    reply = co_await RunPubSub(shards_, args, protocol_);
  } else if (spec.router_op == RouterOp::kClient) {
    reply = co_await RunClientOnEveryShard(args);
  } else if (spec.tx == TxControl::kExec) {
    reply = co_await RunExec(shards_, server_, client_id_, *multi_);
    set_protocol(multi_->protocol());  // a HELLO inside
    db_ = multi_->exec_db();           // a SELECT inside
  } else if (spec.tx == TxControl::kWatch) {
    co_await WatchKeys(shards_, Multi(), args.subspan(1), db_);
    reply = "+OK\r\n";
  } else if (spec.waiting_session != nullptr) {
    reply = co_await spec.waiting_session(server_, args, protocol_, db_);
  } else {
    ran_here = false;
  }
  if (ran_here) {
    shards_.Local().stats.CountReplied(spec.name, started_ns, reply);
    co_return reply;
  }
  if (IsBlocking(spec)) {
    co_return co_await RunBlocking(shards_, spec, args, db_, key_positions_,
                                   protocol_, client_socket(), &blocked_);
  }
  if (spec.keys == KeyLayout::kEveryShard) {
    co_return co_await RunOnWholeShards(shards_, spec, args, db_,
                                        shards_.AllShards(), protocol_);
  }
  if (spec.keys == KeyLayout::kScanCursor) {  // its shard is this one
    co_return co_await RunOnWholeShards(
        shards_, spec, args, db_, std::vector<uint32_t>(1, here_), protocol_);
  }
  // Route() left the key positions of this command in key_positions_.
  co_return co_await RunAtomically(shards_, spec, args, db_, key_positions_,
                                   protocol_);
}

}  // namespace shardd::kv
