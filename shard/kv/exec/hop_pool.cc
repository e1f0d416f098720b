#include "shard/kv/exec/hop_pool.h"

#include "shard/kv/exec/hop_batch.h"
#include "shard/kv/exec/remote_command.h"
#include "shard/kv/exec/split_plan.h"

namespace shardd::kv {

HopPool::HopPool() = default;
HopPool::~HopPool() = default;

}  // namespace shardd::kv
