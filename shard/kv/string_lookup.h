// The lookup every string command starts with: the key's entry if it holds a
// string (or nothing), or Redis's WRONGTYPE error if it holds another type.
//
//   Entry* entry;
//   if (!FindString(ctx, key, &entry)) return;   // WRONGTYPE already replied
//   if (entry == nullptr) ...                     // no such key
#ifndef SHARDD_SHARD_KV_STRING_LOOKUP_H_
#define SHARDD_SHARD_KV_STRING_LOOKUP_H_

#include <string_view>

#include "shard/kv/command.h"
#include "shard/kv/reply_errors.h"

namespace shardd::kv {

inline bool FindString(CommandContext& ctx, std::string_view key,
                       Entry** entry) {
  bool wrong_type = false;
  *entry = ctx.store.FindTyped(key, ValueType::kString, ctx.now_ms, &wrong_type);
  if (wrong_type) ctx.reply.Error(kWrongTypeError);
  return !wrong_type;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STRING_LOOKUP_H_
