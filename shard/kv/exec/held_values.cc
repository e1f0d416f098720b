#include "shard/kv/exec/held_values.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/exec/db_key.h"
#include "shard/kv/exec/execute_here.h"
#include "shard/kv/persist/records.h"
#include "shard/kv/store/store.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {

HeldKeys HeldKeys::For(const CommandSpec& spec, CommandArgs args, uint32_t db,
                       uint32_t databases) {
  HeldKeys dbs{.db = db};
  std::vector<size_t> positions;
  FindKeyPositions(spec, args, &positions);
  std::vector<size_t> written;
  FindWrittenKeyPositions(spec, args, &written);
  for (size_t position : positions) {
    const std::string_view key = args[position];
    if (std::none_of(written.begin(), written.end(),
                     [&](size_t w) { return args[w] == key; })) {
      dbs.read_only.push_back(key);
    }
  }
  OtherDbKey other;
  if (KeyInOtherDb(spec, args, db, databases, &other)) {
    dbs.has_other = true;
    dbs.other_key = args[other.position];
    dbs.other_db = other.db;
  }
  return dbs;
}

namespace {

// What TakeValues returns: changes whenever one of the databases is
// cleared.
uint64_t Epoch(Databases& databases, const HeldKeys& dbs) {
  return databases.Db(dbs.db).clears() +
         (dbs.has_other ? databases.Db(dbs.other_db).clears() : 0);
}

}  // namespace

uint64_t TakeValues(KvShards& shards, const HeldKeys& dbs,
                    absl::Span<const std::string_view> keys,
                    std::vector<std::optional<Entry>>* values) {
  KvShard& local = shards.Local();
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  values->resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Store& store = local.dbs.Db(dbs.Of(keys[i]));
    // Lending a value is no read: the command's own lookups count.
    const Store::Lookups lookups = store.lookups();
    // The value leaves the store: a compaction's base gets it first.
    WriteThroughKey(store, local.rewrite, keys[i]);
    Entry* entry = store.Find(keys[i], now_ms);
    // The moved-from entry stays, an empty string with the key's expiry.
    if (entry != nullptr) (*values)[i].emplace(std::move(*entry));
    store.set_lookups(lookups);
  }
  return Epoch(local.dbs, dbs);
}

void PutValues(KvShards& shards, const HeldKeys& dbs,
               absl::Span<const std::string_view> keys,
               std::vector<std::optional<Entry>>* values, uint64_t epoch,
               const WriteEffect& effect, const TxLog* log, uint32_t index) {
  KvShard& local = shards.Local();
  const bool cleared = Epoch(local.dbs, dbs) != epoch;
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  std::optional<LogBlock> block;
  if (log != nullptr && local.log.started()) {
    block.emplace(local.log, log, index);
  }
  for (size_t i = 0; i < values->size(); ++i) {
    std::optional<Entry>& value = (*values)[i];
    const uint32_t db = dbs.Of(keys[i]);
    Store& store = local.dbs.Db(db);
    // (After a FLUSHALL, which the log has, nothing comes back.)
    if (block.has_value() && !cleared) {
      AppendSelect(&local.log.buffer(), &local.log.selected_db(), db);
      const std::string_view del[] = {"DEL", keys[i]};
      AppendCommand(&local.log.buffer(), del);
      if (value.has_value()) AppendEntry(&local.log.buffer(), keys[i], *value);
    }
    if (cleared) {
      value.reset();
    } else if (value.has_value()) {
      store.Put(keys[i], std::move(*value));
      value.reset();
    } else {
      store.Erase(keys[i], now_ms);
    }
  }
  if (!effect.wrote) return;
  for (std::string_view key : keys) {
    if (key == effect.unchanged_key ||
        std::find(dbs.read_only.begin(), dbs.read_only.end(), key) !=
            dbs.read_only.end()) {
      continue;
    }
    local.watches.Touch(DbKey(dbs.Of(key), key).view());
  }
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
                                       CommandArgs args, uint32_t db,
                                       absl::Span<const HeldValues> parts,
                                       resp::Protocol protocol,
                                       WriteEffect* effect) {
  // While loading, nothing expires and time stands still (ExecuteHere).
  Store& store = shards.Local().dbs.Db(db);
  const bool loading = store.loading();
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
  *effect = WriteEffect{};
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
  ctx.db = db;
  ctx.databases = &shards.Local().dbs;  // (for their count)
  ctx.on_lent_values = true;
  const uint32_t events = shards.keyspace_events();
  if (events != 0 && !loading) {
    ctx.events = &shards.Local().notifier;
    ctx.events->set_db(db);
    if (events & kNotifyNew) scratch.set_new_key_sink(ctx.events);
  }
  const uint64_t started_ns = stats::MonotonicNanos();
  spec.handler(ctx);
  scratch.set_new_key_sink(nullptr);
  const bool failed = !reply.empty() && reply[0] == '-';
  if (!shards.Local().counted_elsewhere) {
    shards.Local().stats.CountCommand(
        spec.name, stats::MonotonicNanos() - started_ns, failed);
  }
  effect->wrote = (spec.flags & kWrite) != 0 && !failed &&
                  !ctx.changed_nothing && !ChangedNothing(spec, args, reply);
  effect->unchanged_key = ctx.unchanged_key;
  if (effect->wrote && !loading) ++shards.Local().changes;
  if ((spec.flags & kReadonly) != 0) {
    store.set_lookups({store.lookups().hits + scratch.lookups().hits,
                       store.lookups().misses + scratch.lookups().misses});
  }
  give_back();
  return reply;
}

}  // namespace shardd::kv
