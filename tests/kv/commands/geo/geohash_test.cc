// Redis's geohash arithmetic. Scores, positions and strings are what
// redis-server 7.0 replied for the same points (ZSCORE, GEOPOS, GEOHASH).
#include "shard/kv/commands/geo/geohash.h"

#include <array>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/commands/geo/geo_shape.h"
#include "shard/kv/commands/long_double.h"

namespace shardd::kv {
namespace {

TEST(GeoHashTest, ScoresAreRedisScores) {
  EXPECT_EQ(GeoScore({13.361389, 38.115556}), 3479099956230698.0);
  EXPECT_EQ(GeoScore({15.087269, 37.502669}), 3479447370796909.0);
  EXPECT_EQ(GeoScore({-180, -85.05112878}), 0.0);
  // The upper edges index one cell past the last, as in Redis.
  EXPECT_EQ(GeoScore({180, 85.05112878}), 13510798882111488.0);
}

TEST(GeoHashTest, DecodesToTheCellCentre) {
  const GeoPoint palermo = DecodeGeoScore(3479099956230698.0);
  EXPECT_EQ(FormatLongDouble(palermo.longitude), "13.36138933897018433");
  EXPECT_EQ(FormatLongDouble(palermo.latitude), "38.11555639549629859");
  // Scores that are no geohash still decode, clamped to the limits.
  const GeoPoint negative = DecodeGeoScore(-1);
  EXPECT_EQ(FormatLongDouble(negative.longitude), "180");
  EXPECT_EQ(FormatLongDouble(negative.latitude), "85.0511287799999991");
  const GeoPoint huge = DecodeGeoScore(1e300);
  EXPECT_EQ(FormatLongDouble(huge.longitude), "-179.99999731779098511");
  EXPECT_EQ(FormatLongDouble(huge.latitude), "-85.05112751263942528");
}

TEST(GeoHashTest, StandardGeohashStrings) {
  EXPECT_EQ(GeoHashString(3479099956230698.0), "sqc8b49rny0");
  EXPECT_EQ(GeoHashString(3479447370796909.0), "sqdtr74hyu0");
  EXPECT_EQ(GeoHashString(-1), "bp05b5048p0");
  EXPECT_EQ(GeoHashString(1e300), "00bh0hbj200");
}

TEST(GeoHashTest, ValidPoints) {
  EXPECT_TRUE(IsValidGeoPoint({-180, -85.05112878}));
  EXPECT_TRUE(IsValidGeoPoint({180, 85.05112878}));
  EXPECT_FALSE(IsValidGeoPoint({180.000001, 0}));
  EXPECT_FALSE(IsValidGeoPoint({0, 85.06}));
}

// At step 2 a cell is 4 bits: longitude in bits 3 and 1, latitude in bits
// 2 and 0.
TEST(GeoHashTest, NeighboursInRedisOrder) {
  // Longitude cell 1, latitude cell 2.
  const std::array<GeoHash, 8> around = GeoNeighbours({0b0110, 2});
  // N, S, E, W, NE, NW, SE, SW.
  const uint64_t expected[8] = {7, 3, 12, 4, 13, 5, 9, 1};
  for (size_t i = 0; i < around.size(); ++i) {
    EXPECT_EQ(around[i].bits, expected[i]) << i;
    EXPECT_EQ(around[i].step, 2) << i;
  }
}

TEST(GeoHashTest, NeighboursWrapAround) {
  // Longitude cell 3 (the last), latitude cell 0 (the first).
  const std::array<GeoHash, 8> around = GeoNeighbours({0b1010, 2});
  EXPECT_EQ(around[2].bits, 0u);   // east wraps to longitude 0
  EXPECT_EQ(around[3].bits, 8u);   // west
  EXPECT_EQ(around[1].bits, 15u);  // south wraps to latitude 3
}

TEST(GeoHashTest, AlignAndDecodeCells) {
  EXPECT_EQ(AlignGeoHash({0b0110, 2}), uint64_t{0b0110} << 48);
  const GeoArea area = DecodeGeoHash({0b0110, 2});
  EXPECT_DOUBLE_EQ(area.longitude.min, -90);
  EXPECT_DOUBLE_EQ(area.longitude.max, 0);
  EXPECT_DOUBLE_EQ(area.latitude.min, 0);
  EXPECT_DOUBLE_EQ(area.latitude.max, kGeoMaxLatitude / 2);
}

TEST(GeoShapeTest, DistanceAndShapes) {
  const GeoPoint palermo = DecodeGeoScore(3479099956230698.0);
  const GeoPoint catania = DecodeGeoScore(3479447370796909.0);
  // GEODIST Sicily Palermo Catania: 166274.1516.
  EXPECT_NEAR(GeoDistance(palermo, catania), 166274.1516, 5e-5);
  GeoShape circle;
  circle.center = {15, 37};
  circle.radius = 100;
  circle.to_meters = 1000;
  double distance;
  EXPECT_TRUE(WithinGeoShape(circle, catania, &distance));
  EXPECT_NEAR(distance / 1000, 56.4413, 5e-5);
  EXPECT_FALSE(WithinGeoShape(circle, palermo, &distance));
  GeoShape box = circle;
  box.is_box = true;
  box.width = 400;
  box.height = 300;
  EXPECT_TRUE(WithinGeoShape(box, palermo, &distance));
  EXPECT_NEAR(distance / 1000, 190.4424, 5e-5);
}

TEST(GeoShapeTest, SearchCellsStartWithTheCentre) {
  GeoShape point;
  point.center = {13.361389, 38.115556};
  // A zero radius searches the centre's own 52-bit cell first.
  const std::vector<GeoHash> cells = GeoSearchCells(point);
  ASSERT_FALSE(cells.empty());
  EXPECT_EQ(cells[0].step, kGeoMaxStep);
  EXPECT_EQ(static_cast<double>(AlignGeoHash(cells[0])), 3479099956230698.0);
  GeoShape wide = point;
  wide.radius = 5000;
  wide.to_meters = 1000;
  for (const GeoHash& cell : GeoSearchCells(wide)) EXPECT_LE(cell.step, 2);
}

}  // namespace
}  // namespace shardd::kv
