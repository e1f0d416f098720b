#include "shard/kv/exec/blocking.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "net/hangup_watch.h"
#include "net/resp/reply_reader.h"
#include "shard/invoke_on.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/blocking_timeout.h"
#include "shard/kv/exec/atomic_command.h"
#include "shard/kv/exec/db_key.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/message.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"
#include "shard/wakeable_wait.h"

namespace shardd::kv {

// A blocked client as its keys' owners see it (shared by their queues).
struct BlockedClient {
  uint32_t shard;  // where the client is connected
  uint64_t id;     // its wait there
  const CommandSpec* spec;
  std::vector<std::string> args;  // the command, to run it for the client
  resp::Protocol protocol;        // the client's, for its reply
  uint32_t db;                    // and its database
  // False for a BLMOVE whose destination another shard owns: woken to
  // retry instead of served.
  bool serve_on_owner;
  // Taken by whoever ends the wait: the first owner to serve the client,
  // or the client itself (timeout, hang-up, a successful retry).
  mutable std::atomic<bool> claimed{false};
  // On the source's owner (a BLMOVE has one source): woken to retry, and
  // not answered yet. Its key serves no one behind it meanwhile.
  mutable bool woken = false;
};

// The client's side of its wait, on its own shard.
struct PendingBlock {
  WakeableWait wait;
  std::optional<std::string> reply;  // served by an owner
  uint64_t served_ns = 0;            // ... whose run took this long
  bool retry = false;                // woken to try again
};

BlockingState::BlockingState() = default;
BlockingState::~BlockingState() = default;

namespace {

// An owner's reply for a client it served, with the time the command ran
// there (for INFO commandstats, counted by the client's shard), or (no
// reply) a wake-up to retry; travels to the client's shard.
class WaiterMessage final : public Message {
 public:
  WaiterMessage(KvShards& shards, uint64_t id, std::optional<std::string> reply,
                uint64_t served_ns)
      : shards_(shards),
        id_(id),
        reply_(std::move(reply)),
        served_ns_(served_ns) {}
  void Run() override {
    Deliver(shards_, id_, std::move(reply_), served_ns_);
    delete this;
  }

  static void Deliver(KvShards& shards, uint64_t id,
                      std::optional<std::string> reply, uint64_t served_ns) {
    BlockingState& state = shards.Local().blocking;
    auto it = state.waits.find(id);
    if (it == state.waits.end()) return;
    PendingBlock& pending = *it->second;
    if (reply.has_value()) {
      pending.reply = std::move(reply);
      pending.served_ns = served_ns;
    } else {
      pending.retry = true;
    }
    pending.wait.Wake();
  }

