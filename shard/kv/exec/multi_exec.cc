#include "shard/kv/exec/multi_exec.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/db_key.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/publish.h"
#include "shard/kv/exec/reply_merger.h"
#include "shard/kv/exec/transaction.h"
#include "shard/kv/persist/log_block.h"
#include "shard/message.h"
#include "shard/reactor.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kExecAbort =
    "-EXECABORT Transaction discarded because of previous errors.\r\n";

// Carries one owner's share of an UNWATCH; frees itself there.
class UnwatchMessage final : public Message {
 public:
  UnwatchMessage(KvShards& shards, std::vector<std::string> keys)
      : shards_(shards), keys_(std::move(keys)) {}
  void Run() override {
    for (const std::string& key : keys_) shards_.Local().watches.Unwatch(key);
    delete this;
  }

 private:
  KvShards& shards_;
  std::vector<std::string> keys_;
};

// Lent to the lock hooks: each owner says whether one of its watched keys
// changed (a byte per shard, each written by its own shard only).
struct WatchCheck {
  KvShards* shards;
  const std::vector<MultiState::Watched>* watched;
  std::vector<uint8_t> changed;
};

void CheckWatches(void* context, Transaction::Part& part) {
  WatchCheck& check = *static_cast<WatchCheck*>(context);
  KvShard& local = check.shards->Local();
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (const MultiState::Watched& watched : *check.watched) {
    if (watched.shard != part.shard()) continue;
    const bool exists =
        local.dbs.Db(watched.db).PeekUncounted(watched.key, now_ms) != nullptr;
    if (local.watches.Changed(DbKey(watched.db, watched.key).view(),
                              watched.mark, exists)) {
      check.changed[part.shard()] = 1;
    }
  }
}

// EXEC's quick way, when nothing is watched and every queued command names
// keys of one shard or none: each owner runs its commands, in order, as
// soon as it holds their keys (as a split command's parts do: the keys stay
// locked until all have run, so no one sees part of the transaction).
// Commands on different owners touch different keys, so running one
// owner's before another's changes nothing a client can see.
struct ExecAtGrant {
  KvShards* shards;
  const std::vector<MultiState::Queued>* queued;
  std::vector<std::vector<size_t>> by_shard;  // command indices per owner
  std::vector<std::string>* replies;          // one per command
  resp::Protocol protocol;
  // With writes on several owners, each owner's commands are one block of
  // `tx`, numbered by block_index (per shard).
  TxLog tx;
  std::vector<uint32_t> block_index;
};

bool AnyWrite(const std::vector<MultiState::Queued>& queued) {
  return std::any_of(queued.begin(), queued.end(), [](const auto& q) {
    return (q.spec->flags & kWrite) != 0;
  });
}

void RunOwnedCommands(void* context, Transaction::Part& part) {
  ExecAtGrant& plan = *static_cast<ExecAtGrant*>(context);
  if (plan.by_shard[part.shard()].empty()) return;
  // One owner alone writes a plain MULTI/EXEC block.
  LogBlock block(plan.shards->Local().log,
                 plan.tx.id.empty() ? nullptr : &plan.tx,
                 plan.tx.id.empty() ? 0 : plan.block_index[part.shard()]);
  std::vector<std::string_view> args;
  for (size_t i : plan.by_shard[part.shard()]) {
    const MultiState::Queued& queued = (*plan.queued)[i];
    args.assign(queued.args.begin(), queued.args.end());
    // A read's part may run twice (Transaction::LockAtOnce): the second
    // reply replaces the first.
    (*plan.replies)[i].clear();
    ExecuteHere(*plan.shards, *queued.spec, args, queued.db,
                &(*plan.replies)[i], plan.protocol);
  }
}

// The owner of each queued command's keys (kNoOwner: it names none and runs
// at home), or false if one of them spans shards or the keyspace.
constexpr uint32_t kNoOwner = UINT32_MAX;
bool OwnerOfEach(KvShards& shards,
                 const std::vector<MultiState::Queued>& queued,
                 std::vector<uint32_t>* owners) {
  std::vector<size_t> positions;
  for (const MultiState::Queued& q : queued) {
    uint32_t owner = kNoOwner;
    if (q.spec->handler != nullptr) {
      const std::vector<std::string_view> args(q.args.begin(), q.args.end());
      if (q.spec->keys == KeyLayout::kEveryShard ||
          q.spec->keys == KeyLayout::kScanCursor ||
          DiscoversKeys(*q.spec, args, shards.shard_count())) {
        return false;
      }
      positions.clear();
      FindKeyPositions(*q.spec, args, &positions);
      for (size_t position : positions) {
        const uint32_t s =
            ShardSet::OwnerOf(args[position], shards.shard_count());
        if (owner != kNoOwner && owner != s) return false;
        owner = s;
      }
    }
    owners->push_back(owner);
  }
  return true;
}

