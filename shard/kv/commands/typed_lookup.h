// The lookup every command starts with: the key's entry if it holds the
// command's type (or nothing), or Redis's WRONGTYPE error if it holds another.
// FindValue gives the value itself, its type chosen by the pointer.
//
//   Entry* entry;
//   if (!FindOfType(ctx, key, ValueType::kList, &entry)) return;  // replied
//   if (entry == nullptr) ...                                    // no such key
//   HashValue* hash;
//   if (!FindValue(ctx, key, &hash)) return;                     // replied
#ifndef SHARDD_SHARD_KV_COMMANDS_TYPED_LOOKUP_H_
#define SHARDD_SHARD_KV_COMMANDS_TYPED_LOOKUP_H_

#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {

inline bool FindOfType(CommandContext& ctx, std::string_view key,
                       ValueType type, Entry** entry) {
  bool wrong_type = false;
  *entry = ctx.store.FindTyped(key, type, ctx.now_ms, &wrong_type);
  if (wrong_type) ctx.reply.Error(kWrongTypeError);
  return !wrong_type;
}

inline bool FindString(CommandContext& ctx, std::string_view key,
                       Entry** entry) {
  return FindOfType(ctx, key, ValueType::kString, entry);
}

// Which ValueType holds a value type, and how an Entry gives it.
template <typename Value>
struct ValueKind;
template <>
struct ValueKind<HashValue> {
  static constexpr ValueType kType = ValueType::kHash;
  static HashValue& Of(Entry& entry) { return entry.hash(); }
};
template <>
struct ValueKind<ListValue> {
  static constexpr ValueType kType = ValueType::kList;
  static ListValue& Of(Entry& entry) { return entry.list(); }
};
template <>
struct ValueKind<SetValue> {
  static constexpr ValueType kType = ValueType::kSet;
  static SetValue& Of(Entry& entry) { return entry.set(); }
};
template <>
struct ValueKind<ZSetValue> {
  static constexpr ValueType kType = ValueType::kZSet;
  static ZSetValue& Of(Entry& entry) { return entry.zset(); }
};

// `*value` is the key's value (null when there is no such key); false,
// with WRONGTYPE replied, when the key holds another type.
template <typename Value>
bool FindValue(CommandContext& ctx, std::string_view key, Value** value) {
  Entry* entry;
  if (!FindOfType(ctx, key, ValueKind<Value>::kType, &entry)) return false;
  *value = entry == nullptr ? nullptr : &ValueKind<Value>::Of(*entry);
  return true;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_TYPED_LOOKUP_H_
