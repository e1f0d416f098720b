// The arguments of the SCAN family (SCAN, HSCAN, SSCAN, ZSCAN): the cursor
// and the COUNT and MATCH options, read with Redis's exact rules and errors.
//
//   uint64_t cursor;
//   ScanOptions options;
//   SetValue* set = StartValueScan<SetValue>(ctx, &cursor, &options);
//   if (set == nullptr) return;                // replied
//   if (options.Matches(member)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_SCAN_ARGUMENTS_H_
#define SHARDD_SHARD_KV_COMMANDS_SCAN_ARGUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {

inline constexpr std::string_view kInvalidCursorError = "ERR invalid cursor";

// A SCAN cursor names the shard it continues on in its top kScanShardBits
// bits, and a position in that shard's key order below them, so that the
// router can send each call to its shard.
inline constexpr int kScanShardBits = 10;
inline constexpr int kScanPositionBits = 64 - kScanShardBits;

inline uint32_t ScanCursorShard(uint64_t cursor) {
  return static_cast<uint32_t>(cursor >> kScanPositionBits);
}

// Reads a cursor as Redis does, with C's strtoul: an unsigned 64-bit decimal
// with an optional sign ("-1" is 2^64 - 1, "+5" and "007" are fine), up to
// the first NUL byte; "" is 0. Rejects a leading space, trailing bytes and
// values of 2^64 or more.
bool ParseScanCursor(std::string_view text, uint64_t* cursor);

struct ScanOptions {
  size_t count = 10;  // Redis's default
  // Unset when every element matches (no MATCH, or MATCH "*").
  std::optional<std::string_view> pattern;

  bool Matches(std::string_view element) const;
};

// Reads `options` (COUNT n, MATCH pattern, in any order and number; the last
// of each wins). On an error, replies it and returns false.
bool ParseScanOptions(CommandArgs options, resp::ReplyWriter& reply,
                      ScanOptions* parsed);

// Replies [cursor, [elements...]].
template <typename Elements>
void ReplyScanPage(resp::ReplyWriter& reply, uint64_t cursor,
                   const Elements& elements) {
  reply.ArrayHeader(2);
  reply.Bulk(std::to_string(cursor));
  reply.ArrayHeader(elements.size());
  for (const auto& element : elements) reply.Bulk(element);
}

// What HSCAN, SSCAN and ZSCAN (key cursor [options]) do before walking the
// value: read the cursor, find the value at args[1] and read the options.
// Returns the value, or null once the reply is written: an error, or the
// empty page of a missing key, which (like Redis) replies before the options
// are read.
template <typename Value>
Value* StartValueScan(CommandContext& ctx, uint64_t* cursor,
                      ScanOptions* options) {
  if (!ParseScanCursor(ctx.args[2], cursor)) {
    ctx.reply.Error(kInvalidCursorError);
    return nullptr;
  }
  Value* value;
  if (!FindValue(ctx, ctx.args[1], &value)) return nullptr;
  if (value == nullptr) {
    ReplyScanPage(ctx.reply, 0, std::vector<std::string_view>());
    return nullptr;
  }
  if (!ParseScanOptions(ctx.args.subspan(3), ctx.reply, options)) {
    return nullptr;
  }
  return value;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SCAN_ARGUMENTS_H_
