// SLOWLOG GET|LEN|RESET|HELP over every shard's SlowLog (slow_log.h): GET
// merges them newest first; the client of an entry (address and name) is
// looked up in the shards' client registries when GET runs.
#ifndef SHARDD_SHARD_KV_EXEC_SLOW_LOG_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_SLOW_LOG_COMMAND_H_

#include <string>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

// The reply to `args` (SLOWLOG ...).
Task<std::string> RunSlowLog(KvShards& shards, CommandArgs args,
                             resp::Protocol protocol);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_SLOW_LOG_COMMAND_H_
