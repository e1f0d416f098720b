// Blocking commands (BLPOP, BRPOP, BLMOVE): a client waits, on its own shard,
// until one of its keys gets data on the key's owner shard, or its timeout
// passes.
//
// The owner of each key keeps a registry: key → the waiters (shard and wait
// id) to wake when a write command touches that key. A waiter registers
// before each attempt, so a push between the attempt and the wait is not
// missed; a wake runs the command again, and if another client was faster
// the waiter registers again. Every waiter of a key is woken (there is no
// first-come-first-served order between blocked clients, unlike Redis).
//
//   std::string reply = co_await RunBlocking(shards, spec, args, key_positions);
//   NotifyBlockedWaiters(shards, args.subspan(1));   // on the owner, after a write
#ifndef SHARDD_SHARD_KV_EXEC_BLOCKING_H_
#define SHARDD_SHARD_KV_EXEC_BLOCKING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "shard/kv/commands/command.h"
#include "shard/task.h"
#include "shard/wakeable_wait.h"

namespace shardd::kv {

class KvShards;

// One shard's part of the blocking machinery. Touched only by its shard.
struct BlockingState {
  struct WaiterRef {
    uint32_t shard;
    uint64_t id;
  };
  // Keys owned here that someone waits on.
  absl::flat_hash_map<std::string, std::vector<WaiterRef>> waiters_by_key;
  // Waits of clients connected to this shard, by id (a wake may arrive after
  // its waiter left; the id then finds nothing).
  absl::flat_hash_map<uint64_t, WakeableWait*> waits;
  uint64_t next_id = 1;
};

// Runs a blocking command whose keys are at `key_positions` in `args`, for
// the client connected on `client_fd` (-1: none). While it waits, the socket
// is looked at once a second, and a client that went away ends the wait:
// its connection then closes instead of holding its slot until the keys
// get data.
Task<std::string> RunBlocking(KvShards& shards, const CommandSpec& spec,
                              CommandArgs args,
                              std::vector<size_t> key_positions,
                              int client_fd = -1);

// On a key's owner, after a write command: wakes whoever waits on any of
// `keys` that now exists. Callers may pass every argument of the command: checking them all
// is simpler than knowing which are keys, and a stray match only costs the
// waiter a retry.
void NotifyBlockedWaiters(KvShards& shards,
                          absl::Span<const std::string_view> keys);

// True for replies that mean "nothing there yet" (a null array or bulk).
bool IsNullReply(const std::string& reply);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_BLOCKING_H_
