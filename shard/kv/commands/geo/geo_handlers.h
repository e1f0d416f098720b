// The geo command handlers, split over geo_commands.cc (the table and the
// commands on members: GEOADD, GEOPOS, GEODIST, GEOHASH) and
// geo_search_commands.cc (GEOSEARCH, GEOSEARCHSTORE and the GEORADIUS
// forms), declared here. Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// geo_search_commands.cc
void GeoSearchCommand(CommandContext& ctx);
void GeoSearchStoreCommand(CommandContext& ctx);
void GeoRadiusCommand(CommandContext& ctx);
void GeoRadiusRoCommand(CommandContext& ctx);
void GeoRadiusByMemberCommand(CommandContext& ctx);
void GeoRadiusByMemberRoCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_
