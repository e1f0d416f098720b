// Plain string commands: read, replace, delete and append whole values. SET
// (with its options), GETEX, ranges and the counters have their own files.
// The family's table is at the end.
#include <cstdint>
#include <cstring>
#include <vector>

#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

// Bulk reply with the string at `key`, or a null bulk if there is none.
// False (after replying WRONGTYPE) if the key holds another type.
bool ReplyValue(CommandContext& ctx, std::string_view key) {
  Entry* entry;
  if (!FindString(ctx, key, &entry)) return false;
  if (entry == nullptr) {
    ctx.reply.NullBulk();
  } else {
    ctx.reply.Bulk(entry->string());
  }
  return true;
}

}  // namespace

void GetCommand(CommandContext& ctx) { ReplyValue(ctx, ctx.args[1]); }

void GetDelCommand(CommandContext& ctx) {
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.NullBulk();
    return;
  }
  ctx.reply.Bulk(entry->string());
  ctx.DeleteKey(ctx.args[1]);
}

void SetNxCommand(CommandContext& ctx) {
  if (ctx.store.Find(ctx.args[1], ctx.now_ms) != nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  ctx.store.SetString(ctx.args[1], ctx.args[2], /*expire_at_ms=*/0);
  ctx.Notify(kNotifyString, "set", ctx.args[1]);
  ctx.reply.Integer(1);
}

void GetSetCommand(CommandContext& ctx) {
  // The reply copies the old value out before SetString overwrites it.
  if (!ReplyValue(ctx, ctx.args[1])) return;
  // Like SET without KEEPTTL, GETSET drops any expiry.
  ctx.store.SetString(ctx.args[1], ctx.args[2], /*expire_at_ms=*/0);
  ctx.Notify(kNotifyString, "set", ctx.args[1]);
}

void MGetCommand(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if ((i - 1) % Store::kPrefetchWindow == 0)
      ctx.store.PrefetchKeys(ctx.args, i);
    // MGET answers nil, not WRONGTYPE, for a key of another type.
    const Entry* entry = ctx.store.Find(ctx.args[i], ctx.now_ms);
    if (entry == nullptr || entry->type() != ValueType::kString) {
      ctx.reply.NullBulk();
    } else {
      ctx.reply.Bulk(entry->string());
    }
  }
}

void MSetCommand(CommandContext& ctx) {
  // The arity (-3) lets through a key without a value; Redis rejects it here.
  if (ctx.args.size() % 2 == 0) {
    ReplyWrongArity(ctx.reply, "mset");
    return;
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if ((i - 1) % (2 * Store::kPrefetchWindow) == 0) {
      ctx.store.PrefetchKeys(ctx.args, i, /*stride=*/2);
    }
    ctx.store.SetString(ctx.args[i], ctx.args[i + 1], /*expire_at_ms=*/0);
    ctx.Notify(kNotifyString, "set", ctx.args[i]);
  }
  ctx.reply.Ok();
}

void MSetNxCommand(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) {
    ReplyWrongArity(ctx.reply, "msetnx");
    return;
  }
  // All or nothing: one existing key (of any type) cancels the whole set.
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if ((i - 1) % (2 * Store::kPrefetchWindow) == 0) {
      ctx.store.PrefetchKeys(ctx.args, i, /*stride=*/2);
    }
    if (ctx.store.Find(ctx.args[i], ctx.now_ms) != nullptr) {
      ctx.reply.Integer(0);
      return;
    }
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    ctx.store.SetString(ctx.args[i], ctx.args[i + 1], /*expire_at_ms=*/0);
    ctx.Notify(kNotifyString, "set", ctx.args[i]);
  }
  ctx.reply.Integer(1);
}

