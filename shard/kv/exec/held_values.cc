#include "shard/kv/exec/held_values.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/persist/records.h"
#include "shard/kv/store/store.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {

uint64_t TakeValues(KvShards& shards, absl::Span<const std::string_view> keys,
                    std::vector<std::optional<Entry>>* values) {
  Store& store = shards.Local().store;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  // Lending a value is no read: the command's own lookups count.
  const Store::Lookups lookups = store.lookups();
  values->resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    // The value leaves the store: a compaction's base gets it first.
    WriteThroughKey(store, shards.Local().rewrite, keys[i]);
    Entry* entry = store.Find(keys[i], now_ms);
    // The moved-from entry stays, an empty string with the key's expiry.
    if (entry != nullptr) (*values)[i].emplace(std::move(*entry));
  }
  store.set_lookups(lookups);
  return store.clears();
}

void PutValues(KvShards& shards, absl::Span<const std::string_view> keys,
               std::vector<std::optional<Entry>>* values, uint64_t epoch,
               bool wrote, const TxLog* log, uint32_t index) {
  KvShard& local = shards.Local();
  const bool cleared = local.store.clears() != epoch;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  std::optional<LogBlock> block;
  if (log != nullptr && local.log.started()) {
    block.emplace(local.log, log, index);
  }
  for (size_t i = 0; i < values->size(); ++i) {
    std::optional<Entry>& value = (*values)[i];
    // (After a FLUSHALL, which the log has, nothing comes back.)
    if (block.has_value() && !cleared) {
      const std::string_view del[] = {"DEL", keys[i]};
      AppendCommand(&local.log.buffer(), del);
      if (value.has_value()) AppendEntry(&local.log.buffer(), keys[i], *value);
    }
    if (cleared) {
      value.reset();
    } else if (value.has_value()) {
      local.store.Put(keys[i], std::move(*value));
      value.reset();
    } else {
      local.store.Erase(keys[i], now_ms);
    }
  }
  if (!wrote) return;
  for (std::string_view key : keys) local.watches.Touch(key);
}

namespace {

// Whether the parts hold every key `spec` would read on `scratch` beyond
// those its arguments name (KeyDiscovery).
bool HoldsEveryReadKey(const CommandSpec& spec, CommandArgs args,
                       Store& scratch, int64_t now_ms,
                       absl::Span<const HeldValues> parts) {
  std::vector<std::string> read;
  spec.discovery->find(scratch, args, now_ms, &read);
  // A SORT's patterns may name a key per element: hashed, not searched.
  absl::flat_hash_set<std::string_view> held;
  for (const HeldValues& part : parts) {
    held.insert(part.keys.begin(), part.keys.end());
  }
  return std::all_of(read.begin(), read.end(), [&](const std::string& key) {
    return held.contains(key);
  });
}

}  // namespace

std::optional<std::string> RunOnValues(KvShards& shards,
                                       const CommandSpec& spec,
                                       CommandArgs args,
                                       absl::Span<const HeldValues> parts,
                                       resp::Protocol protocol, bool* wrote) {
  // While loading, nothing expires and time stands still (ExecuteHere).
  const bool loading = shards.Local().store.loading();
  const int64_t now_ms = loading ? 0 : absl::ToUnixMillis(absl::Now());
  Store scratch;
  scratch.set_loading(loading);
  if (!loading) scratch.set_clock(now_ms);
  for (const HeldValues& part : parts) {
    for (size_t i = 0; i < part.keys.size(); ++i) {
      std::optional<Entry>& value = (*part.values)[i];
      if (!value.has_value()) continue;
      scratch.Put(part.keys[i], std::move(*value));
      value.reset();
    }
  }
  // Every value goes back as the handler left it (or as it came).
  const auto give_back = [&] {
    for (const HeldValues& part : parts) {
      for (size_t i = 0; i < part.keys.size(); ++i) {
        Entry* entry = scratch.Find(part.keys[i], now_ms);
        if (entry != nullptr) (*part.values)[i].emplace(std::move(*entry));
      }
    }
  };
  *wrote = false;
  if (spec.discovery != nullptr &&
      !HoldsEveryReadKey(spec, args, scratch, now_ms, parts)) {
    give_back();
    return std::nullopt;
  }
  std::string reply;
  resp::ReplyWriter writer(&reply, protocol);
  CommandContext ctx{scratch, writer, args, now_ms,
                     Reactor::Current()->shard_id(), shards.shard_count(),
                     &shards.Local().random};
  const uint32_t events = shards.keyspace_events();
  if (events != 0 && !loading) {
    ctx.events = &shards.Local().notifier;
    if (events & kNotifyNew) scratch.set_new_key_sink(ctx.events);
  }
  const uint64_t started_ns = stats::MonotonicNanos();
  spec.handler(ctx);
  scratch.set_new_key_sink(nullptr);
  const bool failed = !reply.empty() && reply[0] == '-';
  shards.Local().stats.CountCommand(
      spec.name, stats::MonotonicNanos() - started_ns, failed);
  *wrote = (spec.flags & kWrite) != 0 && !failed && !ctx.changed_nothing &&
           !ChangedNothing(spec, args, reply);
  if ((spec.flags & kReadonly) != 0) {
    Store& store = shards.Local().store;
    store.set_lookups({store.lookups().hits + scratch.lookups().hits,
                       store.lookups().misses + scratch.lookups().misses});
  }
  give_back();
  return reply;
}

}  // namespace shardd::kv
