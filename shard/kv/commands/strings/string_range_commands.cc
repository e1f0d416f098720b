// GETRANGE and SETRANGE: byte ranges of a string, with Redis's clamping of
// negative and out-of-range offsets.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {

void GetRangeCommand(CommandContext& ctx) {
  int64_t start, end;
  if (!ParseInt64(ctx.args[2], &start) || !ParseInt64(ctx.args[3], &end)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.Bulk("");
    return;
  }
  const std::string_view value = entry->string();
  const int64_t length = static_cast<int64_t>(value.size());
  if (start < 0 && end < 0 && start > end) {
    ctx.reply.Bulk("");
    return;
  }
  if (start < 0) start = std::max<int64_t>(0, length + start);
  if (end < 0) end = std::max<int64_t>(0, length + end);
  end = std::min(end, length - 1);
  if (start > end || length == 0) {
    ctx.reply.Bulk("");
    return;
  }
  ctx.reply.Bulk(std::string_view(value).substr(start, end - start + 1));
}

void SetRangeCommand(CommandContext& ctx) {
  int64_t offset;
  if (!ParseInt64(ctx.args[2], &offset)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if (offset < 0) {
    ctx.reply.Error("ERR offset is out of range");
    return;
  }
  const std::string_view patch = ctx.args[3];
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  const size_t old_length = entry == nullptr ? 0 : entry->string().size();
  // An empty patch changes nothing and creates nothing.
  if (patch.empty()) {
    ctx.reply.Integer(static_cast<int64_t>(old_length));
    ctx.changed_nothing = true;
    return;
  }
  if (!FitsStringLimit(static_cast<size_t>(offset), patch.size())) {
    ctx.reply.Error(kStringTooLongError);
    return;
  }
  if (entry == nullptr) entry = &ctx.store.SetString(ctx.args[1], "", 0);
  const size_t needed = static_cast<size_t>(offset) + patch.size();
  const size_t new_size = std::max(old_length, needed);
  std::memcpy(entry->ResizeString(new_size) + offset, patch.data(),
              patch.size());
  ctx.Notify(kNotifyString, "setrange", ctx.args[1]);
  ctx.reply.Integer(static_cast<int64_t>(new_size));
}

}  // namespace shardd::kv
