// CommandRouter's per-shard tables (command_router.h), shared by its two
// source files: made at the connection's first hop.
#ifndef SHARDD_SHARD_KV_EXEC_ROUTER_SHARD_TABLES_H_
#define SHARDD_SHARD_KV_EXEC_ROUTER_SHARD_TABLES_H_

#include <cstdint>
#include <vector>

#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/hop_batch.h"
#include "shard/kv/exec/hop_credit.h"

namespace shardd::kv {

struct CommandRouter::ShardTables {
  explicit ShardTables(uint32_t shard_count)
      : credits(shard_count), filling(shard_count), resumed(shard_count) {
    for (uint32_t s = 0; s < shard_count; ++s) credits[s].owner = s;
  }
  // Per owner shard: the credit of this connection's hops there (never
  // resized: hops hold pointers to their credit).
  std::vector<HopCredit> credits;
  // Per shard: the batch being filled, and the shards that have one.
  std::vector<HopBatch*> filling;
  std::vector<uint32_t> filling_shards;
  std::vector<bool> resumed;  // scratch for ResendRefused
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_ROUTER_SHARD_TABLES_H_
