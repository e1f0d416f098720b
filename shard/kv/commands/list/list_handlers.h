// The list command handlers, split over list_commands.cc (the table and the
// single-key commands) and list_move_commands.cc (the commands that pop from
// one list and push to another, and the blocking pops), and the lookup they
// share. Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_LIST_LIST_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_LIST_LIST_HANDLERS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/list_value.h"

namespace shardd::kv {

// list_move_commands.cc
void LMoveCommand(CommandContext& ctx);
void RPopLPushCommand(CommandContext& ctx);
void LMPopCommand(CommandContext& ctx);
void BLMPopCommand(CommandContext& ctx);
void BLPopCommand(CommandContext& ctx);
void BRPopCommand(CommandContext& ctx);
void BLMoveCommand(CommandContext& ctx);

// Key positions of LMOVE/RPOPLPUSH/BLMOVE (source and destination); those
// of BLPOP/BRPOP are KeysBeforeTimeout's (blocking_timeout.h).
void MoveKeys(CommandArgs args, std::vector<size_t>* positions);
// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count].
void LMPopKeys(CommandArgs args, std::vector<size_t>* positions);
// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count].
void BLMPopKeys(CommandArgs args, std::vector<size_t>* positions);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_LIST_LIST_HANDLERS_H_
