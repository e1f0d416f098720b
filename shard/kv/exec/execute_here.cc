#include "shard/kv/exec/execute_here.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/commands/db_index.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/exec/db_key.h"
#include "shard/kv/persist/records.h"
#include "shard/kv/persist/write_records.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {

bool ChangedNothing(const CommandSpec& spec, CommandArgs args,
                    std::string_view reply) {
  // A blocking command's null reply too: it popped nothing (its retries
  // while a client waits must not abort that client's own EXEC).
  const bool null = resp::IsNull(reply);
  if (((spec.flags & (kNullIsNoop | kBlocking)) != 0 && null) ||
      ((spec.flags & kZeroIsNoop) != 0 && reply == ":0\r\n")) {
    return true;
  }
  if ((spec.flags & kWritesOnlyStore) == 0) return false;
  std::vector<size_t> positions;
  FindKeyPositions(spec, args, &positions);
  return positions.size() < 2;
}

void TouchWatched(KvShard& shard, const CommandSpec& spec, CommandArgs args,
                  uint32_t db, const OtherDbKey* other,
                  std::optional<std::string_view> unchanged_key) {
  // A write that failed with an error, or that knew it changed nothing,
  // did not get here; one that did is taken to have changed each key it
  // may write but the one it says it left alone.
  std::vector<size_t>& positions = shard.key_scratch;
  positions.clear();
  FindWrittenKeyPositions(spec, args, &positions);
  for (size_t position : positions) {
    if (args[position] == unchanged_key) continue;
    // MOVE's key changes in both databases, COPY's destination in its own.
    if (other != nullptr && position == other->position) {
      shard.watches.Touch(DbKey(other->db, args[position]).view());
      if (spec.name == "copy") continue;
    }
    shard.watches.Touch(DbKey(db, args[position]).view());
  }
}

namespace {

void NotifyKeyMisses(KvShard& shard, Store& store, const CommandSpec& spec,
                     CommandArgs args, int64_t now_ms) {
  // A read's keys that were not there (a read makes none).
  std::vector<size_t>& positions = shard.key_scratch;
  positions.clear();
  FindKeyPositions(spec, args, &positions);
  // (Looking again is not another read, and does not mark a key as used:
  // EXISTS, TYPE and TTL must leave its idle time going.)
  for (size_t position : positions) {
    if (store.PeekUncounted(args[position], now_ms) == nullptr) {
      shard.notifier.Notify(kNotifyKeyMiss, "keymiss", args[position]);
    }
  }
}

// Before FLUSHALL, FLUSHDB or SWAPDB: each watched key alive in a
// database they change (either of SWAPDB's two) changes, as in Redis.
void TouchWholeDatabases(KvShard& shard, const CommandSpec& spec,
                         CommandArgs args, uint32_t db, int64_t now_ms) {
  std::vector<uint32_t> dbs;  // empty: every one
  if (spec.name == "flushall" || spec.name == "flushdb") {
    // One that fails (a wrong argument) changes nothing.
    if (args.size() > 2 ||
        (args.size() == 2 && !EqualsIgnoreCase(args[1], "SYNC") &&
         !EqualsIgnoreCase(args[1], "ASYNC"))) {
      return;
    }
  }
  if (spec.name == "flushdb") dbs.push_back(db);
  if (spec.name == "swapdb") {
    int64_t first = 0;
    int64_t second = 0;
    if (args.size() != 3 || !ParseInt64(args[1], &first) ||
        !ParseInt64(args[2], &second) || first < 0 || second < 0 ||
        first >= shard.dbs.count() || second >= shard.dbs.count() ||
        first == second) {
      return;  // it changes nothing
    }
    dbs = {static_cast<uint32_t>(first), static_cast<uint32_t>(second)};
  }
  const auto alive = [&](uint32_t key_db, std::string_view key) {
    Store* store = shard.dbs.Find(key_db);
    if (store == nullptr) return false;
    return store->PeekUncounted(key, now_ms) != nullptr;
  };
  shard.watches.TouchAll([&](std::string_view name) {
    uint32_t key_db;
    std::string_view key;
    ParseDbKey(name, &key_db, &key);
    if (dbs.empty()) return alive(key_db, key);
    if (std::find(dbs.begin(), dbs.end(), key_db) == dbs.end()) return false;
    return std::any_of(dbs.begin(), dbs.end(),
                       [&](uint32_t d) { return alive(d, key); });
  });
}

}  // namespace

