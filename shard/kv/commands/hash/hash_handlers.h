// The hash command handlers, split over hash_commands.cc (the table and the
// basic commands), hash_counter_commands.cc and hash_random_scan_commands.cc,
// declared here. Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_HASH_HASH_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_HASH_HASH_HANDLERS_H_

#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/hash_value.h"

namespace shardd::kv {

// hash_counter_commands.cc
void HIncrByCommand(CommandContext& ctx);
void HIncrByFloatCommand(CommandContext& ctx);

// hash_random_scan_commands.cc
void HRandFieldCommand(CommandContext& ctx);
void HScanCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_HASH_HASH_HANDLERS_H_