 private:
  KvShards& shards_;
  uint64_t id_;
  std::optional<std::string> reply_;
  uint64_t served_ns_;
};

void SendToWaiter(KvShards& shards, const BlockedClient& client,
                  std::optional<std::string> reply, uint64_t served_ns = 0) {
  Reactor& reactor = *Reactor::Current();
  if (client.shard == reactor.shard_id()) {
    WaiterMessage::Deliver(shards, client.id, std::move(reply), served_ns);
  } else {
    reactor.Send(client.shard, new WaiterMessage(shards, client.id,
                                                 std::move(reply), served_ns));
  }
}

// Whether a key is locked by someone else than `releaser` (whose release
// is under way): then that one's release serves it.
bool LockedByOther(const KeyLocks& locks, std::string_view key,
                   const LockWaiter* releaser) {
  return locks.Queued(key) &&
         (releaser == nullptr || !locks.HeldBy(key, releaser));
}

// BLMPOP and BZMPOP take their timeout first (timeout numkeys key ...);
// the others last.
bool TimeoutFirst(const CommandSpec& spec) {
  return spec.name == "blmpop" || spec.name == "bzmpop";
}

std::string_view TimeoutOf(const CommandSpec& spec, CommandArgs args) {
  return TimeoutFirst(spec) ? args[1] : args.back();
}

// The command as it is tried on one of its keys: BLPOP key timeout, or
// BLMPOP timeout 1 key LEFT [COUNT n]. (Its first try has checked it.)
std::vector<std::string_view> OneKeyForm(const CommandSpec& spec,
                                         CommandArgs args,
                                         std::string_view key) {
  if (!TimeoutFirst(spec)) return {args[0], key, args.back()};
  int64_t keys = 0;
  ParseInt64(args[2], &keys);
  std::vector<std::string_view> form = {args[0], args[1], "1", key};
  for (size_t i = 3 + static_cast<size_t>(keys); i < args.size(); ++i) {
    form.push_back(args[i]);
  }
  return form;
}

// What `client` waits for: a sorted set for BZPOPMIN, BZPOPMAX and
// BZMPOP, a list for the others. As in Redis, a key of another type leaves
// it blocked.
ValueType WantedType(const BlockedClient& client) {
  return client.spec->name.starts_with("bz") ? ValueType::kZSet
                                             : ValueType::kList;
}

// The type `key` holds, if any.
std::optional<ValueType> HeldType(Store& store, std::string_view key,
                                  int64_t now_ms) {
  // (A look, not a read: Redis counts no hit or miss for it.)
  const Entry* entry = store.PeekUncounted(key, now_ms);
  if (entry == nullptr) return std::nullopt;
  return entry->type();
}

// Serves the waiters of `name` (a DbKey's) in order while its key holds
// what they wait for.
void ServeKey(KvShards& shards, std::string_view name,
              const LockWaiter* releaser) {
  KvShard& local = shards.Local();
  auto& registry = local.blocking.waiters_by_key;
  auto it = registry.find(name);
  if (it == registry.end()) return;
  uint32_t db;
  std::string_view key;
  ParseDbKey(name, &db, &key);
  Store& store = local.dbs.Db(db);
  if (LockedByOther(local.locks, key, releaser)) return;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  auto& queue = it->second;
  // In order; a waiter for another type than the key holds keeps its place
  // and is passed over, as Redis passes over a BZPOPMIN waiter when a list
  // serves BLPOPs.
  // (Looked at again after each serve, which may empty the key.)
  std::optional<ValueType> held = HeldType(store, key, now_ms);
  size_t i = 0;
  while (held.has_value() &&
         (*held == ValueType::kList || *held == ValueType::kZSet) &&
         i < queue.size()) {
    const BlockedClient& waiter = *queue[i];
    if (waiter.claimed.load()) {  // served elsewhere, or left
      queue.erase(queue.begin() + i);
      continue;
    }
    if (WantedType(waiter) != *held) {
      ++i;
      continue;
    }
    const std::shared_ptr<const BlockedClient> client = queue[i];
    // Woken to retry: it ends by its own retry (or by leaving), and no one
    // behind it is served before.
    if (client->woken) break;
    const bool moves = client->spec->name == "blmove";
    // A BLMOVE into another shard's key (or one a transaction holds) is
    // woken to retry as one atomic step. It keeps its place, and no one
    // behind it is served before its retry is done (first come, first
    // served).
    if (!client->serve_on_owner ||
        (moves && LockedByOther(local.locks, client->args[2], releaser))) {
      if (!client->woken) {
        client->woken = true;
        SendToWaiter(shards, *client, std::nullopt);
      }
      break;
    }
    queue.erase(queue.begin() + i);
    if (client->claimed.exchange(true)) continue;
    std::string reply;
    // A BLPOP over several keys pops from the one that has data.
    std::vector<std::string_view> args;
    if (moves) {
      args.assign(client->args.begin(), client->args.end());
    } else {
      const std::vector<std::string_view> all(client->args.begin(),
                                              client->args.end());
      args = OneKeyForm(*client->spec, all, key);
    }
    const uint64_t started_ns = stats::MonotonicNanos();
    uint64_t clock_ns = started_ns;  // its end, once it has run
    {
      const ShardFlag counted_by_client(local.counted_elsewhere);
      ExecuteHere(shards, *client->spec, args, db, &reply, client->protocol,
                  &clock_ns);
    }
    SendToWaiter(shards, *client, std::move(reply), clock_ns - started_ns);
    // Serving wrote: other keys it touched are served after this one
    // (NotifyBlockedWaiters queued them); this table is not changed.
    held = HeldType(store, key, now_ms);
  }
  if (it->second.empty()) registry.erase(it);
}

// The distinct keys of the command, grouped by owner shard.
std::vector<std::vector<std::string>> KeysByOwner(
    uint32_t shard_count, CommandArgs args,
    const std::vector<size_t>& positions) {
  std::vector<std::vector<std::string>> owned(shard_count);
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t position : positions) {
    const std::string_view key = args[position];
    if (!seen.insert(absl::string_view(key.data(), key.size())).second)
      continue;
    owned[ShardSet::OwnerOf(key, shard_count)].emplace_back(key);
  }
  return owned;
}

// Adds `client` to (or takes it off) the queue of each of `owned`'s keys on
// its owner; an owner serves a key that has data as it adds the client.
Task<void> SetRegistration(KvShards& shards,
                           const std::vector<std::vector<std::string>>& owned,
                           std::shared_ptr<const BlockedClient> client,
                           bool add) {
  for (uint32_t s = 0; s < owned.size(); ++s) {
    if (owned[s].empty()) continue;
    co_await InvokeOn(s, [&shards, &keys = owned[s], &client, add] {
      auto& registry = shards.Local().blocking.waiters_by_key;
      for (const std::string& key : keys) {
        const DbKey name(client->db, key);
        if (add) {
          registry[name.view()].push_back(client);
          continue;
        }
        auto it = registry.find(name.view());
        if (it == registry.end()) continue;
        std::erase(it->second, client);
        if (it->second.empty()) registry.erase(it);
      }
      // Registering serves a key that has data; leaving may let the ones
      // behind a woken BLMOVE be served.
      {
        std::vector<std::string_view> views(keys.begin(), keys.end());
        NotifyBlockedWaiters(shards, client->db, views);
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
                          CommandArgs args, uint32_t db,
                          const std::vector<std::vector<std::string>>& owned,
                          const std::vector<size_t>& positions,
                          resp::Protocol protocol) {
  int owners = 0;
  for (const std::vector<std::string>& keys : owned) owners += !keys.empty();
  if (owners == 1 || spec.name == "blmove") {
    co_return co_await RunAtomically(shards, spec, args, db, positions,
                                     protocol, /*counted=*/false);
  }
  std::string reply;
  for (size_t position : positions) {
    const std::vector<std::string_view> single =
        OneKeyForm(spec, args, args[position]);
    const size_t key_at = TimeoutFirst(spec) ? 3 : 1;
    reply = co_await RunAtomically(shards, spec, single, db,
                                   std::vector<size_t>(1, key_at), protocol,
                                   /*counted=*/false);
    if (!resp::IsNull(reply)) break;
  }
  co_return reply;
}

// A malformed timeout never gets here waiting: the first try replies its
// error.
absl::Time DeadlineOf(const CommandSpec& spec, CommandArgs args) {
  int64_t timeout_ms = 0;
  if (!ParseBlockingTimeout(TimeoutOf(spec, args), &timeout_ms) ||
      timeout_ms == 0) {
    return absl::InfiniteFuture();
  }
  return absl::Now() + absl::Milliseconds(timeout_ms);
}

}  // namespace

void ServeEveryKey(KvShards& shards, const LockWaiter* releaser) {
  const auto& registry = shards.Local().blocking.waiters_by_key;
  if (registry.empty()) return;
  std::vector<std::string> names;
  for (const auto& [name, waiters] : registry) names.push_back(name);
  const std::vector<std::string_view> views(names.begin(), names.end());
  ServeNames(shards, views, releaser);
}

ServeAfter::ServeAfter(KvShards& shards)
    : shards_(shards), held_(!shards.Local().blocking.serving) {
  shards.Local().blocking.serving = true;
}

ServeAfter::~ServeAfter() {
  if (!held_) return;
  shards_.Local().blocking.serving = false;
  ServeNames(shards_, {}, nullptr);  // the keys noted meanwhile
}

Task<std::string> RunBlocking(KvShards& shards, const CommandSpec& spec,
                              CommandArgs args, uint32_t db,
                              std::vector<size_t> key_positions,
                              resp::Protocol protocol,
                              net::SocketId client_socket, bool* waiting) {
  const absl::Time deadline = DeadlineOf(spec, args);
  const std::vector<std::vector<std::string>> owned =
      KeysByOwner(shards.shard_count(), args, key_positions);
  // Counted once in INFO commandstats, as Redis counts it, for the time
  // its tries and its serving on an owner took (not the time it waited):
  // neither is counted on its own.
  uint64_t tried_ns = 0;
  const auto try_once = [&]() -> Task<std::string> {
    const uint64_t started_ns = stats::MonotonicNanos();
    std::string reply = co_await TryOnce(shards, spec, args, db, owned,
                                         key_positions, protocol);
    tried_ns += stats::MonotonicNanos() - started_ns;
    co_return reply;
  };
  const auto counted = [&shards, &spec, &tried_ns](std::string reply) {
    shards.Local().stats.CountCommand(spec.name, tried_ns,
                                      !reply.empty() && reply[0] == '-');
    return reply;
  };
  std::string reply = co_await try_once();
  if (!resp::IsNull(reply) || Reactor::Current()->stopping()) {
    co_return counted(std::move(reply));
  }
  const std::string nothing = reply;

  // A waiter waits for data in its source keys: every key of BLPOP/BRPOP,
  // only the first of BLMOVE (a write to its destination must not wake it).
  const bool moves = spec.name == "blmove";
  std::vector<size_t> sources = key_positions;
  if (moves) sources.resize(1);
  const std::vector<std::vector<std::string>> watched =
      KeysByOwner(shards.shard_count(), args, sources);
  BlockingState& state = shards.Local().blocking;
  auto client = std::make_shared<BlockedClient>();
  client->shard = Reactor::Current()->shard_id();
  client->id = state.next_id++;
  client->spec = &spec;
  client->args.assign(args.begin(), args.end());
  client->protocol = protocol;
  client->db = db;
  client->serve_on_owner =
      !moves ||
      ShardSet::OwnerOf(args[key_positions[0]], shards.shard_count()) ==
          ShardSet::OwnerOf(args[key_positions[1]], shards.shard_count());
  PendingBlock pending;
  state.waits[client->id] = &pending;
  if (waiting != nullptr) *waiting = true;
  const bool timed = deadline != absl::InfiniteFuture();
  state.timed_waits += timed ? 1 : 0;
  bool reply_coming = false;  // an owner served it: wait for nothing else
  // A blocked connection reads nothing: only this notices a client that
  // leaves. It claims the client at once, before whatever else the loop
  // turn runs can serve it what then nobody would get.
  bool left = false;    // the client hung up
  bool let_go = false;  // ... and this side claimed it: nobody serves it
  net::HangupWatch* hangup = nullptr;
  if (client_socket.valid()) {
    hangup = net::HangupWatch::Start(client_socket, [&] {
      left = true;
      let_go = !client->claimed.exchange(true);
      pending.wait.Wake();
    });
  }
  co_await SetRegistration(shards, watched, client, /*add=*/true);
  for (;;) {
    if (pending.reply.has_value()) {
      reply = *std::move(pending.reply);
      tried_ns += pending.served_ns;
      break;
    }
    if (pending.retry) {  // woken by the source's owner; still in its queue
      pending.retry = false;
      reply = co_await try_once();
      if (!resp::IsNull(reply)) {
        client->claimed = true;
        break;
      }
      // Someone else took the element first: the source's owner may serve
      // its queue again, this client first.
      const std::string_view source = args[key_positions[0]];
      co_await InvokeOn(ShardSet::OwnerOf(source, shards.shard_count()),
                        [&shards, &client, source, db] {
                          client->woken = false;
                          NotifyBlockedWaiters(shards, db, {source});
                        });
      continue;
    }
    if (reply_coming) {
      // An owner served it just now: its reply is on the way (the server
      // stopping does not wait for it).
      if (co_await pending.wait.Until(absl::InfiniteFuture())) continue;
      reply = nothing;
      break;
    }
    if (!left && co_await pending.wait.Until(deadline) && !left) {
      continue;  // served or woken
    }
    // Timed out, the client left, or the server stops.
    const bool nobody_serves = left ? let_go : !client->claimed.exchange(true);
    if (nobody_serves || Reactor::Current()->stopping()) {
      reply = nothing;
      break;
    }
    reply_coming = true;
  }
  if (hangup != nullptr) hangup->Abandon();
  co_await SetRegistration(shards, watched, client, /*add=*/false);
  state.waits.erase(client->id);
  if (waiting != nullptr) *waiting = false;
  state.timed_waits -= timed ? 1 : 0;
  co_return counted(std::move(reply));
}

void NotifyBlockedWaiters(KvShards& shards, uint32_t db,
                          absl::Span<const std::string_view> keys,
                          const LockWaiter* releaser) {
  KvShard& local = shards.Local();
  if (local.blocking.waiters_by_key.empty()) {
    local.blocking.to_serve.clear();
    return;
  }
  const auto& registry = local.blocking.waiters_by_key;
  std::vector<std::string> names;
  if (db != kEveryDb) {
    for (std::string_view key : keys) {
      const DbKey name(db, key);
      if (registry.contains(name.view())) names.emplace_back(name.view());
    }
  } else if (registry.size() <= local.dbs.count()) {
    // Any database: the waited keys are fewer than the databases to try.
    for (const auto& [name, waiters] : registry) {
      uint32_t key_db;
      std::string_view key;
      ParseDbKey(name, &key_db, &key);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        names.push_back(name);
      }
    }
  } else {
    for (uint32_t d = 0; d < local.dbs.count(); ++d) {
      for (std::string_view key : keys) {
        const DbKey name(d, key);
        if (registry.contains(name.view())) names.emplace_back(name.view());
      }
    }
  }
  const std::vector<std::string_view> views(names.begin(), names.end());
  ServeNames(shards, views, releaser);
}

void ServeNames(KvShards& shards, absl::Span<const std::string_view> keys,
                const LockWaiter* releaser) {
  BlockingState& state = shards.Local().blocking;
  if (state.waiters_by_key.empty()) {
    state.to_serve.clear();
    return;
  }
  if (state.serving) {
    // Served once the serving under way ends, in the order the keys got
    // data (as Redis serves its ready keys).
    for (std::string_view key : keys) {
      if (state.waiters_by_key.contains(key) &&
          std::find(state.to_serve.begin(), state.to_serve.end(), key) ==
              state.to_serve.end()) {
        state.to_serve.emplace_back(key);
      }
    }
    return;
  }
  state.serving = true;
  for (std::string_view key : keys) ServeKey(shards, key, releaser);
  // Keys a served BLMOVE pushed to: still within the same release.
  for (size_t i = 0; i < state.to_serve.size(); ++i) {
    const std::string key = state.to_serve[i];
    ServeKey(shards, key, releaser);
  }
  state.to_serve.clear();
  state.serving = false;
}

}  // namespace shardd::kv
