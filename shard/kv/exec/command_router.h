// CommandRouter: decides where one parsed command runs and makes sure its
// reply lands in the connection's ReplyQueue in request order.
//
//   CommandRouter router(shards, server, queue, client_id);
//   switch (router.Route(args)) { case Next::kContinue: ... }
//
// A command whose keys are all owned by this shard runs right here, as a plain
// function call (no suspension, no allocation), unless one of its keys is
// locked (then it is deferred, to queue for the key). The commands of a batch
// owned by one other shard travel there together as one HopBatch, sent when
// the session settles (Settle) or once it holds kMaxBatched. A command whose
// keys span shards, and a whole-keyspace command (DBSIZE, FLUSHALL, KEYS)
// when there are several shards, are deferred, to run as one atomic step
// (atomic_command.h). Commands about the connection or the server (QUIT,
// HELLO, COMMAND, ...) run their session handler here; MULTI/EXEC/WATCH act
// on the connection's transaction (multi_exec.h).
#ifndef SHARDD_SHARD_KV_EXEC_COMMAND_ROUTER_H_
#define SHARDD_SHARD_KV_EXEC_COMMAND_ROUTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/connection.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/hop_batch.h"
#include "shard/kv/exec/hop_credit.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/multi_exec.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/pubsub/subscriber.h"
#include "shard/task.h"

namespace shardd::kv {

class CommandRouter final : public SubscriptionHost {
 public:
  enum class Next {
    kContinue,  // the reply is written or on its way
    kClose,     // reply written; close the connection after sending it
    kDeferred,  // the session must co_await RunDeferred(args) for the reply
  };

  CommandRouter(KvShards& shards, ServerView& server, ReplyQueue& queue,
                uint64_t client_id);
  ~CommandRouter();

  Next Route(CommandArgs args) {
    deferred_exec_ = false;
    if (!muting_) {
      last_muted_ = false;
      return RouteCommand(args);
    }
    return RouteMuted(args);
  }
  // Whether CLIENT PAUSE in `all` mode or not holds this command back (in
  // WRITE mode: writes, PUBLISH, and an EXEC that queued a write).
  bool HeldByPause(CommandArgs args, bool all) const;
  // Whether the reply of the command Route() just routed is to be dropped
  // (CLIENT REPLY OFF or SKIP): the session drops a deferred one.
  bool last_muted() const { return last_muted_; }
  // Whether the command Route() just deferred is an EXEC: it never waits
  // for another client, so a subscriber's messages stay held while it
  // runs, and one to a channel it subscribes to comes after its reply.
  bool deferred_exec() const { return deferred_exec_; }

  // Sends the commands owners refused for lack of credit again (see
  // hop_credit.h), once the replies before them have been sent.
  void ResendRefused();
  // The connection ends: refused commands will not be sent again.
  void DropRefused();

  // Sends the batches still being filled, then waits as queue.Settle():
  // the session settles through the router, never the queue directly.
  ReplyQueue::SettleAwaiter Settle() {
    Flush();
    return queue_.Settle();
  }

  // The most a MULTI's queue and the WATCHed keys may hold, in bytes: past
  // it a queued command is refused (and EXEC aborts), or WATCH fails.
  void set_transaction_limit(size_t bytes) { transaction_limit_ = bytes; }

  // Commands in one HopBatch at most: one -P 16 batch, which is also as
  // many keys as the owner prefetches at once.
  static constexpr size_t kMaxBatched = 16;

  // Starts a batch at `now_ns` (a stats::MonotonicNanos() reading): the next
  // local command's time runs from there, each later one's from the end of
  // the one before (see ExecuteHere). The session calls it after every wait.
  void StartBatch(uint64_t now_ns) {
    clock_ns_ = now_ns;
    active_ns_ = now_ns;
  }

  // The reply of a command Route() deferred: a waiting session command
  // (INFO), a blocking command, EXEC or WATCH, a command whose keys span
  // shards, or one that meets a locked key. The session awaits it after every
  // earlier reply has arrived, and routes nothing else meanwhile, so that the
  // connection's commands still take effect in order. A blocking command
  // watches the connection's socket (set_connection) for a hang-up while it
  // waits.
  Task<std::string> RunDeferred(CommandArgs args);