// A queued command that needs no other shard and does not suspend: UNWATCH,
// a session command, or a store command on no keys or on this shard's.
// Appends its reply to `out`. A write is logged as the next piece of `log`
// if there is one.
void RunHere(KvShards& shards, ServerView& server, uint64_t client_id,
             const MultiState::Queued& queued, MultiState& state,
             std::string* out, TxLog* log = nullptr) {
  const resp::Protocol protocol = state.protocol();
  const CommandSpec& spec = *queued.spec;
  const std::vector<std::string_view> args(queued.args.begin(),
                                           queued.args.end());
  resp::ReplyWriter writer(out, protocol);
  const size_t reply_at = out->size();
  const uint64_t started_ns = stats::MonotonicNanos();
  if (spec.tx == TxControl::kUnwatch) {  // EXEC unwatches anyway
    writer.Ok();
  } else if (spec.session != nullptr) {
    SessionContext ctx{.reply = writer,
                       .args = args,
                       .client_id = client_id,
                       .server = server,
                       .protocol = protocol,
                       .db = state.exec_db()};
    spec.session(ctx);
    state.set_exec_db(ctx.db);  // a SELECT
    // A HELLO queued here switches the protocol at once, as in Redis (the
    // router takes it from the state when EXEC ends).
    state.set_protocol(ctx.protocol);
  } else if (log != nullptr && (spec.flags & kWrite) != 0) {
    LogBlock block(shards.Local().log, log, log->next_index++);
    ExecuteHere(shards, spec, args, queued.db, out, protocol);
  } else {
    ExecuteHere(shards, spec, args, queued.db, out, protocol);
  }
  // (ExecuteHere counts the commands it runs.)
  if (spec.tx == TxControl::kUnwatch || spec.session != nullptr) {
    shards.Local().stats.CountReplied(spec.name, started_ns,
                                      std::string_view(*out).substr(reply_at));
  }
}

