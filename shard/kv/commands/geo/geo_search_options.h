// The arguments the geo commands share, read as Redis 7.0 reads them, with
// its error replies: coordinates, distances with their unit, and the
// options of the searches (GEOSEARCH, GEOSEARCHSTORE and the four
// GEORADIUS forms), checked in Redis's order.
//
//   GeoQuery query;
//   if (!ParseGeoQuery(ctx, GeoSearchForm::kSearch, zset, &query)) return;
#ifndef SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SEARCH_OPTIONS_H_
#define SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SEARCH_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/geo/geo_shape.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {

inline constexpr std::string_view kGeoMemberError =
    "ERR could not decode requested zset member";

// Meters per unit for "m", "km", "ft" or "mi" (any case); replies Redis's
// error and returns false for anything else.
bool ParseGeoUnit(CommandContext& ctx, std::string_view unit,
                  double* to_meters);

// A longitude and a latitude; replies Redis's error and returns false if
// either is no number or the pair is out of range.
bool ParseGeoPoint(CommandContext& ctx, std::string_view longitude,
                   std::string_view latitude, GeoPoint* point);

enum class GeoSearchForm {
  kRadius,                  // GEORADIUS key lon lat radius unit ...
  kRadiusReadonly,          // GEORADIUS_RO, without STORE
  kRadiusByMember,          // GEORADIUSBYMEMBER key member radius unit ...
  kRadiusByMemberReadonly,  // GEORADIUSBYMEMBER_RO
  kSearch,                  // GEOSEARCH key ...
  kSearchStore,             // GEOSEARCHSTORE destination source ...
};

// Where the sorted set searched is in the arguments.
inline size_t GeoSourceIndex(GeoSearchForm form) {
  return form == GeoSearchForm::kSearchStore ? 2 : 1;
}

enum class GeoSort { kNone, kAscending, kDescending };

struct GeoQuery {
  GeoShape shape;
  bool with_dist = false;
  bool with_hash = false;
  bool with_coord = false;
  GeoSort sort = GeoSort::kNone;
  int64_t count = 0;  // 0: every match
  // Stop at the first `count` matches found instead of the nearest ones.
  bool any = false;
  bool store = false;
  std::string_view store_key;
  bool store_dist = false;  // scores are distances, not positions
};

// Reads the shape and options of a search on `zset` (null when the key is
// missing: a member to search from is then not looked up, as in Redis).
// Replies the error and returns false on any mistake.
bool ParseGeoQuery(CommandContext& ctx, GeoSearchForm form,
                   const ZSetValue* zset, GeoQuery* query);

// GEORADIUS and GEORADIUSBYMEMBER's keys (`form` kRadius or
// kRadiusByMember): the source and the last STORE or STOREDIST key,
// reading the options where the handler does.
void GeoRadiusKeys(CommandArgs args, GeoSearchForm form,
                   std::vector<size_t>* positions);

// GEOSEARCH and GEOSEARCHSTORE, as against the GEORADIUS forms.
bool IsGeoSearch(GeoSearchForm form);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SEARCH_OPTIONS_H_
