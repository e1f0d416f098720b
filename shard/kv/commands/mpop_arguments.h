// The arguments LMPOP and ZMPOP share: numkeys key [key ...] <side>
// [COUNT count], where the side is LEFT|RIGHT or MIN|MAX. Parsed in Redis
// 7.0's order, with its error texts.
//
//   MPopArguments parsed;
//   if (!ParseMPopArguments(ctx, 1, {"left", "right"}, &parsed)) return;
//   for (std::string_view key : parsed.keys) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_MPOP_ARGUMENTS_H_
#define SHARDD_SHARD_KV_COMMANDS_MPOP_ARGUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

struct MPopArguments {
  CommandArgs keys;
  bool first_side = true;  // LEFT (or MIN) rather than RIGHT (or MAX)
  int64_t count = 1;
};

// Reads the arguments from args[numkeys_at] on; `sides` are the two words
// the side may be. Replies the error and returns false if they are wrong.
bool ParseMPopArguments(CommandContext& ctx, size_t numkeys_at,
                        std::pair<std::string_view, std::string_view> sides,
                        MPopArguments* parsed);

// The key positions of such a command, numkeys at `numkeys_at` (none if it
// is malformed: the handler then says how).
void MPopKeys(CommandArgs args, size_t numkeys_at,
              std::vector<size_t>* positions);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_MPOP_ARGUMENTS_H_
