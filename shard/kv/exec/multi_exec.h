// MULTI / EXEC / DISCARD / WATCH / UNWATCH: one connection's transaction,
// with Redis 7.0's semantics. Commands after MULTI are checked (name,
// arity) and queued; EXEC runs them all as one isolated step: every key
// they name, and every key the connection WATCHes, is locked on its owner
// (transaction.h), the watched keys' versions are checked there (any
// change, by anyone, since WATCH: EXEC answers nil), and the commands run
// in order while no other client can touch those keys. A runtime error in
// one command does not undo the others, as in Redis.
//
//   MultiState state(&router);                 // one per connection
//   co_await WatchKeys(shards, state, keys);   // WATCH k1 k2
//   state.Begin(); state.Queue(args); ...      // MULTI, then +QUEUED each
//   std::string reply = co_await RunExec(shards, server, client_id, state);
//
// Keys a command finds only while it runs (a Lua script's, SORT ... BY
// patterns) would use the same lock table: lock what is known, run until
// an unknown key is met, and if it is not held, release everything and
// retry with the larger key set (docs/architecture.md).
#ifndef SHARDD_SHARD_KV_EXEC_MULTI_EXEC_H_
#define SHARDD_SHARD_KV_EXEC_MULTI_EXEC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/watch_table.h"
#include "shard/task.h"

namespace shardd::kv {

// What EXEC asks of its connection for the queued commands that change
// the connection's subscriptions ((P|S)(UN)SUBSCRIBE), which Redis runs in
// order with the rest: the connection (CommandRouter) holds them.
class SubscriptionHost {
 public:
  // Runs `spec`, one of those commands, writing its replies to `out`.
  virtual void RunSubscription(const CommandSpec& spec, CommandArgs args,
                               resp::Protocol protocol, std::string* out) = 0;
  // Subscribed to anything now (a RESP2 PING then answers as a message).
  virtual bool Subscribed() const = 0;

 protected:
  ~SubscriptionHost() = default;
};

class MultiState {
 public:
  explicit MultiState(SubscriptionHost* subscriptions)
      : subscriptions_(subscriptions) {}
  SubscriptionHost& subscriptions() const { return *subscriptions_; }

  struct Watched {
    std::string key;
    uint32_t db;
    uint32_t shard;
    WatchTable::Mark mark;
  };

  bool active() const { return active_; }
  // MULTI, in the connection's database `db`.
  void Begin(uint32_t db) {
    active_ = true;
    queue_db_ = db;
    exec_db_ = db;
  }
  // A queued command: its arguments are copied. It will run in the
  // database the queue is in now.
  void Queue(const CommandSpec& spec, CommandArgs args);
  // A SELECT queued: the commands queued after it run in `db`.
  void set_queue_db(uint32_t db) { queue_db_ = db; }
  // The connection's database once EXEC has run (SELECTs in it ran, and
  // set it).
  uint32_t exec_db() const { return exec_db_; }
  void set_exec_db(uint32_t db) { exec_db_ = db; }
  // What the queue and the watched keys hold, in bytes (bounded by the
  // router: CommandRouter::set_transaction_limit).
  size_t bytes() const { return bytes_; }
  static size_t BytesOf(CommandArgs args);
  // A command refused while queueing (unknown, wrong arity): EXEC aborts.
  void Fail() { failed_ = true; }
  // EXEC or DISCARD: the queue and the failure go; the watches stay until
  // UnwatchAll.
  void End();

  bool failed() const { return failed_; }
  // The protocol EXEC's replies are written in: the client's at EXEC.
  resp::Protocol protocol() const { return protocol_; }
  void set_protocol(resp::Protocol protocol) { protocol_ = protocol; }
  struct Queued {
    const CommandSpec* spec;
    std::vector<std::string> args;
    uint32_t db;
  };
  const std::vector<Queued>& queued() const { return queued_; }

  std::vector<Watched>& watched() { return watched_; }

 private:
  SubscriptionHost* subscriptions_;
  bool active_ = false;
  bool failed_ = false;
  resp::Protocol protocol_ = resp::Protocol::kResp2;
  uint32_t queue_db_ = 0;
  uint32_t exec_db_ = 0;
  std::vector<Queued> queued_;
  std::vector<Watched> watched_;
  size_t bytes_ = 0;
  friend Task<void> WatchKeys(KvShards&, MultiState&, CommandArgs, uint32_t);
  friend void UnwatchAll(KvShards&, MultiState&);
};

// WATCH: registers each key (not yet watched by this connection) on its
// owner and remembers its version there.
Task<void> WatchKeys(KvShards& shards, MultiState& state, CommandArgs keys,
                     uint32_t db);

// UNWATCH (and EXEC, DISCARD, a closing connection): forgets every watch,
// by messages to the owners that are not awaited.
void UnwatchAll(KvShards& shards, MultiState& state);

// EXEC when everything it touches is on this shard and nobody holds any
// of it (one shard, or keys sharing a {hash tag}): runs it right here,
// without suspending, which no other client can interleave with; appends
// the reply to `out`. False if it cannot (nothing done): then RunExec.
bool TryExecHere(KvShards& shards, ServerView& server, uint64_t client_id,
                 MultiState& state, std::string* out);

// EXEC: the reply (an array of the commands' replies, nil if a watched key
// changed, -EXECABORT if queueing failed); ends the transaction and its
// watches.
Task<std::string> RunExec(KvShards& shards, ServerView& server,
                          uint64_t client_id, MultiState& state);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_MULTI_EXEC_H_