void ExecuteHere(KvShards& shards, const CommandSpec& spec, CommandArgs args,
                 uint32_t db, std::string* out, resp::Protocol protocol,
                 uint64_t* clock_ns) {
  KvShard& shard = shards.Local();
  Store& store = shard.dbs.Db(db);
  const size_t reply_at = out->size();
  Reactor& reactor = *Reactor::Current();
  const uint64_t started_ns = clock_ns != nullptr && *clock_ns != 0
                                  ? *clock_ns
                                  : stats::MonotonicNanos();
  resp::ReplyWriter writer(out, protocol);
  // While loading, records replay against the state they were logged in:
  // nothing expires (Store::set_loading) and relative times mean nothing.
  const int64_t now_ms = store.loading() ? 0 : reactor.WallMillisAt(started_ns);
  if (now_ms != 0) store.set_clock(now_ms);
  CommandContext ctx{store,
                     writer,
                     args,
                     now_ms,
                     reactor.shard_id(),
                     shards.shard_count(),
                     &shard.random};
  ctx.db = db;
  ctx.databases = &shard.dbs;
  const bool writes = (spec.flags & kWrite) != 0;
  const Store::Lookups lookups = store.lookups();
  if (writes && shard.log.error() != 0) {
    // As Redis: no write is accepted that could not be logged; reads go on.
    writer.Error(std::string("MISCONF Errors writing to the AOF file: ") +
                 std::strerror(shard.log.error()));
    if (!shard.counted_elsewhere && !shard.repeating_read) {
      shard.stats.CountCommand(spec.name, 0, /*failed=*/true);
    }
    shard.running_client_id = 0;
    if (clock_ns != nullptr) *clock_ns = stats::MonotonicNanos();
    return;
  }
  if (writes && store.rewriting()) {
    // A compaction's base gets these keys as they are before the write.
    std::vector<size_t>& positions = shard.key_scratch;
    positions.clear();
    FindKeyPositions(spec, args, &positions);
    for (size_t position : positions) {
      WriteThroughKey(store, shard.rewrite, args[position]);
    }
  }
  // MOVE's key, COPY's destination in another database.
  OtherDbKey other;
  const bool has_other =
      writes && KeyInOtherDb(spec, args, db, shard.dbs.count(), &other);
  Store* other_store = nullptr;
  Store::Lookups other_lookups;
  if (has_other) {
    other_store = &shard.dbs.Db(other.db);
    // A key MOVE or COPY makes there is stamped with this command's time,
    // not with that of the last command run in that database.
    if (now_ms != 0) other_store->set_clock(now_ms);
    // Its look at the key there is no read either.
    other_lookups = other_store->lookups();
    WriteThroughKey(*other_store, shard.rewrite, args[other.position]);
  }
  if (writes && !shard.watches.empty() && spec.keys == KeyLayout::kEveryShard) {
    TouchWholeDatabases(shard, spec, args, db, now_ms);
  }
  const uint32_t events = shards.keyspace_events();
  if (events != 0 && !store.loading()) {
    ctx.events = &shard.notifier;
    shard.notifier.set_db(db);
    if (events & kNotifyNew) store.set_new_key_sink(&shard.notifier);
  }
  spec.handler(ctx);
  const bool failed = out->size() > reply_at && (*out)[reply_at] == '-';
  if (other_store != nullptr) other_store->set_lookups(other_lookups);
  if (ctx.events != nullptr) {
    store.set_new_key_sink(nullptr);
    // OBJECT looks without notifying, in Redis too.
    if ((events & kNotifyKeyMiss) && (spec.flags & kReadonly) && !failed &&
        !shard.repeating_read && spec.name != "object") {
      NotifyKeyMisses(shard, store, spec, args, now_ms);
    }
  }
  if (ctx.rewrote_bytes && !writes && !failed && shard.log.started()) {
    AppendSelect(&shard.log.buffer(), &shard.log.selected_db(), db);
    AppendCommand(&shard.log.buffer(), args);
    shard.log.Commit();
  }
  if (writes && !failed) {
    const std::string_view reply = std::string_view(*out).substr(reply_at);
    const bool changed =
        !ctx.changed_nothing && !ChangedNothing(spec, args, reply);
    if (changed && !store.loading()) ++shard.changes;
    if (changed && !shard.watches.empty()) {
      TouchWatched(shard, spec, args, db, has_other ? &other : nullptr,
                   ctx.unchanged_key);
    }
    if (changed && shard.log.started()) {
      // (FLUSHALL is every database's.)
      if (spec.name != "flushall") {
        AppendSelect(&shard.log.buffer(), &shard.log.selected_db(), db);
      }
      AppendWriteRecord(&shard.log.buffer(), spec, args, reply, store, now_ms);
      shard.log.Commit();
    }
  }
  if (!shard.blocking.waiters_by_key.empty() && writes) {
    NotifyBlockedWaiters(shards, db, args.subspan(1));
    if (has_other) {
      NotifyBlockedWaiters(shards, other.db, args.subspan(other.position, 1));
    }
    // Lists that SWAPDB brought into a database serve its waiters.
    if (spec.name == "swapdb") ServeEveryKey(shards, nullptr);
  }
  // Only reads count as keyspace hits and misses (not a write's lookups,
  // nor those of its log record).
  if ((spec.flags & kReadonly) == 0 || shard.repeating_read) {
    store.set_lookups(lookups);
  }
  const uint64_t ended_ns = stats::MonotonicNanos();
  if (!shard.counted_elsewhere && !shard.repeating_read) {
    shard.stats.CountCommand(spec.name, ended_ns - started_ns, failed);
  }
  const uint64_t client_id = std::exchange(shard.running_client_id, 0);
  const int64_t slow_us = shards.slowlog_threshold_us();
  const uint64_t took_us = (ended_ns - started_ns) / 1000;
  if (slow_us >= 0 && took_us >= static_cast<uint64_t>(slow_us) &&
      !shard.repeating_read && !store.loading()) {
    shard.slow_log.Record(shards.NextSlowLogId(), now_ms / 1000, took_us, args,
                          client_id, shards.slowlog_max_len());
  }
  const int64_t spike_ms = shards.latency_threshold_ms();
  if (spike_ms > 0 && took_us / 1000 >= static_cast<uint64_t>(spike_ms) &&
      !shard.repeating_read && !store.loading()) {
    shard.latency.Add((spec.flags & kFast) != 0 ? "fast-command" : "command",
                      now_ms / 1000, took_us / 1000);
  }
  if (clock_ns != nullptr) *clock_ns = ended_ns;
}

}  // namespace shardd::kv
