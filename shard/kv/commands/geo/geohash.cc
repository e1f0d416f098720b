#include "shard/kv/commands/geo/geohash.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace shardd::kv {
namespace {

constexpr GeoRange kLongitudeRange = {kGeoMinLongitude, kGeoMaxLongitude};
constexpr GeoRange kLatitudeRange = {kGeoMinLatitude, kGeoMaxLatitude};

constexpr uint64_t kEvenBits = 0x5555555555555555ULL;  // latitude
constexpr uint64_t kOddBits = 0xaaaaaaaaaaaaaaaaULL;   // longitude

// Moves the 32 bits of `v` to the even bits of the result.
uint64_t Spread(uint32_t v) {
  uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x << 2)) & 0x3333333333333333ULL;
  x = (x | (x << 1)) & kEvenBits;
  return x;
}

// The inverse of Spread: the even bits of `x`, packed.
uint32_t Gather(uint64_t x) {
  x &= kEvenBits;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<uint32_t>(x);
}

// Adds `direction` (+1 or -1) to the cell index held in the bits of `mask`
// (the longitude's or the latitude's) within `hash.step` bits, wrapping
// around: filling the other axis's bits with ones lets the carry (or borrow)
// run through them.
void Move(GeoHash* hash, uint64_t mask, int direction) {
  const uint64_t moving = hash->bits & mask;
  const uint64_t fixed = hash->bits & ~mask;
  const int unused = 64 - hash->step * 2;
  const uint64_t filler = ~mask >> unused;
  uint64_t moved;
  if (direction > 0) {
    moved = moving + (filler + 1);
  } else {
    moved = (moving | filler) - (filler + 1);
  }
  hash->bits = (moved & (mask >> unused)) | fixed;
}

GeoArea Decode(GeoRange longitude, GeoRange latitude, GeoHash hash) {
  const uint32_t lat_cell = Gather(hash.bits);
  const uint32_t long_cell = Gather(hash.bits >> 1);
  const double cells = static_cast<double>(uint64_t{1} << hash.step);
  const double lat_scale = latitude.max - latitude.min;
  const double long_scale = longitude.max - longitude.min;
  // The cell after the last wraps to 0 as a 32-bit index does in Redis,
  // which only a score that is no geohash reaches.
  const uint32_t next_lat = lat_cell + 1;
  const uint32_t next_long = long_cell + 1;
  GeoArea area;
  area.latitude.min = latitude.min + (lat_cell * 1.0 / cells) * lat_scale;
  area.latitude.max = latitude.min + (next_lat * 1.0 / cells) * lat_scale;
  area.longitude.min = longitude.min + (long_cell * 1.0 / cells) * long_scale;
  area.longitude.max = longitude.min + (next_long * 1.0 / cells) * long_scale;
  return area;
}

// A score's integer as an x86-64 build of Redis converts the double:
// truncated through int64 below 2^63, directly up to 2^64, and the
// converter's "indefinite" results past either end (0 for +inf and huge
// scores, 2^63 for -inf and huge negative ones).
uint64_t ScoreBits(double score) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (score >= kTwo63) {
    return score < 2 * kTwo63 ? static_cast<uint64_t>(score) : 0;
  }
  if (score >= -kTwo63) {
    return static_cast<uint64_t>(static_cast<int64_t>(score));
  }
  return uint64_t{1} << 63;
}

}  // namespace

bool IsValidGeoPoint(GeoPoint point) {
  return point.longitude >= kGeoMinLongitude &&
         point.longitude <= kGeoMaxLongitude &&
         point.latitude >= kGeoMinLatitude && point.latitude <= kGeoMaxLatitude;
}

GeoHash EncodeGeoHash(GeoRange longitude, GeoRange latitude, GeoPoint point,
                      int step) {
  if (!IsValidGeoPoint(point) || point.latitude < latitude.min ||
      point.latitude > latitude.max || point.longitude < longitude.min ||
      point.longitude > longitude.max) {
    return {};
  }
  const double cells = static_cast<double>(uint64_t{1} << step);
  const double lat_offset =
      (point.latitude - latitude.min) / (latitude.max - latitude.min) * cells;
  const double long_offset = (point.longitude - longitude.min) /
                             (longitude.max - longitude.min) * cells;
  // A point on the upper edge gets index 2^step, one past the last cell,
  // as in Redis; its bit lands above the 2 * step the hash has.
  GeoHash hash;
  hash.bits = Spread(static_cast<uint32_t>(lat_offset)) |
              (Spread(static_cast<uint32_t>(long_offset)) << 1);
  hash.step = static_cast<uint8_t>(step);
  return hash;
}

GeoHash EncodeGeoHash(GeoPoint point, int step) {
  return EncodeGeoHash(kLongitudeRange, kLatitudeRange, point, step);
}

GeoArea DecodeGeoHash(GeoHash hash) {
  return Decode(kLongitudeRange, kLatitudeRange, hash);
}

uint64_t AlignGeoHash(GeoHash hash) {
  return hash.bits << (2 * (kGeoMaxStep - hash.step));
}

double GeoScore(GeoPoint point) {
  return static_cast<double>(AlignGeoHash(EncodeGeoHash(point, kGeoMaxStep)));
}

GeoPoint DecodeGeoScore(double score) {
  GeoHash hash;
  hash.bits = ScoreBits(score);
  hash.step = kGeoMaxStep;
  const GeoArea area = DecodeGeoHash(hash);
  return {std::clamp((area.longitude.min + area.longitude.max) / 2,
                     kGeoMinLongitude, kGeoMaxLongitude),
          std::clamp((area.latitude.min + area.latitude.max) / 2,
                     kGeoMinLatitude, kGeoMaxLatitude)};
}

std::array<GeoHash, 8> GeoNeighbours(GeoHash hash) {
  // {longitude, latitude} moves, in Redis's search order.
  constexpr int kMoves[8][2] = {{0, 1}, {0, -1}, {1, 0},  {-1, 0},
                                {1, 1}, {-1, 1}, {1, -1}, {-1, -1}};
  std::array<GeoHash, 8> neighbours;
  for (size_t i = 0; i < neighbours.size(); ++i) {
    GeoHash cell = hash;
    if (kMoves[i][0] != 0) Move(&cell, kOddBits, kMoves[i][0]);
    if (kMoves[i][1] != 0) Move(&cell, kEvenBits, kMoves[i][1]);
    neighbours[i] = cell;
  }
  return neighbours;
}

std::string GeoHashString(double score) {
  constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  // The standard geohash spans latitudes +-90: the point is encoded anew.
  const GeoHash hash =
      EncodeGeoHash({-180, 180}, {-90, 90}, DecodeGeoScore(score), kGeoMaxStep);
  std::string text(11, '0');
  for (int i = 0; i < 10; ++i) {
    text[i] = kAlphabet[(hash.bits >> (52 - (i + 1) * 5)) & 0x1f];
  }
  return text;
}

}  // namespace shardd::kv
