// The set command handlers, split over set_commands.cc (the table and the
// commands on one set), set_random_commands.cc and set_algebra_commands.cc,
// declared here. Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_SET_SET_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_SET_SET_HANDLERS_H_

#include <string_view>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/set_value.h"

namespace shardd::kv {

// set_random_commands.cc
void SPopCommand(CommandContext& ctx);
void SRandMemberCommand(CommandContext& ctx);

// set_algebra_commands.cc
void SInterCommand(CommandContext& ctx);
void SInterStoreCommand(CommandContext& ctx);
void SInterCardCommand(CommandContext& ctx);
void SUnionCommand(CommandContext& ctx);
void SUnionStoreCommand(CommandContext& ctx);
void SDiffCommand(CommandContext& ctx);
void SDiffStoreCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SET_SET_HANDLERS_H_
