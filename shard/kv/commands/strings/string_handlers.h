// The string command handlers, by the file that implements them; the
// family's table is at the end of string_commands.cc.
#ifndef SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_HANDLERS_H_

#include <cstddef>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// string_commands.cc
void GetCommand(CommandContext& ctx);
void GetDelCommand(CommandContext& ctx);
void MSetNxCommand(CommandContext& ctx);
void SetNxCommand(CommandContext& ctx);
void GetSetCommand(CommandContext& ctx);
void MGetCommand(CommandContext& ctx);
void MSetCommand(CommandContext& ctx);
void AppendCommand(CommandContext& ctx);
void StrLenCommand(CommandContext& ctx);

// set_command.cc
void SetCommand(CommandContext& ctx);
void SetExCommand(CommandContext& ctx);
void PSetExCommand(CommandContext& ctx);

// getex_command.cc
void GetExCommand(CommandContext& ctx);

// string_range_commands.cc
void GetRangeCommand(CommandContext& ctx);
void SetRangeCommand(CommandContext& ctx);

// bit_commands.cc
void SetBitCommand(CommandContext& ctx);
void GetBitCommand(CommandContext& ctx);
void BitCountCommand(CommandContext& ctx);
void BitPosCommand(CommandContext& ctx);
void BitOpCommand(CommandContext& ctx);
// BITOP's key positions (KeyLayout::kCustom): destkey and the sources.
void BitOpKeys(CommandArgs args, std::vector<size_t>* positions);

// bitfield_command.cc
void BitFieldCommand(CommandContext& ctx);
void BitFieldRoCommand(CommandContext& ctx);

// incrbyfloat_command.cc
void IncrByFloatCommand(CommandContext& ctx);

// lcs_command.cc
void LcsCommand(CommandContext& ctx);

// counter_commands.cc
void IncrCommand(CommandContext& ctx);
void DecrCommand(CommandContext& ctx);
void IncrByCommand(CommandContext& ctx);
void DecrByCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_STRINGS_STRING_HANDLERS_H_