// One queued command, its keys already held; its writes are pieces of
// `log`, the EXEC's transaction.
Task<std::string> RunQueued(KvShards& shards, ServerView& server,
                            uint64_t client_id,
                            const MultiState::Queued& queued, MultiState& state,
                            TxLog* log) {
  const resp::Protocol protocol = state.protocol();
  const CommandSpec& spec = *queued.spec;
  const std::vector<std::string_view> args(queued.args.begin(),
                                           queued.args.end());
  const uint32_t db = queued.db;
  std::string reply;
  // What ExecuteHere and RunHere do not count: commands run here, counted
  // from start to reply as the router counts them outside a transaction.
  const uint64_t started_ns = stats::MonotonicNanos();
  const auto counted = [&shards, &spec, started_ns](std::string reply) {
    shards.Local().stats.CountReplied(spec.name, started_ns, reply);
    return reply;
  };
  if (spec.waiting_session != nullptr) {
    co_return counted(
        co_await spec.waiting_session(server, args, protocol, db));
  }
  if (spec.router_op == RouterOp::kPublish ||
      spec.router_op == RouterOp::kSPublish) {
    const int64_t receivers = co_await PublishEverywhere(
        shards, args[1], args[2], spec.router_op == RouterOp::kSPublish);
    resp::ReplyWriter(&reply, protocol).Integer(receivers);
    co_return counted(std::move(reply));
  }
  if (spec.router_op == RouterOp::kPubSub) {
    co_return counted(co_await RunPubSub(shards, args, protocol));
  }
  if (spec.router_op == RouterOp::kSSubscribe) {
    // Redis's text: EXEC's client may not block, and SSUBSCRIBE counts.
    resp::ReplyWriter(&reply, protocol)
        .Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    co_return counted(std::move(reply));
  }
  if (ChangesSubscriptions(spec.router_op)) {
    state.subscriptions().RunSubscription(spec, args, protocol, &reply);
    co_return counted(std::move(reply));
  }
  if (spec.name == "ping" && args.size() <= 2 &&
      protocol == resp::Protocol::kResp2 &&
      state.subscriptions().Subscribed()) {
    // As a subscribed RESP2 client's PING outside a transaction.
    resp::ReplyWriter writer(&reply, protocol);
    writer.ArrayHeader(2);
    writer.Bulk("pong");
    writer.Bulk(args.size() == 2 ? args[1] : std::string_view());
    co_return counted(std::move(reply));
  }
  if (spec.handler == nullptr || spec.keys == KeyLayout::kNone) {
    RunHere(shards, server, client_id, queued, state, &reply, log);
    co_return reply;
  }
  const bool writes = (spec.flags & kWrite) != 0;
  switch (spec.keys) {
    case KeyLayout::kEveryShard: {
      std::vector<std::string> replies(shards.shard_count());
      for (uint32_t s = 0; s < shards.shard_count(); ++s) {
        const uint32_t index = writes ? log->next_index++ : 0;
        replies[s] = co_await InvokeOn(
            s, [&shards, &spec, &args, db, log, writes, index, protocol] {
              std::string part;
              // Counted once, at home, as outside a transaction.
              const ShardFlag counted_at_home(shards.Local().counted_elsewhere);
              if (!writes) {
                ExecuteHere(shards, spec, args, db, &part, protocol);
              } else {
                LogBlock block(shards.Local().log, log, index);
                ExecuteHere(shards, spec, args, db, &part, protocol);
              }
              return part;
            });
      }
      ReplyMerger merger;
      merger.Merge(spec, replies, {}, 0, shards.Local().random, protocol,
                   &reply);
      co_return counted(std::move(reply));
    }
    case KeyLayout::kScanCursor: {
      uint64_t cursor = 0;
      const uint32_t here = Reactor::Current()->shard_id();
      uint32_t shard =
          ParseScanCursor(args[1], &cursor) ? ScanCursorShard(cursor) : here;
      if (shard >= shards.shard_count()) shard = here;
      co_return co_await InvokeOn(shard, [&shards, &spec, &args, db, protocol] {
        std::string part;
        ExecuteHere(shards, spec, args, db, &part, protocol);
        return part;
      });
    }
    case KeyLayout::kNone:  // run here, above
    case KeyLayout::kFirst:
    case KeyLayout::kAll:
    case KeyLayout::kPairs:
    case KeyLayout::kCustom:
      break;
  }
  std::vector<size_t> positions;
  FindKeyPositions(spec, args, &positions);
  if (positions.empty()) {  // malformed: the handler says how
    ExecuteHere(shards, spec, args, db, &reply, protocol);
    co_return reply;
  }
  co_return co_await RunHeld(shards, spec, args, db, std::move(positions), log,
                             protocol);
}

}  // namespace

size_t MultiState::BytesOf(CommandArgs args) {
  // Each argument's bytes and its std::string.
  size_t bytes = 0;
  for (std::string_view arg : args) bytes += arg.size() + sizeof(std::string);
  return bytes;
}

void MultiState::Queue(const CommandSpec& spec, CommandArgs args) {
  queued_.push_back(
      {&spec, std::vector<std::string>(args.begin(), args.end()), queue_db_});
  bytes_ += BytesOf(args);
}

void MultiState::End() {
  active_ = false;
  failed_ = false;
  for (const Queued& queued : queued_) {
    const std::vector<std::string_view> args(queued.args.begin(),
                                             queued.args.end());
    bytes_ -= BytesOf(args);
  }
  queued_.clear();
}

Task<void> WatchKeys(KvShards& shards, MultiState& state, CommandArgs keys,
                     uint32_t db) {
  for (std::string_view key : keys) {
    std::vector<MultiState::Watched>& watched = state.watched();
    if (std::any_of(watched.begin(), watched.end(),
                    [key, db](const MultiState::Watched& w) {
                      return w.key == key && w.db == db;
                    })) {
      continue;  // as Redis: watching a key twice is watching it once
    }
    const uint32_t owner = ShardSet::OwnerOf(key, shards.shard_count());
    const WatchTable::Mark mark = co_await InvokeOn(owner, [&shards, key, db] {
      KvShard& local = shards.Local();
      const int64_t now_ms = absl::ToUnixMillis(absl::Now());
      return local.watches.Watch(
          DbKey(db, key).view(),
          local.dbs.Db(db).PeekUncounted(key, now_ms) != nullptr);
    });
    watched.push_back({std::string(key), db, owner, mark});
    state.bytes_ += key.size() + sizeof(MultiState::Watched);
  }
}

