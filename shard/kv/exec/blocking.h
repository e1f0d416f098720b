// Blocking commands (BLPOP, BRPOP, BLMOVE): a client waits, on its own shard,
// until one of its keys gets data on the key's owner shard, or its timeout
// passes. First come, first served, as in Redis.
//
// The client first tries the command once (as one atomic step). If that
// finds nothing, it registers on the owner of each of its keys, in the
// key's queue of waiters (FIFO), and waits. When a write leaves a key with
// data, its owner serves the waiters in order while data lasts: it runs the
// waiter's command right there (a BLPOP pops for it) and sends the reply to
// the waiter's shard. A client waiting on keys of several shards is served
// once: it carries a claim that the first owner to serve it (or its own
// timeout) takes, and the others then pass it over. Nothing is served from
// a key a transaction holds: its release serves the waiters, so a push
// inside a MULTI or a multi-key command wakes them only once it completed.
// A BLMOVE whose destination lives on another shard than its source cannot
// be served on the source's owner: it is woken to retry as one atomic step,
// keeping its place, and no one behind it is served until its retry is done.
//
//   std::string reply = co_await RunBlocking(shards, spec, args,
//   key_positions); NotifyBlockedWaiters(shards, keys);   // on the owner,
//   after a write
#ifndef SHARDD_SHARD_KV_EXEC_BLOCKING_H_
#define SHARDD_SHARD_KV_EXEC_BLOCKING_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "net/resp/reply_writer.h"
#include "net/socket_id.h"
#include "shard/kv/commands/command.h"
#include "shard/string_view_hash.h"
#include "shard/task.h"

namespace shardd::kv {

class KvShards;
class LockWaiter;
struct BlockedClient;  // blocking.cc
struct PendingBlock;   // blocking.cc

// One shard's part of the blocking machinery. Touched only by its shard.
struct BlockingState {
  BlockingState();
  ~BlockingState();
  // Keys owned here that clients wait on (named as DbKey does, with their
  // database), each with its waiters in the order they came.
  absl::flat_hash_map<std::string,
                      std::deque<std::shared_ptr<const BlockedClient>>,
                      StringViewHash, std::equal_to<>>
      waiters_by_key;
  // Waits of clients connected to this shard, by id (a reply or wake-up
  // may arrive after its waiter left; the id then finds nothing).
  absl::flat_hash_map<uint64_t, PendingBlock*> waits;
  size_t timed_waits = 0;  // of `waits`, those with a timeout
  uint64_t next_id = 1;
  // Keys (DbKey names) to serve once the serving under way ends (a served
  // BLMOVE pushes to its destination, which may have waiters too).
  std::vector<std::string> to_serve;
  bool serving = false;
};

// Runs a blocking command whose keys are at `key_positions` in `args`, for
// the client connected on `client` (none: not valid), which speaks
// `protocol`.
// While it waits, a net::HangupWatch on the socket lets go of a client that
// hangs up as soon as the loop learns of it (no owner serves it after
// that), and its connection then closes instead of holding its slot until
// the keys get data. `*waiting`, if set, is true while it waits (counted
// in INFO's blocked_clients), false otherwise.
Task<std::string> RunBlocking(KvShards& shards, const CommandSpec& spec,
                              CommandArgs args, uint32_t db,
                              std::vector<size_t> key_positions,
                              resp::Protocol protocol,
                              net::SocketId client = {},
                              bool* waiting = nullptr);

// On a key's owner, after a write in database `db` (kEveryDb: a lock on
// the keys, which holds them in every database, was let go): serves
// whoever waits on any of `keys` that now holds what it waits for (a list, or a
// sorted set for the BZ commands), unless a transaction holds that key;
// `releaser`, if set, is the lock holder letting its keys go, whose keys are
// served. Callers may pass every argument of the command: checking them all is
// simpler than knowing which are keys, and a stray match only serves a
// waiter the data was there for anyway.
constexpr uint32_t kEveryDb = UINT32_MAX;
void NotifyBlockedWaiters(KvShards& shards, uint32_t db,
                          absl::Span<const std::string_view> keys,
                          const LockWaiter* releaser = nullptr);
// The same for keys named as DbKey does (db_key.h).
void ServeNames(KvShards& shards, absl::Span<const std::string_view> names,
                const LockWaiter* releaser);

// On a shard whose holder of the whole shard (kv/exec/key_locks.h) lets it
// go: serves every key that clients wait on, since nothing was served while
// the shard was held.
void ServeEveryKey(KvShards& shards, const LockWaiter* releaser);

// Holds back serving blocked clients on this shard while it lives (an EXEC
// run inline, which no lock marks): writes meanwhile only note their keys,
// served when it ends, so a push inside the transaction serves no one
// before the transaction is whole.
class ServeAfter {
 public:
  explicit ServeAfter(KvShards& shards);
  ~ServeAfter();
  ServeAfter(const ServeAfter&) = delete;
  ServeAfter& operator=(const ServeAfter&) = delete;

 private:
  KvShards& shards_;
  bool held_;  // this one set BlockingState::serving
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_BLOCKING_H_
