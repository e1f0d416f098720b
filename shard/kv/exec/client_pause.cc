#include "shard/kv/exec/client_pause.h"

#include <algorithm>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/hangup_watch.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {

Task<bool> WaitWhilePaused(KvShards& shards, CommandRouter& router,
                           CommandArgs args) {
  // As Redis: a client gone while held has its command dropped (a write
  // held for a failover must not land after it). A watch on its socket,
  // from the first wait on, tells.
  bool left = false;
  net::HangupWatch* hangup = nullptr;
  bool run = true;
  bool held = false;
  while (!Reactor::Current()->stopping()) {
    const int64_t end_ms = shards.pause_end_ms();
    const int64_t now_ms = absl::ToUnixMillis(absl::Now());
    if (end_ms <= now_ms) {
      if (end_ms != 0) shards.ClearEndedPause(end_ms);
      break;
    }
    if (!router.HeldByPause(args, shards.pause_all())) break;
    if (left) {
      run = false;
      break;
    }
    if (!held) {
      held = true;
      ++shards.Local().paused_clients;
      router.set_blocked(true);
    }
    if (hangup == nullptr && router.client_socket().valid()) {
      hangup = net::HangupWatch::Start(router.client_socket(),
                                       [&left] { left = true; });
    }
    // A pause is rare and coarse: looking again every 10 ms lets an
    // UNPAUSE through soon enough without a wake-up from every shard.
    co_await Delay(absl::Milliseconds(std::min<int64_t>(end_ms - now_ms, 10)));
  }
  if (hangup != nullptr) hangup->Abandon();
  if (held) {
    --shards.Local().paused_clients;
    router.set_blocked(false);
  }
  co_return run;
}

}  // namespace shardd::kv