void UnwatchAll(KvShards& shards, MultiState& state) {
  std::vector<MultiState::Watched>& watched = state.watched();
  if (watched.empty()) return;
  for (const MultiState::Watched& w : watched) {
    state.bytes_ -= w.key.size() + sizeof(MultiState::Watched);
  }
  Reactor& reactor = *Reactor::Current();
  std::vector<std::vector<std::string>> by_shard(shards.shard_count());
  for (MultiState::Watched& w : watched) {
    by_shard[w.shard].emplace_back(DbKey(w.db, w.key).view());
  }
  watched.clear();
  for (uint32_t s = 0; s < by_shard.size(); ++s) {
    if (by_shard[s].empty()) continue;
    if (s == reactor.shard_id()) {
      for (const std::string& key : by_shard[s])
        shards.Local().watches.Unwatch(key);
    } else {
      reactor.Send(s, new UnwatchMessage(shards, std::move(by_shard[s])));
    }
  }
}

bool TryExecHere(KvShards& shards, ServerView& server, uint64_t client_id,
                 MultiState& state, std::string* out) {
  KvShard& local = shards.Local();
  const uint32_t here = Reactor::Current()->shard_id();
  const uint32_t shard_count = shards.shard_count();
  for (const MultiState::Watched& watched : state.watched()) {
    if (watched.shard != here || local.locks.Queued(watched.key)) return false;
  }
  std::vector<size_t> positions;
  for (const MultiState::Queued& q : state.queued()) {
    // These suspend.
    if (q.spec->waiting_session != nullptr) return false;
    if (q.spec->router_op != RouterOp::kNone) return false;
    if (q.spec->handler == nullptr) continue;
    if (WholeShard(*q.spec)) {
      if (shard_count > 1 || !local.locks.empty()) return false;
      continue;
    }
    const std::vector<std::string_view> args(q.args.begin(), q.args.end());
    // Keys it reads beyond its own may be anywhere.
    if (DiscoversKeys(*q.spec, args, shard_count)) return false;
    positions.clear();
    FindKeyPositions(*q.spec, args, &positions);
    for (size_t position : positions) {
      if (ShardSet::OwnerOf(args[position], shard_count) != here ||
          local.locks.Queued(args[position])) {
        return false;
      }
    }
  }
  resp::ReplyWriter writer(out, state.protocol());
  if (state.failed()) {
    ++local.stats.transactions_aborted;
    out->append(kExecAbort);
  } else if (std::any_of(state.watched().begin(), state.watched().end(),
                         [&](const MultiState::Watched& w) {
                           const bool exists =
                               local.dbs.Db(w.db).PeekUncounted(
                                   w.key, absl::ToUnixMillis(absl::Now())) !=
                               nullptr;
                           return local.watches.Changed(
                               DbKey(w.db, w.key).view(), w.mark, exists);
                         })) {
    ++local.stats.transactions_aborted;
    writer.NullArray();
  } else {
    ++local.stats.transactions_committed;
    const ServeAfter serve_after(shards);
    LogBlock block(local.log);  // all here: a plain MULTI/EXEC
    writer.ArrayHeader(state.queued().size());
    for (const MultiState::Queued& q : state.queued()) {
      RunHere(shards, server, client_id, q, state, out);
    }
  }
  UnwatchAll(shards, state);
  state.End();
  return true;
}