  // Whether a write (or EXEC) was routed since ClearWrote(): its reply may
  // have to wait for the log (durability_fence.h) before it is sent.
  bool wrote() const { return wrote_; }
  void ClearWrote() { wrote_ = false; }

  // While its command waits for a CLIENT PAUSE to end (and, set by
  // RunBlocking, for a key): CLIENT LIST's flag "b", as in Redis.
  void set_blocked(bool on) { blocked_ = on; }

  // The log's replay is no client: nothing it sends waits for AUTH.
  void MarkAuthenticated() { authenticated_ = true; }

  // The protocol the connection speaks (HELLO switches it).
  resp::Protocol protocol() const { return protocol_; }
  // The connection's database (SELECT switches it).
  uint32_t db() const { return db_; }

  // The connection's pub/sub state, made by its first (P|S)SUBSCRIBE (null
  // before): the session sends through it from then on, and a pusher
  // shares it (pubsub/subscriber.h).
  const std::shared_ptr<Subscriber>& subscriber() const { return subscriber_; }
  // Subscribed to anything: RESP2 allows only the pub/sub commands, PING,
  // QUIT and RESET, and --timeout does not apply.
  bool subscribed() const {
    return subscriber_ != nullptr && subscriber_->subscribed();
  }
  // SubscriptionHost: what EXEC asks for a queued (P|S)(UN)SUBSCRIBE.
  void RunSubscription(const CommandSpec& spec, CommandArgs args,
                       resp::Protocol protocol, std::string* out) override;
  bool Subscribed() const override { return subscribed(); }
  // Subscribed or monitoring: --timeout does not apply, as in Redis.
  bool exempt_from_timeout() const { return subscribed() || monitoring_; }
  // The connection (null: none, as the log's replay): its socket, which
  // its Subscriber shuts down past the pub/sub output limits, CLIENT KILL
  // ends and a blocked or paused command watches; its addresses.
  void set_connection(net::Connection* connection) { connection_ = connection; }
  net::SocketId client_socket() const {
    return connection_ != nullptr ? connection_->socket() : net::SocketId{};
  }

  // CLIENT LIST's fields for this connection (client_command.cc), on its
  // shard.
  uint64_t client_id() const { return client_id_; }
  std::string_view name() const {
    return name_ != nullptr ? std::string_view(*name_) : std::string_view();
  }
  void set_name(std::string_view name);
  // "ip:port" of the client and of the server's end ("" with none).
  std::string PeerAddress() const;
  std::string LocalAddress() const;
  void AppendClientLine(std::string* out) const;
  // CLIENT KILL: the session sees its socket end and closes. A connection
  // that kills itself (`self`) still gets the reply: only its input ends.
  void Kill(bool self) const;

 private:
  // Counts a command the router ran itself (a session command, MULTI, a
  // subscription, ...), timed as ExecuteHere times one: from the end of the
  // batch's last command to now.
  void CountRan(std::string_view name, bool failed);