void AppendCommand(CommandContext& ctx) {
  const std::string_view suffix = ctx.args[2];
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.store.SetString(ctx.args[1], suffix, /*expire_at_ms=*/0);
    ctx.Notify(kNotifyString, "append", ctx.args[1]);
    ctx.reply.Integer(static_cast<int64_t>(suffix.size()));
    return;
  }
  const size_t old_size = entry->string().size();
  if (!FitsStringLimit(old_size, suffix.size())) {
    ctx.reply.Error(kStringTooLongError);
    return;
  }
  const size_t new_size = old_size + suffix.size();
  if (!suffix.empty()) {
    std::memcpy(entry->ResizeString(new_size) + old_size, suffix.data(),
                suffix.size());
  }
  // Appending nothing still counts as an append in Redis.
  ctx.Notify(kNotifyString, "append", ctx.args[1]);
  ctx.reply.Integer(static_cast<int64_t>(new_size));
}

void StrLenCommand(CommandContext& ctx) {
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  ctx.reply.Integer(
      entry == nullptr ? 0 : static_cast<int64_t>(entry->string().size()));
}

namespace {

// LCS key1 key2 [options]: the two keys, which may live on different shards.
void LcsKeys(CommandArgs, std::vector<size_t>* positions) {
  positions->push_back(1);
  positions->push_back(2);
}

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kStringCommands[] = {
    {"get", 2, kReadonly | kFast, kFirst, kSingle, GetCommand},
    {"set", -3, kWrite | kDenyOom, kFirst, kSingle, SetCommand},
    {"setnx", 3, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     SetNxCommand},
    {"getset", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, GetSetCommand},
    {"mget", -2, kReadonly | kFast, kAll, kArrayByKey, MGetCommand},
    {"mset", -3, kWrite | kDenyOom, kPairs, kAllOk, MSetCommand},
    {"incr", 2, kWrite | kDenyOom | kFast, kFirst, kSingle, IncrCommand},
    {"decr", 2, kWrite | kDenyOom | kFast, kFirst, kSingle, DecrCommand},
    {"incrby", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, IncrByCommand},
    {"decrby", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, DecrByCommand},
    {"append", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, AppendCommand},
    {"strlen", 2, kReadonly | kFast, kFirst, kSingle, StrLenCommand},
    {"setex", 4, kWrite | kDenyOom, kFirst, kSingle, SetExCommand},
    {"psetex", 4, kWrite | kDenyOom, kFirst, kSingle, PSetExCommand},
    {"getdel", 2, kWrite | kFast | kNullIsNoop, kFirst, kSingle, GetDelCommand},
    {"getex", -2, kWrite | kFast, kFirst, kSingle, GetExCommand},
    {"getrange", 4, kReadonly, kFirst, kSingle, GetRangeCommand},
    {"setrange", 4, kWrite | kDenyOom, kFirst, kSingle, SetRangeCommand},
    {"incrbyfloat", 3, kWrite | kDenyOom | kFast, kFirst, kSingle,
     IncrByFloatCommand},
    {"msetnx", -3, kWrite | kDenyOom | kZeroIsNoop, kPairs, kCoordinated,
     MSetNxCommand},
    {"setbit", 4, kWrite | kDenyOom, kFirst, kSingle, SetBitCommand},
    {"getbit", 3, kReadonly | kFast, kFirst, kSingle, GetBitCommand},
    {"bitcount", -2, kReadonly, kFirst, kSingle, BitCountCommand},
    {"bitpos", -3, kReadonly, kFirst, kSingle, BitPosCommand},
    {"bitop", -4, kWrite | kDenyOom, kCustom, kCoordinated, BitOpCommand,
     BitOpKeys},
    {"bitfield", -2, kWrite | kDenyOom, kFirst, kSingle, BitFieldCommand},
    {"bitfield_ro", -2, kReadonly | kFast, kFirst, kSingle, BitFieldRoCommand},
    {"lcs", -3, kReadonly, kCustom, kCoordinated, LcsCommand, LcsKeys},
};

}  // namespace

absl::Span<const CommandSpec> StringCommandTable() { return kStringCommands; }

}  // namespace shardd::kv
