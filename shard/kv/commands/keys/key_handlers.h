// The handlers of the commands about keys rather than values (existence,
// expiry, renaming, the keyspace as a whole), by the file that implements
// them; the family's table is at the end of key_commands.cc.
#ifndef SHARDD_SHARD_KV_COMMANDS_KEYS_KEY_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_KEYS_KEY_HANDLERS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// key_commands.cc
void DelCommand(CommandContext& ctx);
void ExistsCommand(CommandContext& ctx);
void TouchCommand(CommandContext& ctx);
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
void MoveCommand(CommandContext& ctx);
void SwapDbCommand(CommandContext& ctx);
void CopyKeyPositions(CommandArgs args, std::vector<size_t>* positions);

// keyspace_commands.cc
void KeysCommand(CommandContext& ctx);
void RandomKeyCommand(CommandContext& ctx);
void ScanCommand(CommandContext& ctx);

// object_command.cc
void ObjectCommand(CommandContext& ctx);
void ObjectKeyPositions(CommandArgs args, std::vector<size_t>* positions);

// sort_command.cc
void SortCommand(CommandContext& ctx);
void SortRoCommand(CommandContext& ctx);
// The source, and STORE's destination if there is one (SORT_RO: the
// source).
void SortKeys(CommandArgs args, std::vector<size_t>* positions);
void SortRoKeys(CommandArgs args, std::vector<size_t>* positions);
// KeyDiscovery (command.h): whether BY or GET patterns read other keys,
// and which keys they read for the source's elements now.
bool SortReadsOtherKeys(CommandArgs args);
void SortPatternKeys(Store& store, CommandArgs args, int64_t now_ms,
                     std::vector<std::string>* keys);

// expire_commands.cc
void ExpireCommand(CommandContext& ctx);
void PExpireCommand(CommandContext& ctx);
void ExpireAtCommand(CommandContext& ctx);
void PExpireAtCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_KEYS_KEY_HANDLERS_H_