  Next RouteCommand(CommandArgs args);
  // Route() while CLIENT REPLY mutes replies.
  Next RouteMuted(CommandArgs args);
  // Runs a command whose keys `shard` owns: here, or on a thread mate
  // (Reactor::ThreadMate) at once as if here, or by a hop. A thread mate's
  // command still hops when one sent earlier is out there (it would
  // overtake it) or a transaction holds one of its keys there (it queues).
  Next RunOn(uint32_t shard, const CommandSpec& spec, CommandArgs args);
  // RunOn for a shard other than this one (command_router_hops.cc).
  Next RunOnOtherShard(uint32_t shard, const CommandSpec& spec,
                       CommandArgs args);
  // Whether commands of this connection sent to `shard` are not all back,
  // or the owner refuses them until a retried one arrives (hop_credit.h).
  bool HopsOutTo(uint32_t shard) const;
  // A split command (MGET, MSET, DEL, ...) over keys of several shards
  // that all run on this thread, none with a command of this connection out
  // or a key held: runs every part at once, an atomic step because nothing
  // else runs on the thread meanwhile (RunSplitInThread). False otherwise:
  // it must be deferred. Uses key_positions_ and key_owners_.
  bool RunSplitOnMates(const CommandSpec& spec, CommandArgs args);
  Next RunKeyed(const CommandSpec& spec, CommandArgs args);
  Next RunSessionCommand(const CommandSpec& spec, CommandArgs args);
  // MULTI, EXEC, DISCARD, WATCH, UNWATCH (multi_exec.h).
  Next RunTransactionCommand(const CommandSpec& spec, CommandArgs args);
  // Pub/sub and RESET (command_router_pubsub.cc).
  Next RunRouterOp(const CommandSpec& spec, CommandArgs args);
  // Refuses what RESP2's subscribed mode does not allow, and answers its
  // PING; true if it replied.
  bool ReplyInSubscribedMode(const CommandSpec& spec, CommandArgs args);
  void Subscribe(SubscriptionKind kind, CommandArgs names,
                 resp::ReplyWriter& writer);
  void Unsubscribe(SubscriptionKind kind, CommandArgs names,
                   resp::ReplyWriter& writer);
  // CLIENT: the subcommands about this connection run here; LIST and KILL,
  // which ask every shard, are deferred (RunClientOnEveryShard).
  Next RunClientCommand(CommandArgs args);
  Task<std::string> RunClientOnEveryShard(CommandArgs args);
  // MONITOR: shows this command to every monitor, unless Redis would not
  // (admin commands; AUTH's arguments are redacted).
  void FeedMonitors(const CommandSpec& spec, CommandArgs args);
  // Every subscription of the connection goes (RESET, the end), and
  // monitoring too.
  void UnsubscribeAll();
  void Reset();
  void set_protocol(resp::Protocol protocol);
  bool InMulti() const { return multi_ != nullptr && multi_->active(); }
  // The transaction state, made at the first MULTI or WATCH.
  MultiState& Multi();
  // The per-shard tables, made at the connection's first hop: a connection
  // that never hops (and an idle one) holds none, and a small router keeps
  // the connection's coroutine frame small.
  struct ShardTables;
  ShardTables& Tables();
  // Adds a command (or a part) to the batch being filled for `shard`.
  void Enqueue(uint32_t shard, const CommandSpec& spec, CommandArgs args,
               const ReplyTarget& target);
  // Sends every batch being filled.
  void Flush();

  KvShards& shards_;
  ServerView& server_;
  ReplyQueue& queue_;
  const uint64_t client_id_;
  const uint32_t here_;
  std::unique_ptr<ShardTables> tables_;
  std::unique_ptr<MultiState> multi_;
  std::vector<size_t> key_positions_;
  std::vector<uint32_t> key_owners_;  // of the keys at key_positions_
  CommandFinder finder_;
  uint64_t clock_ns_ = 0;  // when the last local command ended, this batch
  size_t transaction_limit_ = SIZE_MAX;
  bool wrote_ = false;
  // Sent a good AUTH (or came while no password was set); a password set
  // later by CONFIG SET does not log it out, as in Redis.
  bool authenticated_;
  resp::Protocol protocol_ = resp::Protocol::kResp2;
  uint32_t db_ = 0;
  net::Connection* connection_ = nullptr;
  std::shared_ptr<Subscriber> subscriber_;
  // For CLIENT LIST: the name (CLIENT SETNAME; on the heap, as most
  // connections have none and each idle one holds this router), when the
  // connection came and last sent a batch (stats::MonotonicNanos()), its
  // last command.
  std::unique_ptr<std::string> name_;
  uint64_t created_ns_;
  uint64_t active_ns_;
  std::string_view last_command_ = "NULL";
  // CLIENT REPLY: OFF mutes every reply until ON; SKIP the next command's.
  bool reply_off_ = false;
  bool skip_next_reply_ = false;
  bool muting_ = false;      // reply_off_ || skip_next_reply_
  bool last_muted_ = false;  // the last command routed was muted
  bool deferred_exec_ = false;
  bool monitoring_ = false;  // MONITOR: subscriber_ gets every command
  bool blocked_ = false;     // set_blocked; RunBlocking's `waiting`
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_COMMAND_ROUTER_H_
