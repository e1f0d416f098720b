// The largest string a key may hold, as Redis enforces it for commands that
// grow a string in place (APPEND): proto-max-bulk-len, 512 MB by default.
//
//   if (!FitsStringLimit(value.size(), suffix.size())) {
//     reply.Error(kStringTooLongError);
//   }
#ifndef SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_LIMITS_H_
#define SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_LIMITS_H_

#include <cstddef>
#include <string_view>

namespace shardd::kv {

inline constexpr size_t kMaxStringBytes = 512u * 1024 * 1024;

inline constexpr std::string_view kStringTooLongError =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
// A bit offset past what a string of kMaxStringBytes holds (SETBIT,
// GETBIT, BITFIELD), or not a number.
inline constexpr std::string_view kBitOffsetError =
    "ERR bit offset is not an integer or out of range";

// True if a string of `size` bytes may grow by `extra` bytes. Exactly
// kMaxStringBytes is allowed, as in Redis.
inline constexpr bool FitsStringLimit(size_t size, size_t extra) {
  return size <= kMaxStringBytes && extra <= kMaxStringBytes - size;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_LIMITS_H_
