#include "shard/kv/exec/client_pause.h"

#include <algorithm>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

Task<void> WaitWhilePaused(KvShards& shards, const CommandRouter& router,
                           CommandArgs args) {
  while (!Reactor::Current()->stopping()) {
    const int64_t end_ms = shards.pause_end_ms();
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    if (end_ms <= now_ms) {
      if (end_ms != 0) shards.ClearEndedPause(end_ms);
      co_return;
    }
    if (!router.HeldByPause(args, shards.pause_all())) co_return;
    // A pause is rare and coarse: looking again every 10 ms lets an
    // UNPAUSE through soon enough without a wake-up from every shard.
    co_await Delay(absl::Milliseconds(std::min<int64_t>(end_ms - now_ms, 10)));
  }
}

}  // namespace shardd::kv
