// Redis's geohash: a position as interleaved bits of its longitude and
// latitude, each cut `step` times in halves (26 steps give the 52-bit
// integer a geo sorted set keeps as a member's score). Latitudes span only
// Redis's +-85.05112878 (the Web Mercator limit), so that a score is not a
// standard geohash; GeoHashString gives the standard one.
//
//   const double score = GeoScore(13.361389, 38.115556);  // 3479099956230698
//   const GeoPoint where = DecodeGeoScore(score);  // the cell's centre
//   GeoHashString(score);                          // "sqc8b49rny0"
#ifndef SHARDD_SHARD_KV_COMMANDS_GEO_GEOHASH_H_
#define SHARDD_SHARD_KV_COMMANDS_GEO_GEOHASH_H_

#include <array>
#include <cstdint>
#include <string>

namespace shardd::kv {

inline constexpr double kGeoMinLongitude = -180;
inline constexpr double kGeoMaxLongitude = 180;
inline constexpr double kGeoMinLatitude = -85.05112878;
inline constexpr double kGeoMaxLatitude = 85.05112878;
// 26 steps per axis: the 52 bits a double holds exactly.
inline constexpr int kGeoMaxStep = 26;

struct GeoPoint {
  double longitude;
  double latitude;
};

struct GeoRange {
  double min;
  double max;
};

// A cell: `step` bits per axis, longitude in the odd bits, latitude in the
// even ones. A zero hash (no bits, no step) is "no cell".
struct GeoHash {
  uint64_t bits = 0;
  uint8_t step = 0;

  bool is_zero() const { return bits == 0 && step == 0; }
  bool operator==(const GeoHash&) const = default;
};

struct GeoArea {
  GeoRange longitude;
  GeoRange latitude;
};

// True if Redis accepts the pair as a position (GEOADD, FROMLONLAT).
bool IsValidGeoPoint(GeoPoint point);

// The cell of `point` within the given ranges after `step` halvings; a zero
// hash for a point outside them or outside Redis's limits.
GeoHash EncodeGeoHash(GeoRange longitude, GeoRange latitude, GeoPoint point,
                      int step);
// The same within Redis's ranges.
GeoHash EncodeGeoHash(GeoPoint point, int step);
// The bounds of `hash` within Redis's ranges.
GeoArea DecodeGeoHash(GeoHash hash);

// The cell's bits shifted to 52 bits: the lowest score inside the cell.
uint64_t AlignGeoHash(GeoHash hash);

// The sorted-set score GEOADD gives `point` (which must be valid).
double GeoScore(GeoPoint point);
// The centre of the cell a score names, clamped to Redis's limits. Any
// score decodes, as in Redis: one that is not a geohash gives some point.
GeoPoint DecodeGeoScore(double score);

// The 8 cells around `hash`, in the order Redis searches them: north,
// south, east, west, north-east, north-west, south-east, south-west.
std::array<GeoHash, 8> GeoNeighbours(GeoHash hash);

// GEOHASH's reply for a score: the standard 11-character base32 geohash of
// the score's position (its last character always '0': 52 bits make 10).
std::string GeoHashString(double score);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GEO_GEOHASH_H_
