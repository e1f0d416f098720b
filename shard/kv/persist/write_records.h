// What the log records for a write that just ran: mostly the command as
// the client sent it, but its effect where replaying the command would not
// reproduce it: relative expiries become absolute (PEXPIREAT, SET ... PXAT),
// SPOP becomes the SREM of what it popped, INCRBYFLOAT the SET of its
// result, a served BLPOP the LPOP it did. A record never depends on when
// or how often it is replayed.
//
//   AppendWriteRecord(&log, spec, args, reply, store, now_ms);
#ifndef SHARDD_SHARD_KV_PERSIST_WRITE_RECORDS_H_
#define SHARDD_SHARD_KV_PERSIST_WRITE_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/store/store.h"

namespace shardd::kv {

// `spec` with `args` ran on `store` at `now_ms` and replied `reply` (not an
// error). Appends the records that redo it to `out`.
void AppendWriteRecord(std::string* out, const CommandSpec& spec,
                       CommandArgs args, std::string_view reply, Store& store,
                       int64_t now_ms);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_WRITE_RECORDS_H_
