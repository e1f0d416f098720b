#include "shard/kv/exec/blocking.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "net/peer_closed.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/blocking_timeout.h"
#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/message.h"
#include "shard/shard_set.h"

namespace shardd::kv {
namespace {

// Carries a wake-up from a key's owner to the waiting client's shard.
class WakeMessage final : public Message {
 public:
  WakeMessage(KvShards& shards, uint64_t id) : shards_(shards), id_(id) {}
  void Run() override {
    BlockingState& state = shards_.Local().blocking;
    auto it = state.waits.find(id_);
    if (it != state.waits.end()) it->second->Wake();
    delete this;
  }

 private:
  KvShards& shards_;
  uint64_t id_;
};

void WakeWaiter(KvShards& shards, const BlockingState::WaiterRef& waiter) {
  Reactor& reactor = *Reactor::Current();
  if (waiter.shard == reactor.shard_id()) {
    auto it = shards.Local().blocking.waits.find(waiter.id);
    if (it != shards.Local().blocking.waits.end()) it->second->Wake();
  } else {
    reactor.Send(waiter.shard, new WakeMessage(shards, waiter.id));
  }
}

// The distinct keys of the command, grouped by owner shard.
std::vector<std::vector<std::string>> KeysByOwner(
    uint32_t shard_count, CommandArgs args,
    const std::vector<size_t>& positions) {
  std::vector<std::vector<std::string>> owned(shard_count);
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t position : positions) {
    const std::string_view key = args[position];
    if (!seen.insert(absl::string_view(key.data(), key.size())).second) continue;
    owned[ShardSet::OwnerOf(key, shard_count)].emplace_back(key);
  }
  return owned;
}

Task<void> SetRegistration(KvShards& shards,
                           const std::vector<std::vector<std::string>>& owned,
                           BlockingState::WaiterRef waiter, bool add) {
  for (uint32_t s = 0; s < owned.size(); ++s) {
    if (owned[s].empty()) continue;
    co_await InvokeOn(s, [&shards, &keys = owned[s], waiter, add] {
      auto& registry = shards.Local().blocking.waiters_by_key;
      for (const std::string& key : keys) {
        if (add) {
          registry[key].push_back(waiter);
          continue;
        }
        auto it = registry.find(key);
        if (it == registry.end()) continue;
        std::erase_if(it->second, [&](const BlockingState::WaiterRef& w) {
          return w.shard == waiter.shard && w.id == waiter.id;
        });
        if (it->second.empty()) registry.erase(it);
      }
    });
  }
}

// One attempt, as one atomic step over the keys (atomic_command.h), so
// that it queues behind a transaction holding them. A BLPOP/BRPOP over
// keys of several shards tries each key in turn, so that a pop is always
// one shard's step (two clients never get the same element); a BLMOVE
// across shards moves atomically.
Task<std::string> TryOnce(KvShards& shards, const CommandSpec& spec,
                          CommandArgs args,
                          const std::vector<std::vector<std::string>>& owned,
                          const std::vector<size_t>& positions) {
  int owners = 0;
  for (const std::vector<std::string>& keys : owned) owners += !keys.empty();
  if (owners == 1 || spec.name == "blmove") {
    co_return co_await RunAtomically(shards, spec, args, positions);
  }
  std::string reply;
  std::vector<std::string_view> single(3);
  for (size_t position : positions) {
    single[0] = args[0];
    single[1] = args[position];
    single[2] = args.back();
    reply = co_await RunAtomically(shards, spec, single,
                                   std::vector<size_t>(1, 1));
    if (!IsNullReply(reply)) break;
  }
  co_return reply;
}

// How often a blocked client's socket is checked for a hang-up.
constexpr absl::Duration kHangupCheckPeriod = absl::Seconds(1);

// The timeout is the last argument of every blocking command. A malformed
// one never gets here waiting: the first try replies its error.
absl::Time DeadlineOf(CommandArgs args) {
  int64_t timeout_ms = 0;
  if (!ParseBlockingTimeout(args.back(), &timeout_ms) || timeout_ms == 0) {
    return absl::InfiniteFuture();
  }
  return absl::Now() + absl::Milliseconds(timeout_ms);
}

}  // namespace

bool IsNullReply(const std::string& reply) {
  return reply == "*-1\r\n" || reply == "$-1\r\n";
}

Task<std::string> RunBlocking(KvShards& shards, const CommandSpec& spec,
                              CommandArgs args,
                              std::vector<size_t> key_positions,
                              int client_fd) {
  // A waiter waits for data in its source keys: every key of BLPOP/BRPOP,
  // only the first of BLMOVE (a write to its destination must not wake it).
  std::vector<size_t> sources = key_positions;
  if (spec.name == "blmove") sources.resize(1);
  const std::vector<std::vector<std::string>> watched =
      KeysByOwner(shards.shard_count(), args, sources);
  const std::vector<std::vector<std::string>> owned =
      KeysByOwner(shards.shard_count(), args, key_positions);
  BlockingState& state = shards.Local().blocking;
  const absl::Time deadline = DeadlineOf(args);
  WakeableWait wait;
  const BlockingState::WaiterRef me{Reactor::Current()->shard_id(),
                                    state.next_id++};
  state.waits[me.id] = &wait;
  std::string reply;
  for (;;) {
    co_await SetRegistration(shards, watched, me, /*add=*/true);
    reply = co_await TryOnce(shards, spec, args, owned, key_positions);
    bool keep_waiting =
        IsNullReply(reply) && !Reactor::Current()->stopping();
    while (keep_waiting) {
      // A blocked connection reads nothing, so only a look at its socket
      // notices a client that went away.
      const absl::Time until =
          client_fd < 0 ? deadline
                        : std::min(deadline, absl::Now() + kHangupCheckPeriod);
      if (co_await wait.Until(until)) break;  // woken: try again
      keep_waiting = until != deadline && !Reactor::Current()->stopping() &&
                     !net::PeerHasClosed(client_fd);
    }
    co_await SetRegistration(shards, watched, me, /*add=*/false);
    if (!keep_waiting) break;
  }
  state.waits.erase(me.id);
  co_return reply;
}

void NotifyBlockedWaiters(KvShards& shards,
                          absl::Span<const std::string_view> keys) {
  KvShard& shard = shards.Local();
  auto& registry = shard.blocking.waiters_by_key;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (std::string_view key : keys) {
    auto it = registry.find(absl::string_view(key.data(), key.size()));
    if (it == registry.end()) continue;
    // Only a key that now holds something can serve a waiter; a write that
    // left it absent (e.g. a pop that found nothing) wakes nobody.
    if (shard.store.Find(key, now_ms) == nullptr) continue;
    // Waiters re-register if their retry finds nothing, so the entry goes.
    std::vector<BlockingState::WaiterRef> waiters = std::move(it->second);
    registry.erase(it);
    for (const BlockingState::WaiterRef& waiter : waiters) {
      WakeWaiter(shards, waiter);
    }
  }
}

}  // namespace shardd::kv