Task<std::string> RunExec(KvShards& shards, ServerView& server,
                          uint64_t client_id, MultiState& state) {
  stats::CommandStats& stats = shards.Local().stats;
  if (state.failed()) {
    ++stats.transactions_aborted;
    state.End();
    UnwatchAll(shards, state);
    co_return std::string(kExecAbort);
  }
  // Every key the queued commands name, and every watched key, is locked.
  std::vector<std::string_view> keys;
  std::vector<size_t> positions;
  for (const MultiState::Queued& queued : state.queued()) {
    if (queued.spec->handler == nullptr) continue;
    const std::vector<std::string_view> args(queued.args.begin(),
                                             queued.args.end());
    positions.clear();
    FindKeyPositions(*queued.spec, args, &positions);
    for (size_t position : positions) keys.push_back(queued.args[position]);
  }
  for (const MultiState::Watched& watched : state.watched()) {
    keys.push_back(watched.key);
  }
  const std::vector<MultiState::Queued>& queued = state.queued();
  // A command over the whole keyspace (DBSIZE, FLUSHALL, KEYS, SCAN), or
  // one that reads keys its arguments do not name (SORT ... BY), makes the
  // transaction lock every shard whole.
  const bool whole =
      std::any_of(queued.begin(), queued.end(), [&shards](const auto& q) {
        const std::vector<std::string_view> args(q.args.begin(), q.args.end());
        return q.spec->handler != nullptr &&
               (WholeShard(*q.spec) ||
                DiscoversKeys(*q.spec, args, shards.shard_count()));
      });
  Transaction tx =
      whole ? Transaction(shards, Transaction::WholeShards{shards.AllShards()})
            : Transaction(shards, keys);
  std::vector<uint32_t> owners;
  // (A session command, HELLO say, or a subscription may change how later
  // replies are written: such a transaction runs its commands in order,
  // below.)
  const bool any_session =
      std::any_of(queued.begin(), queued.end(), [](const auto& q) {
        return q.spec->session != nullptr ||
               ChangesSubscriptions(q.spec->router_op);
      });
  if (state.watched().empty() && !any_session &&
      OwnerOfEach(shards, queued, &owners)) {
    std::vector<std::string> replies(queued.size());
    ExecAtGrant plan{&shards, &queued,
                     std::vector<std::vector<size_t>>(shards.shard_count()),
                     &replies, state.protocol()};
    for (size_t i = 0; i < queued.size(); ++i) {
      if (owners[i] != kNoOwner) plan.by_shard[owners[i]].push_back(i);
    }
    uint32_t owners_used = 0;
    for (const auto& commands : plan.by_shard) {
      owners_used += commands.empty() ? 0 : 1;
    }
    if (owners_used > 1 && AnyWrite(queued)) {
      plan.tx = TxLog::Make(Reactor::Current()->shard_id(), owners_used);
      plan.block_index.assign(shards.shard_count(), 0);
      for (uint32_t s = 0; s < shards.shard_count(); ++s) {
        if (!plan.by_shard[s].empty()) {
          plan.block_index[s] = plan.tx.next_index++;
        }
      }
    }
    co_await tx.LockInFewestRounds(RunOwnedCommands, &plan,
                                   /*hooks_read=*/!AnyWrite(queued));
    // The rest name no key (PING, ECHO, ...): nothing to log.
    for (size_t i = 0; i < queued.size(); ++i) {
      if (owners[i] == kNoOwner) {
        replies[i] = co_await RunQueued(shards, server, client_id, queued[i],
                                        state, nullptr);
      }
    }
    tx.Release();
    ++stats.transactions_committed;
    std::string reply;
    resp::ReplyWriter(&reply).ArrayHeader(queued.size());
    for (const std::string& part : replies) reply += part;
    state.End();
    co_return reply;
  }
  WatchCheck check{&shards, &state.watched(),
                   std::vector<uint8_t>(shards.shard_count(), 0)};
  co_await tx.Lock(CheckWatches, &check);
  const bool changed = std::any_of(check.changed.begin(), check.changed.end(),
                                   [](uint8_t c) { return c != 0; });
  UnwatchAll(shards, state);
  std::string reply;
  if (changed) {
    ++stats.transactions_aborted;
    resp::ReplyWriter(&reply, state.protocol()).NullArray();
  } else {
    ++stats.transactions_committed;
    // Every write is a piece of one transaction in the logs, closed at
    // home once all have run.
    TxLog log = TxLog::Make(Reactor::Current()->shard_id(), /*total=*/0);
    resp::ReplyWriter(&reply).ArrayHeader(state.queued().size());
    for (const MultiState::Queued& queued : state.queued()) {
      reply +=
          co_await RunQueued(shards, server, client_id, queued, state, &log);
    }
    if (log.next_index > 0) CloseTxLog(shards.Local().log, log);
  }
  tx.Release();
  state.End();
  co_return reply;
}

}  // namespace shardd::kv
