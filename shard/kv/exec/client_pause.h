// CLIENT PAUSE: a session awaits WaitWhilePaused before each command while
// a pause is on (KvShards::pause_end_ms() != 0, one atomic load otherwise).
// As in Redis 7.0, ALL holds every command, CLIENT UNPAUSE included, and
// WRITE holds writes, PUBLISH and an EXEC with a write queued; reads go on.
//
//   if (shards.pause_end_ms() != 0 &&
//       !co_await WaitWhilePaused(shards, router, args)) {
//     ... the client hung up: close ...
//   }
#ifndef SHARDD_SHARD_KV_EXEC_CLIENT_PAUSE_H_
#define SHARDD_SHARD_KV_EXEC_CLIENT_PAUSE_H_

#include "shard/kv/commands/command.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

// Returns once no pause holds `args` back: it ended, was lifted (CLIENT
// UNPAUSE), or does not apply to this command (true); or once the client
// has hung up meanwhile (false: the command is not to run).
// While it holds the command, the client counts as blocked (INFO's
// blocked_clients, CLIENT LIST's flag "b"), as in Redis.
Task<bool> WaitWhilePaused(KvShards& shards, CommandRouter& router,
                           CommandArgs args);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_CLIENT_PAUSE_H_
