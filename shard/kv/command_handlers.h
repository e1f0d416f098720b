// The handlers the command table points at, one per command, grouped by the
// file that implements them. Each runs against one shard's Store and sees only
// that shard's keys (see KeyLayout in command.h). Internal to shard/kv: the
// rest of the server reaches them through FindCommand.
#ifndef SHARDD_SHARD_KV_COMMAND_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMAND_HANDLERS_H_

#include "shard/kv/command.h"

namespace shardd::kv {

// string_commands.cc
void GetCommand(CommandContext& ctx);
void SetNxCommand(CommandContext& ctx);
void GetSetCommand(CommandContext& ctx);
void MGetCommand(CommandContext& ctx);
void MSetCommand(CommandContext& ctx);
void AppendCommand(CommandContext& ctx);
void StrLenCommand(CommandContext& ctx);

// set_command.cc
void SetCommand(CommandContext& ctx);

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

// expire_commands.cc
void ExpireCommand(CommandContext& ctx);
void PExpireCommand(CommandContext& ctx);

// server_commands.cc
void DbSizeCommand(CommandContext& ctx);
void FlushAllCommand(CommandContext& ctx);
void PingCommand(CommandContext& ctx);
void EchoCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMAND_HANDLERS_H_
