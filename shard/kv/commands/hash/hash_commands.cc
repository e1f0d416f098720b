// The hash commands that read and write whole fields, and the hash command
// table. Counters, random fields and HSCAN have their own files.
#include <cstdint>
#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/family_tables.h"
#include "shard/kv/commands/hash/hash_handlers.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/hash_value.h"

namespace shardd::kv {

namespace {

// HSET and HMSET: sets every field-value pair in args[2..]; returns how many
// fields are new, or -1 after replying an error. The caller replies, then
// reports "hset" (even if no value changed, as Redis does).
int64_t SetPairs(CommandContext& ctx, std::string_view command) {
  // The arity (-4) lets through a field without a value.
  if (ctx.args.size() % 2 == 1) {
    ReplyWrongArity(ctx.reply, command);
    return -1;
  }
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return -1;
  if (hash == nullptr) {
    hash = &ctx.store.Create(ctx.args[1], ValueType::kHash).hash();
  }
  int64_t added = 0;
  for (size_t i = 2; i < ctx.args.size(); i += 2) {
    added += hash->Set(ctx.args[i], ctx.args[i + 1]) ? 1 : 0;
  }
  return added;
}

void HSetCommand(CommandContext& ctx) {
  const int64_t added = SetPairs(ctx, "hset");
  if (added < 0) return;
  ctx.reply.Integer(added);
  ctx.Notify(kNotifyHash, "hset", ctx.args[1]);
}

void HMSetCommand(CommandContext& ctx) {
  if (SetPairs(ctx, "hmset") < 0) return;
  ctx.reply.Ok();
  ctx.Notify(kNotifyHash, "hset", ctx.args[1]);
}

void HSetNxCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  if (hash != nullptr && hash->Find(ctx.args[2]) != nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  if (hash == nullptr) {
    hash = &ctx.store.Create(ctx.args[1], ValueType::kHash).hash();
  }
  hash->Set(ctx.args[2], ctx.args[3]);
  ctx.reply.Integer(1);
  ctx.Notify(kNotifyHash, "hset", ctx.args[1]);
}

void HGetCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  const std::string* value =
      hash == nullptr ? nullptr : hash->Find(ctx.args[2]);
  if (value == nullptr) {
    ctx.reply.NullBulk();
  } else {
    ctx.reply.Bulk(*value);
  }
}

void HMGetCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string* value =
        hash == nullptr ? nullptr : hash->Find(ctx.args[i]);
    if (value == nullptr) {
      ctx.reply.NullBulk();
    } else {
      ctx.reply.Bulk(*value);
    }
  }
}

void HDelCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  int64_t deleted = 0;
  if (hash != nullptr) {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      deleted += hash->Erase(ctx.args[i]) ? 1 : 0;
    }
    if (deleted > 0) ctx.Notify(kNotifyHash, "hdel", ctx.args[1]);
    // Redis has no empty hashes.
    if (hash->size() == 0) {
      ctx.DeleteKey(ctx.args[1]);
    }
  }
  ctx.reply.Integer(deleted);
}

void HLenCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  ctx.reply.Integer(hash == nullptr ? 0 : static_cast<int64_t>(hash->size()));
}

void HExistsCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  ctx.reply.Integer(hash != nullptr && hash->Find(ctx.args[2]) != nullptr);
}

void HStrLenCommand(CommandContext& ctx) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  const std::string* value =
      hash == nullptr ? nullptr : hash->Find(ctx.args[2]);
  ctx.reply.Integer(value == nullptr ? 0 : static_cast<int64_t>(value->size()));
}

// HKEYS, HVALS and HGETALL: every field, value, or both (a map), in the
// hash's order.
void ReplyAll(CommandContext& ctx, bool fields, bool values) {
  HashValue* hash;
  if (!FindValue(ctx, ctx.args[1], &hash)) return;
  const size_t size = hash == nullptr ? 0 : hash->size();
  if (fields && values) {
    ctx.reply.MapHeader(size);
  } else {
    ctx.reply.ArrayHeader(size);
  }
  if (hash == nullptr) return;
  hash->ForEach([&](std::string_view field, std::string_view value) {
    if (fields) ctx.reply.Bulk(field);
    if (values) ctx.reply.Bulk(value);
  });
}

void HKeysCommand(CommandContext& ctx) { ReplyAll(ctx, true, false); }
void HValsCommand(CommandContext& ctx) { ReplyAll(ctx, false, true); }
void HGetAllCommand(CommandContext& ctx) { ReplyAll(ctx, true, true); }

using enum KeyLayout;
using enum Merge;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kHashCommands[] = {
    {"hset", -4, kWrite | kDenyOom | kFast, kFirst, kSingle, HSetCommand},
    {"hsetnx", 4, kWrite | kDenyOom | kFast | kZeroIsNoop, kFirst, kSingle,
     HSetNxCommand},
    {"hget", 3, kReadonly | kFast, kFirst, kSingle, HGetCommand},
    {"hmget", -3, kReadonly | kFast, kFirst, kSingle, HMGetCommand},
    {"hmset", -4, kWrite | kDenyOom | kFast, kFirst, kSingle, HMSetCommand},
    {"hdel", -3, kWrite | kFast | kZeroIsNoop, kFirst, kSingle, HDelCommand},
    {"hlen", 2, kReadonly | kFast, kFirst, kSingle, HLenCommand},
    {"hexists", 3, kReadonly | kFast, kFirst, kSingle, HExistsCommand},
    {"hstrlen", 3, kReadonly | kFast, kFirst, kSingle, HStrLenCommand},
    {"hkeys", 2, kReadonly, kFirst, kSingle, HKeysCommand},
    {"hvals", 2, kReadonly, kFirst, kSingle, HValsCommand},
    {"hgetall", 2, kReadonly, kFirst, kSingle, HGetAllCommand},
    {"hincrby", 4, kWrite | kDenyOom | kFast, kFirst, kSingle, HIncrByCommand},
    {"hincrbyfloat", 4, kWrite | kDenyOom | kFast, kFirst, kSingle,
     HIncrByFloatCommand},
    {"hrandfield", -2, kReadonly, kFirst, kSingle, HRandFieldCommand},
    {"hscan", -3, kReadonly, kFirst, kSingle, HScanCommand},
};

}  // namespace

absl::Span<const CommandSpec> HashCommandTable() { return kHashCommands; }

}  // namespace shardd::kv
