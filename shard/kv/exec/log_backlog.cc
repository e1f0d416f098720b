#include "shard/kv/exec/log_backlog.h"

#include "shard/kv/exec/kv_shards.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

Task<void> WaitForLogBacklog(KvShards& shards) {
  // A log's write of up to the limit takes many milliseconds, so a short
  // poll costs little and spares the writers a wake-up of every session.
  while (shards.logs_behind() != 0 && !Reactor::Current()->stopping()) {
    co_await Delay(absl::Milliseconds(1));
  }
}

}  // namespace shardd::kv
