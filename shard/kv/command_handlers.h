// The handlers the command table points at, one per command, grouped by the
// file that implements them. Each runs against one shard's Store and sees only
// that shard's keys (see KeyLayout in command.h). Internal to shard/kv: the
// rest of the server reaches them through FindCommand.
#ifndef SHARDD_SHARD_KV_COMMAND_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMAND_HANDLERS_H_

#include <cstddef>
#include <vector>

#include "shard/kv/command.h"

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

// set_string_command.cc
void SetCommand(CommandContext& ctx);
void SetExCommand(CommandContext& ctx);
void PSetExCommand(CommandContext& ctx);

// getex_command.cc
void GetExCommand(CommandContext& ctx);

// string_range_commands.cc
void GetRangeCommand(CommandContext& ctx);
void SetRangeCommand(CommandContext& ctx);

// incrbyfloat_command.cc
void IncrByFloatCommand(CommandContext& ctx);

// counter_commands.cc
void IncrCommand(CommandContext& ctx);
void DecrCommand(CommandContext& ctx);
void IncrByCommand(CommandContext& ctx);
void DecrByCommand(CommandContext& ctx);

// key_commands.cc
void DelCommand(CommandContext& ctx);
void ExistsCommand(CommandContext& ctx);
void TtlCommand(CommandContext& ctx);
void PTtlCommand(CommandContext& ctx);
void PersistCommand(CommandContext& ctx);
void ExpireTimeCommand(CommandContext& ctx);
void PExpireTimeCommand(CommandContext& ctx);
void TypeCommand(CommandContext& ctx);

// rename_commands.cc
void RenameCommand(CommandContext& ctx);
void RenameNxCommand(CommandContext& ctx);
void CopyCommand(CommandContext& ctx);
void CopyKeyPositions(CommandArgs args, std::vector<size_t>* positions);

// keyspace_commands.cc
void KeysCommand(CommandContext& ctx);
void RandomKeyCommand(CommandContext& ctx);
void ScanCommand(CommandContext& ctx);
// The shard a SCAN cursor continues on.
uint32_t ScanCursorShard(uint64_t cursor);

// object_command.cc
void ObjectCommand(CommandContext& ctx);
void ObjectKeyPositions(CommandArgs args, std::vector<size_t>* positions);

// expire_commands.cc
void ExpireCommand(CommandContext& ctx);
void PExpireCommand(CommandContext& ctx);
void ExpireAtCommand(CommandContext& ctx);
void PExpireAtCommand(CommandContext& ctx);

// server_commands.cc
void DbSizeCommand(CommandContext& ctx);
void FlushAllCommand(CommandContext& ctx);
void PingCommand(CommandContext& ctx);
void EchoCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMAND_HANDLERS_H_
