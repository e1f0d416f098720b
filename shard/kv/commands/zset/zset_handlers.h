// The sorted-set command handlers, split over zset_commands.cc (the table and
// the commands on single members), zset_range_commands.cc (ranges by rank,
// score and name), zset_random_command.cc (ZRANDMEMBER) and
// zset_algebra_commands.cc (ZUNION, ZINTER, ZDIFF, their STORE forms and
// ZINTERCARD), and what they share.
// Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_HANDLERS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {

// Makes `key` hold `zset`, without expiry, or deletes the key if `zset` is
// empty (Redis keeps no empty sorted sets), and replies its size. Reports
// `event` (the command's name: "zunionstore", ...) or "del".
void StoreZSet(CommandContext& ctx, std::string_view key, ZSetValue zset,
               std::string_view event);

// zset_random_command.cc
void ZRandMemberCommand(CommandContext& ctx);

// zset_range_commands.cc
void ZRangeCommand(CommandContext& ctx);
void ZRangeByScoreCommand(CommandContext& ctx);
void ZRevRangeCommand(CommandContext& ctx);
void ZRevRangeByScoreCommand(CommandContext& ctx);
void ZRangeByLexCommand(CommandContext& ctx);
void ZRevRangeByLexCommand(CommandContext& ctx);
void ZRangeStoreCommand(CommandContext& ctx);
void ZCountCommand(CommandContext& ctx);
void ZLexCountCommand(CommandContext& ctx);
void ZRemRangeByRankCommand(CommandContext& ctx);
void ZRemRangeByScoreCommand(CommandContext& ctx);
void ZRemRangeByLexCommand(CommandContext& ctx);

// zset_algebra_commands.cc
void ZUnionCommand(CommandContext& ctx);
void ZInterCommand(CommandContext& ctx);
void ZDiffCommand(CommandContext& ctx);
void ZInterCardCommand(CommandContext& ctx);
void ZUnionStoreCommand(CommandContext& ctx);
void ZInterStoreCommand(CommandContext& ctx);
void ZDiffStoreCommand(CommandContext& ctx);
// Key positions of ZUNIONSTORE/ZINTERSTORE: dst numkeys key...
void ZStoreKeys(CommandArgs args, std::vector<size_t>* positions);
// ZUNION, ZINTER, ZDIFF, ZINTERCARD: numkeys key [key ...] ...
void ZReadKeys(CommandArgs args, std::vector<size_t>* positions);
// Key positions of ZRANGESTORE: dst src.
void ZRangeStoreKeys(CommandArgs args, std::vector<size_t>* positions);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_HANDLERS_H_
