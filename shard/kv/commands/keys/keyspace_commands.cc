// Commands over a shard's whole keyspace: KEYS and RANDOMKEY (run on every
// shard and merged) and SCAN (one shard per call: the cursor names it).
//
// A SCAN cursor is the shard in its top 10 bits and, below, where that
// shard's walk resumes: a prefix of the 64-bit scan hash of the key
// (scan_order.h). Each call visits every key of the shard and returns those
// whose hash prefix is at or past the cursor, lowest first: an O(keys) pass
// per call, and so that a full scan stays a bounded number of passes, a page
// holds at least 1/16 of the shard's keys whatever COUNT says (COUNT is a
// hint in Redis too). A key present for the whole scan is always returned;
// keys sharing a hash prefix are never split across pages.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/random/distributions.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/glob_match.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/scan_arguments.h"
#include "shard/kv/store/scan_order.h"

namespace shardd::kv {
namespace {

constexpr uint64_t kPrefixMask = (uint64_t{1} << kScanPositionBits) - 1;
constexpr size_t kPagesPerPass = 16;

uint64_t PrefixOf(std::string_view key) {
  return ScanHash(key) >> kScanShardBits;
}

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kHash:
      return "hash";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
  }
  return "";
}

}  // namespace

void KeysCommand(CommandContext& ctx) {
  const std::string_view pattern = ctx.args[1];
  const bool all = pattern == "*";
  std::vector<std::string_view> keys;
  ctx.store.ForEachKey(ctx.now_ms, [&](std::string_view key, const Entry&) {
    if (all || GlobMatch(pattern, key)) keys.push_back(key);
  });
  ctx.reply.ArrayHeader(keys.size());
  for (std::string_view key : keys) ctx.reply.Bulk(key);
}

// A uniform pick among the shard's keys: the table has no random access, so
// this walks it to a uniformly drawn place, O(N) as SCAN's pages are (about
// a nanosecond a key). Split over shards, the part also says how many keys
// its shard has, for the merge to weight it (Merge::kWeightedByKeys).
void RandomKeyCommand(CommandContext& ctx) {
  const std::optional<std::string> key = ctx.store.RandomKey(
      ctx.now_ms,
      [&](size_t n) { return absl::Uniform<size_t>(*ctx.random, 0, n); });
  if (ctx.shard_count > 1) {
    // Counted after the pick, which may have deleted expired keys.
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(key ? static_cast<int64_t>(ctx.store.KeyCount()) : 0);
  }
  if (key) {
    ctx.reply.Bulk(*key);
  } else {
    ctx.reply.NullBulk();
  }
}

void ScanCommand(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.args[1], &cursor)) {
    ctx.reply.Error(kInvalidCursorError);
    return;
  }
  // TYPE is SCAN's own option; COUNT and MATCH are shared with HSCAN & co.
  std::vector<std::string_view> options;
  std::optional<std::string_view> type;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (EqualsIgnoreCase(ctx.args[i], "TYPE") && i + 1 < ctx.args.size()) {
      type = ctx.args[++i];
    } else {
      options.push_back(ctx.args[i]);
    }
  }
  ScanOptions parsed;
  if (!ParseScanOptions(options, ctx.reply, &parsed)) return;
  if (ScanCursorShard(cursor) >= ctx.shard_count) {
    // Past the last shard: nothing left (Redis, too, ends on a stray cursor).
    ReplyScanPage(ctx.reply, 0, std::vector<std::string_view>());
    return;
  }

  const uint64_t from = cursor & kPrefixMask;
  std::vector<std::pair<uint64_t, std::string_view>> candidates;
  size_t keys_here = 0;
  ctx.store.ForEachKey(ctx.now_ms, [&](std::string_view key, const Entry&) {
    ++keys_here;
    const uint64_t prefix = PrefixOf(key);
    // Filters apply after the page is cut, as in Redis: a page may come back
    // empty with a cursor to continue from.
    if (prefix >= from) candidates.push_back({prefix, key});
  });
  const size_t page = std::max(parsed.count, keys_here / kPagesPerPass + 1);
  std::sort(candidates.begin(), candidates.end());
  size_t taken = std::min(page, candidates.size());
  // Never split keys that share a prefix: the cursor could not tell them apart.
  while (taken < candidates.size() &&
         candidates[taken].first == candidates[taken - 1].first) {
    ++taken;
  }
  uint64_t next = 0;
  if (taken < candidates.size()) {
    next = (uint64_t{ctx.shard_id} << kScanPositionBits) |
           candidates[taken].first;
  } else if (ctx.shard_id + 1 < ctx.shard_count) {
    next = uint64_t{ctx.shard_id + 1} << kScanPositionBits;
  }
  std::vector<std::string_view> keys;
  for (size_t i = 0; i < taken; ++i) {
    const std::string_view key = candidates[i].second;
    if (parsed.pattern && !parsed.Matches(key)) continue;
    if (type) {
      const Entry* entry = ctx.store.Find(key, ctx.now_ms);
      if (entry == nullptr || !EqualsIgnoreCase(TypeName(entry->type()), *type)) {
        continue;
      }
    }
    keys.push_back(key);
  }
  ReplyScanPage(ctx.reply, next, keys);
}

}  // namespace shardd::kv
