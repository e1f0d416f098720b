// ResolveExpireAt: the one place a command's expiry argument becomes an
// absolute time in milliseconds (SET EX/PX/EXAT/PXAT, GETEX, EXPIRE and
// friends), with Redis's errors for a non-number and for a time that is not
// positive (when it must be) or overflows.
//
//   int64_t at_ms;
//   if (!ResolveExpireAt(ctx, "set", args[3], /*unit_ms=*/1000,
//                        /*relative=*/true, /*positive=*/true, &at_ms)) {
//     return;  // replied
//   }
#ifndef SHARDD_SHARD_KV_COMMANDS_EXPIRE_TIME_H_
#define SHARDD_SHARD_KV_COMMANDS_EXPIRE_TIME_H_

#include <cstdint>
#include <string_view>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// `amount` in units of `unit_ms`, counted from now if `relative`, else
// from the epoch. `positive`: zero and negative amounts are errors (SET,
// GETEX); otherwise they are allowed (EXPIRE: they delete the key).
bool ResolveExpireAt(CommandContext& ctx, std::string_view command,
                     std::string_view amount, int64_t unit_ms, bool relative,
                     bool positive, int64_t* expire_at_ms);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_EXPIRE_TIME_H_
