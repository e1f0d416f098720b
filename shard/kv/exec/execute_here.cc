#include "shard/kv/exec/execute_here.h"

#include "net/resp/reply_writer.h"
#include "shard/kv/exec/blocking.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {

void ExecuteHere(KvShards& shards, const CommandSpec& spec, CommandArgs args,
                 std::string* out, uint64_t* clock_ns) {
  KvShard& shard = shards.Local();
  const size_t reply_at = out->size();
  Reactor& reactor = *Reactor::Current();
  const uint64_t started_ns = clock_ns != nullptr && *clock_ns != 0
                                  ? *clock_ns
                                  : stats::MonotonicNanos();
  resp::ReplyWriter writer(out);
  CommandContext ctx{shard.store, writer, args,
                     reactor.WallMillisAt(started_ns), reactor.shard_id(),
                     shards.shard_count(), &shard.random};
  spec.handler(ctx);
  if (!shard.blocking.waiters_by_key.empty() && (spec.flags & kWrite) != 0) {
    NotifyBlockedWaiters(shards, args.subspan(1));
  }
  const bool failed = out->size() > reply_at && (*out)[reply_at] == '-';
  const uint64_t ended_ns = stats::MonotonicNanos();
  shard.stats.CountCommand(spec.name, ended_ns - started_ns, failed);
  if (clock_ns != nullptr) *clock_ns = ended_ns;
}

}  // namespace shardd::kv
