// The geo command handlers, split over geo_commands.cc (the table and the
// commands on members: GEOADD, GEOPOS, GEODIST, GEOHASH) and
// geo_search_commands.cc (GEOSEARCH, GEOSEARCHSTORE and the GEORADIUS
// forms), declared here. Internal to the family.
#ifndef SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_

#include <string>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

// A distance as GEODIST and WITHDIST reply it: 4 decimals ("166.2742").
std::string FormatGeoDistance(double distance);

// geo_search_commands.cc
void GeoSearchCommand(CommandContext& ctx);
void GeoSearchStoreCommand(CommandContext& ctx);
void GeoRadiusCommand(CommandContext& ctx);
void GeoRadiusRoCommand(CommandContext& ctx);
void GeoRadiusByMemberCommand(CommandContext& ctx);
void GeoRadiusByMemberRoCommand(CommandContext& ctx);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GEO_GEO_HANDLERS_H_
