#include "shard/kv/exec/coordinated_command.h"

#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "net/resp/reply_writer.h"
#include "shard/invoke_on.h"
#include "shard/kv/exec/blocking.h"
#include "shard/kv/store/store.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

// The keys of one owner shard, each with its value as fetched (nullopt: the
// key did not exist) and, after the command ran, as it must become.
struct OwnedKeys {
  std::vector<std::string> keys;
  std::vector<std::optional<Entry>> before;
  std::vector<std::optional<Entry>> after;
  std::vector<bool> changed;
};

std::optional<Entry> CopyOf(Store& store, std::string_view key,
                            int64_t now_ms) {
  const Entry* entry = store.Find(key, now_ms);
  if (entry == nullptr) return std::nullopt;
  return entry->Clone();
}

bool SameEntry(const std::optional<Entry>& a, const std::optional<Entry>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || *a == *b;
}

}  // namespace

Task<std::string> RunCoordinated(KvShards& shards, const CommandSpec& spec,
                                 CommandArgs args,
                                 std::vector<size_t> key_positions) {
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  const uint32_t shard_count = shards.shard_count();
  std::vector<OwnedKeys> owned(shard_count);
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t position : key_positions) {
    std::string_view key = args[position];
    if (!seen.insert(absl::string_view(key.data(), key.size())).second) {
      continue;
    }
    owned[ShardSet::OwnerOf(key, shard_count)].keys.emplace_back(key);
  }

  // Copy in.
  for (uint32_t s = 0; s < shard_count; ++s) {
    OwnedKeys& part = owned[s];
    if (part.keys.empty()) continue;
    part.before = co_await InvokeOn(s, [&shards, &part, now_ms] {
      Store& store = shards.Local().store;
      std::vector<std::optional<Entry>> copies;
      for (const std::string& key : part.keys) {
        copies.push_back(CopyOf(store, key, now_ms));
      }
      return copies;
    });
  }

  // Run the ordinary handler on the copies.
  Store scratch;
  for (OwnedKeys& part : owned) {
    for (size_t i = 0; i < part.keys.size(); ++i) {
      if (part.before[i]) scratch.Put(part.keys[i], part.before[i]->Clone());
    }
  }
  std::string reply;
  resp::ReplyWriter writer(&reply);
  CommandContext ctx{scratch, writer, args, now_ms,
                     Reactor::Current()->shard_id(), shard_count,
                     &shards.Local().random};
  const uint64_t started_ns = stats::MonotonicNanos();
  spec.handler(ctx);
  shards.Local().stats.CountCommand(
      spec.name, stats::MonotonicNanos() - started_ns,
      !reply.empty() && reply[0] == '-');

  // Write back what changed.
  for (uint32_t s = 0; s < shard_count; ++s) {
    OwnedKeys& part = owned[s];
    bool any_changed = false;
    for (size_t i = 0; i < part.keys.size(); ++i) {
      part.after.push_back(CopyOf(scratch, part.keys[i], now_ms));
      part.changed.push_back(!SameEntry(part.before[i], part.after.back()));
      any_changed = any_changed || part.changed.back();
    }
    if (!any_changed) continue;
    co_await InvokeOn(s, [&shards, &part, now_ms] {
      Store& store = shards.Local().store;
      std::vector<std::string_view> written;
      for (size_t i = 0; i < part.keys.size(); ++i) {
        if (!part.changed[i]) continue;
        written.push_back(part.keys[i]);
        if (part.after[i]) {
          store.Put(part.keys[i], std::move(*part.after[i]));
        } else {
          store.Erase(part.keys[i], now_ms);
        }
      }
      NotifyBlockedWaiters(shards, written);
    });
  }
  co_return reply;
}

}  // namespace shardd::kv
