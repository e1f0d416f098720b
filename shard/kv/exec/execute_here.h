// ExecuteHere: the function every command passes through, wherever it came
// from (the connection's own shard, a hop, a fan-out part, a blocked
// client's retry): it runs the command's handler against the calling
// shard's store, wakes clients blocked on the keys a write touched, and
// counts the command.
//
//   ExecuteHere(shards, *FindCommand("get"), args, &reply, protocol);
#ifndef SHARDD_SHARD_KV_EXEC_EXECUTE_HERE_H_
#define SHARDD_SHARD_KV_EXEC_EXECUTE_HERE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/exec/kv_shards.h"

namespace shardd::kv {

// Runs `spec` against database `db` of the calling shard, appending the
// reply to `out` in `protocol`, the one the client speaks.
// `clock_ns`, if given, carries a stats::MonotonicNanos() reading from one
// command to the next: nonzero, it is taken as this command's start, and the
// command's end is left in it. A connection's commands in a batch run back to
// back, so one clock read per command then times them all; each command's
// time then includes its own parsing and routing.
void ExecuteHere(KvShards& shards, const CommandSpec& spec, CommandArgs args,
                 uint32_t db, std::string* out, resp::Protocol protocol,
                 uint64_t* clock_ns = nullptr);

// Whether a write command's `reply` says it changed nothing (kZeroIsNoop,
// kNullIsNoop), or its `args` do (kWritesOnlyStore without a STORE
// destination): then it touches no WATCHed key and is not logged, as in
// Redis.
bool ChangedNothing(const CommandSpec& spec, CommandArgs args,
                    std::string_view reply);

// After a write command `spec` with `args` ran on this shard in database
// `db`: each key it may have changed that a client WATCHes gets a new
// version.
// `other`, if set, is the key it writes in another database (db_index.h);
// `unchanged_key`, if set, one it left as it was
// (CommandContext::unchanged_key).
void TouchWatched(KvShard& shard, const CommandSpec& spec, CommandArgs args,
                  uint32_t db, const OtherDbKey* other,
                  std::optional<std::string_view> unchanged_key);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_EXECUTE_HERE_H_
