// The timeout argument of the blocking commands (BLPOP, BRPOP, BLMOVE, ...),
// read exactly as Redis 7.0 reads it: seconds as a long double, truncated to
// whole milliseconds.
//
//   int64_t timeout_ms;
//   std::string_view error;
//   if (!ParseBlockingTimeout(args.back(), &timeout_ms, &error)) {
//     reply.Error(error);
//   }
//   // timeout_ms == 0: wait forever.
#ifndef SHARDD_SHARD_KV_COMMANDS_BLOCKING_TIMEOUT_H_
#define SHARDD_SHARD_KV_COMMANDS_BLOCKING_TIMEOUT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

inline constexpr std::string_view kTimeoutNotFloatError =
    "ERR timeout is not a float or out of range";
inline constexpr std::string_view kTimeoutNegativeError =
    "ERR timeout is negative";

// Sets *timeout_ms to the relative timeout in milliseconds (0 = none), or
// returns false and, if `error` is set, points it at the error reply. The
// quirks kept from Redis: "0.0009" and "-0.0001" both truncate to 0 (wait
// forever), and a timeout too large for int64 milliseconds ("1e16", "inf")
// is reported as negative, which is what the x86 conversion Redis relies on
// makes of it.
bool ParseBlockingTimeout(std::string_view arg, int64_t* timeout_ms,
                          std::string_view* error = nullptr);

// The keys of BLPOP, BRPOP, BZPOPMIN and BZPOPMAX: every argument between
// the name and the timeout.
void KeysBeforeTimeout(CommandArgs args, std::vector<size_t>* positions);

// Replies the error of a bad `timeout` and returns false; true if it is
// good.
bool CheckBlockingTimeout(CommandContext& ctx, std::string_view timeout);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_BLOCKING_TIMEOUT_H_
