// RunCoordinated: runs a command that cannot be split by shard (SINTER,
// RENAME, SMOVE, MSETNX, ZUNIONSTORE, ...) when its keys live on several
// shards. Copies of every key are fetched from their owners, the command's
// ordinary handler runs on those copies in a scratch Store on this shard, and
// each key the command changed (created, modified or deleted) is written back
// to its owner. So one handler serves both the single-shard and the
// cross-shard case, and its reply is the one Redis would give.
//
//   std::string reply = co_await RunCoordinated(shards, spec, args, keys);
//
// Not isolated: another client may touch the same keys between the copy and
// the write-back, and its change to a key this command also changes is then
// lost. Keys that share a {hash tag} live on one shard and never take this
// path; their commands are atomic.
#ifndef SHARDD_SHARD_KV_EXEC_COORDINATED_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_COORDINATED_COMMAND_H_

#include <cstddef>
#include <string>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

// `key_positions` are the indices of the keys in `args`.
Task<std::string> RunCoordinated(KvShards& shards, const CommandSpec& spec,
                                 CommandArgs args,
                                 std::vector<size_t> key_positions);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_COORDINATED_COMMAND_H_
