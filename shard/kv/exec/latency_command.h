// LATENCY LATEST|HISTORY|RESET|DOCTOR|HELP over every shard's
// LatencyMonitor (latency_monitor.h): an event's series is the shards'
// merged (the largest sample of each second), its maximum their largest.
// GRAPH and HISTOGRAM answer that shardd does not have them.
#ifndef SHARDD_SHARD_KV_EXEC_LATENCY_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_LATENCY_COMMAND_H_

#include <string>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

Task<std::string> RunLatency(KvShards& shards, CommandArgs args,
                             resp::Protocol protocol);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_LATENCY_COMMAND_H_
