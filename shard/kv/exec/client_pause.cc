#include "shard/kv/exec/client_pause.h"

#include <algorithm>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/peer_closed.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

Task<bool> WaitWhilePaused(KvShards& shards, const CommandRouter& router,
                           CommandArgs args) {
  bool waited = false;
  while (!Reactor::Current()->stopping()) {
    const int64_t end_ms = shards.pause_end_ms();
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    if (end_ms <= now_ms) {
      if (end_ms != 0) shards.ClearEndedPause(end_ms);
      co_return true;
    }
    if (!router.HeldByPause(args, shards.pause_all())) co_return true;
    // As Redis: a client gone while held has its command dropped (a write
    // held for a failover must not land after it).
    if (waited && router.client_fd() >= 0 &&
        net::PeerHasClosed(router.client_fd())) {
      co_return false;
    }
    waited = true;
    // A pause is rare and coarse: looking again every 10 ms lets an
    // UNPAUSE through soon enough without a wake-up from every shard.
    co_await Delay(absl::Milliseconds(std::min<int64_t>(end_ms - now_ms, 10)));
  }
  co_return true;
}

}  // namespace shardd::kv
