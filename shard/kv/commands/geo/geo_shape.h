// The area a geo search covers (a circle or an axis-aligned box around a
// centre), the distance Redis measures, and the geohash cells the search
// reads: the centre's cell and its 8 neighbours, at a step coarse enough
// for the shape to fit, as Redis's geohash_helper.c picks them.
//
//   GeoShape shape{.center = {15, 37}, .radius = 200, .to_meters = 1000};
//   for (const GeoHash& cell : GeoSearchCells(shape)) ...
//   double distance;
//   if (WithinGeoShape(shape, DecodeGeoScore(score), &distance)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SHAPE_H_
#define SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SHAPE_H_

#include <string>
#include <vector>

#include "shard/kv/commands/geo/geohash.h"

namespace shardd::kv {

// Redis's mean earth radius for WGS-84, in meters.
inline constexpr double kEarthRadiusMeters = 6372797.560856;

// Great-circle distance in meters (haversine), as Redis 7.0 computes it.
double GeoDistance(GeoPoint a, GeoPoint b);

// A distance as GEODIST and WITHDIST reply it: 4 decimals ("166.2742").
std::string FormatGeoDistance(double distance);

struct GeoShape {
  GeoPoint center = {0, 0};
  bool is_box = false;
  // In the unit of the request: meters are these times to_meters.
  double radius = 0;  // a circle
  double width = 0;   // a box
  double height = 0;
  double to_meters = 1;
};

// True if `point` lies in `shape`; then *distance is its distance in meters
// from the centre.
bool WithinGeoShape(const GeoShape& shape, GeoPoint point, double* distance);

// The cells to read, in Redis's order: the centre's cell, then the
// neighbours that can hold part of the shape. A neighbour equal to the one
// read just before it is left out, as Redis skips it (a huge radius makes
// neighbours coincide).
std::vector<GeoHash> GeoSearchCells(const GeoShape& shape);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GEO_GEO_SHAPE_H_
