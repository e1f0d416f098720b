// PFADD, PFCOUNT and PFMERGE: HyperLogLogs kept in string values in Redis's
// own byte format (hll_sketch.h), and the HyperLogLog command table.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/hll/hll_sketch.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotHllError =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr std::string_view kCorruptHllError =
    "INVALIDOBJ Corrupted HLL object detected";

// The key's HLL (or null for no key). False, with the error replied, if it
// holds another type or a string that is no HLL.
bool FindSketch(CommandContext& ctx, std::string_view key, Entry** entry) {
  if (!FindString(ctx, key, entry)) return false;
  if (*entry != nullptr && !HllLooksValid((*entry)->string())) {
    ctx.reply.Error(kNotHllError);
    return false;
  }
  return true;
}

// Stores `sketch` at `key`: a new key has no expiry, an existing one keeps
// its own.
void StoreSketch(CommandContext& ctx, std::string_view key, Entry* entry,
                 std::string_view sketch) {
  if (entry == nullptr) {
    ctx.store.SetString(key, sketch, /*expire_at_ms=*/0);
  } else {
    entry->AssignString(sketch);
  }
}

// PFADD key [element ...].
void PfAddCommand(CommandContext& ctx) {
  const std::string_view key = ctx.args[1];
  Entry* entry;
  if (!FindSketch(ctx, key, &entry)) return;
  std::string sketch =
      entry == nullptr ? HllEmpty() : std::string(entry->string());
  // Creating the key is a change, even with no elements.
  bool changed = entry == nullptr;
  bool corrupt = false;
  for (size_t i = 2; i < ctx.args.size() && !corrupt; ++i) {
    const HllUpdate update = HllAdd(&sketch, ctx.args[i]);
    changed |= update == HllUpdate::kChanged;
    corrupt = update == HllUpdate::kCorrupt;
  }
  if (changed) {
    // Redis marks the cache stale for a new, empty HLL too.
    HllInvalidateCachedCount(&sketch);
    // Redis edits the value in place, so the elements added before a
    // corrupt opcode stopped it stay added, though the reply is the error.
    StoreSketch(ctx, key, entry, sketch);
  }
  if (corrupt) {
    ctx.reply.Error(kCorruptHllError);
    return;
  }
  if (changed) ctx.Notify(kNotifyString, "pfadd", key);
  ctx.reply.Integer(changed ? 1 : 0);
}

// PFCOUNT key [key ...]: one key's count comes from (and fills) the cache
// in its header; several keys are counted as their union, which is not
// stored.
void PfCountCommand(CommandContext& ctx) {
  if (ctx.args.size() > 2) {
    HllRegisters registers{};
    for (size_t i = 1; i < ctx.args.size(); ++i) {
      Entry* entry;
      if (!FindSketch(ctx, ctx.args[i], &entry)) return;
      if (entry == nullptr) continue;
      if (!HllMergeInto(entry->string(), &registers)) {
        ctx.reply.Error(kCorruptHllError);
        return;
      }
    }
    ctx.reply.Integer(static_cast<int64_t>(HllCount(registers)));
    return;
  }
  Entry* entry;
  if (!FindSketch(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  std::optional<uint64_t> count = HllCachedCount(entry->string());
  if (!count.has_value()) {
    count = HllCount(entry->string());
    if (!count.has_value()) {
      ctx.reply.Error(kCorruptHllError);
      return;
    }
    // The refreshed cache is part of the value, as in Redis: a GET after
    // PFCOUNT shows it, after a restart too (the log gets the PFCOUNT).
    // Same size, so the bytes are written in place.
    HllStoreCachedCount(entry->MutableString(), *count);
    ctx.rewrote_bytes = true;
  }
  ctx.reply.Integer(static_cast<int64_t>(*count));
}

// PFMERGE destkey [sourcekey ...]: destkey is one of the sources.
void PfMergeCommand(CommandContext& ctx) {
  const std::string_view dest_key = ctx.args[1];
  HllRegisters registers{};
  bool any_dense = false;
  Entry* dest = nullptr;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    Entry* entry;
    if (!FindSketch(ctx, ctx.args[i], &entry)) return;
    if (entry == nullptr) continue;
    if (i == 1) dest = entry;
    any_dense |= HllIsDense(entry->string());
    if (!HllMergeInto(entry->string(), &registers)) {
      ctx.reply.Error(kCorruptHllError);
      return;
    }
  }
  std::string sketch =
      dest == nullptr ? HllEmpty() : std::string(dest->string());
  // As Redis, the result is dense if any input was; otherwise it stays
  // sparse until the registers raised below promote it. The destination
  // merged cleanly above, so it cannot be corrupt here.
  if (any_dense) HllMakeDense(&sketch);
  for (uint32_t i = 0; i < kHllRegisterCount; ++i) {
    if (registers[i] != 0) HllRaise(&sketch, i, registers[i]);
  }
  HllInvalidateCachedCount(&sketch);
  StoreSketch(ctx, dest_key, dest, sketch);
  ctx.Notify(kNotifyString, "pfadd", dest_key);
  ctx.reply.Ok();
}

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them. PFCOUNT is a
// read that may write: one key's cache (see above).
constexpr CommandSpec kHyperLogLogCommands[] = {
    {"pfadd", -2, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     PfAddCommand},
    {"pfcount", -2, kReadonly, kAll, kCoordinated, PfCountCommand},
    {"pfmerge", -2, kWrite | kDenyOom, kAll, kCoordinated, PfMergeCommand},
};

}  // namespace

absl::Span<const CommandSpec> HyperLogLogCommandTable() {
  return kHyperLogLogCommands;
}

}  // namespace shardd::kv
