// DurabilityFence: under appendfsync always, the wait a connection makes
// before sending replies to writes: until every record that any shard's
// log holds at this moment is on stable storage. Each write's record was
// appended before its reply reached the connection, so once the fence
// passes, every write whose reply is about to go out is durable. The other
// shards are asked all at once (one message each, answered when their log's
// sync covers what they held on arrival); a shard's own log is waited for
// directly.
//
//   uint64_t early = co_await WaitUntilDurable(shards);   // then send
//
// It returns how many logs, checked afterwards against the offset each
// log's writer last published (LogWriter::published_durable), do not yet
// hold what they held when asked: 0 unless the fence is broken, and
// counted as aof_replies_before_durable.
#ifndef SHARDD_SHARD_KV_EXEC_DURABILITY_FENCE_H_
#define SHARDD_SHARD_KV_EXEC_DURABILITY_FENCE_H_

#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

Task<uint64_t> WaitUntilDurable(KvShards& shards);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_DURABILITY_FENCE_H_
