// The lookup every command starts with: the key's entry if it holds the
// command's type (or nothing), or Redis's WRONGTYPE error if it holds another.
//
//   Entry* entry;
//   if (!FindOfType(ctx, key, ValueType::kList, &entry)) return;  // replied
//   if (entry == nullptr) ...                                    // no such key
#ifndef SHARDD_SHARD_KV_TYPED_LOOKUP_H_
#define SHARDD_SHARD_KV_TYPED_LOOKUP_H_

#include <string_view>

#include "shard/kv/command.h"
#include "shard/kv/reply_errors.h"

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

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_TYPED_LOOKUP_H_
