#include "shard/kv/exec/execute_here.h"

#include <cstring>
#include <utility>

#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/exec/blocking.h"
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

void TouchWatched(KvShard& shard, const CommandSpec& spec, CommandArgs args) {
  // A write that failed with an error changed nothing; one that succeeded
  // is taken to have changed each of its keys (Redis looks closer: a SADD
  // of a member already there leaves a watch alone, here it does not).
  std::vector<size_t>& positions = shard.key_scratch;
  positions.clear();
  FindKeyPositions(spec, args, &positions);
  for (size_t position : positions) shard.watches.Touch(args[position]);
}

namespace {

void NotifyKeyMisses(KvShard& shard, const CommandSpec& spec, CommandArgs args,
                     int64_t now_ms) {
  // A read's keys that were not there (a read makes none).
  std::vector<size_t>& positions = shard.key_scratch;
  positions.clear();
  FindKeyPositions(spec, args, &positions);
  // (Looking again is not another read.)
  const Store::Lookups lookups = shard.store.lookups();
  for (size_t position : positions) {
    if (shard.store.Find(args[position], now_ms) == nullptr) {
      shard.notifier.Notify(kNotifyKeyMiss, "keymiss", args[position]);
    }
  }
  shard.store.set_lookups(lookups);
}

}  // namespace

void ExecuteHere(KvShards& shards, const CommandSpec& spec, CommandArgs args,
                 std::string* out, resp::Protocol protocol,
                 uint64_t* clock_ns) {
  KvShard& shard = shards.Local();
  const size_t reply_at = out->size();
  Reactor& reactor = *Reactor::Current();
  const uint64_t started_ns = clock_ns != nullptr && *clock_ns != 0
                                  ? *clock_ns
                                  : stats::MonotonicNanos();
  resp::ReplyWriter writer(out, protocol);
  // While loading, records replay against the state they were logged in:
  // nothing expires (Store::set_loading) and relative times mean nothing.
  const int64_t now_ms =
      shard.store.loading() ? 0 : reactor.WallMillisAt(started_ns);
  if (now_ms != 0) shard.store.set_clock(now_ms);
  CommandContext ctx{shard.store, writer, args, now_ms, reactor.shard_id(),
                     shards.shard_count(), &shard.random};
  const bool writes = (spec.flags & kWrite) != 0;
  const Store::Lookups lookups = shard.store.lookups();
  if (writes && shard.log.error() != 0) {
    // As Redis: no write is accepted that could not be logged; reads go on.
    writer.Error(std::string("MISCONF Errors writing to the AOF file: ") +
                 std::strerror(shard.log.error()));
    shard.stats.CountCommand(spec.name, 0, /*failed=*/true);
    shard.running_client_id = 0;
    if (clock_ns != nullptr) *clock_ns = stats::MonotonicNanos();
    return;
  }
  if (writes && shard.store.rewriting()) {
    // A compaction's base gets these keys as they are before the write.
    std::vector<size_t>& positions = shard.key_scratch;
    positions.clear();
    FindKeyPositions(spec, args, &positions);
    for (size_t position : positions) {
      WriteThroughKey(shard.store, shard.rewrite, args[position]);
    }
  }
  if (writes && !shard.watches.empty() && spec.keys == KeyLayout::kEveryShard) {
    // FLUSHALL: every watched key that exists now changes.
    shard.watches.TouchAll([&](std::string_view key) {
      return shard.store.Find(key, ctx.now_ms) != nullptr;
    });
  }
  const uint32_t events = shards.keyspace_events();
  if (events != 0 && !shard.store.loading()) {
    ctx.events = &shard.notifier;
    if (events & kNotifyNew) shard.store.set_new_key_sink(&shard.notifier);
  }
  spec.handler(ctx);
  const bool failed = out->size() > reply_at && (*out)[reply_at] == '-';
  if (ctx.events != nullptr) {
    shard.store.set_new_key_sink(nullptr);
    // OBJECT looks without notifying, in Redis too.
    if ((events & kNotifyKeyMiss) && (spec.flags & kReadonly) && !failed &&
        spec.name != "object") {
      NotifyKeyMisses(shard, spec, args, now_ms);
    }
  }
  if (ctx.rewrote_bytes && !writes && !failed && shard.log.started()) {
    AppendCommand(&shard.log.buffer(), args);
    shard.log.Commit();
  }
  if (writes && !failed) {
    const std::string_view reply = std::string_view(*out).substr(reply_at);
    const bool changed =
        !ctx.changed_nothing && !ChangedNothing(spec, args, reply);
    if (changed && !shard.watches.empty()) TouchWatched(shard, spec, args);
    if (changed && shard.log.started()) {
      AppendWriteRecord(&shard.log.buffer(), spec, args, reply, shard.store,
                        now_ms);
      shard.log.Commit();
    }
  }
  if (!shard.blocking.waiters_by_key.empty() && writes) {
    NotifyBlockedWaiters(shards, args.subspan(1));
  }
  // Only reads count as keyspace hits and misses (not a write's lookups,
  // nor those of its log record).
  if ((spec.flags & kReadonly) == 0) shard.store.set_lookups(lookups);
  const uint64_t ended_ns = stats::MonotonicNanos();
  shard.stats.CountCommand(spec.name, ended_ns - started_ns, failed);
  const uint64_t client_id = std::exchange(shard.running_client_id, 0);
  const int64_t slow_us = shards.slowlog_threshold_us();
  const uint64_t took_us = (ended_ns - started_ns) / 1000;
  if (slow_us >= 0 && took_us >= static_cast<uint64_t>(slow_us) &&
      !shard.store.loading()) {
    shard.slow_log.Record(shards.NextSlowLogId(), now_ms / 1000, took_us, args,
                          client_id, shards.slowlog_max_len());
  }
  const int64_t spike_ms = shards.latency_threshold_ms();
  if (spike_ms > 0 && took_us / 1000 >= static_cast<uint64_t>(spike_ms) &&
      !shard.store.loading()) {
    shard.latency.Add((spec.flags & kFast) != 0 ? "fast-command" : "command",
                      now_ms / 1000, took_us / 1000);
  }
  if (clock_ns != nullptr) *clock_ns = ended_ns;
}

}  // namespace shardd::kv
