#include "shard/kv/commands/geo/geo_shape.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace shardd::kv {
namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
// Web Mercator's half circumference: the step estimate halves the search
// radius's span of it until it fits.
constexpr double kMercatorMax = 20037726.37;

double Radians(double degrees) { return degrees * kRadiansPerDegree; }
double Degrees(double radians) { return radians / kRadiansPerDegree; }

// How many halvings make a cell about as large as the radius (fewer near
// the poles, where a cell narrows), so that 9 cells cover the shape.
int EstimateStep(double radius_meters, double latitude) {
  if (radius_meters == 0) return kGeoMaxStep;
  int step = 1;
  while (radius_meters < kMercatorMax) {
    radius_meters *= 2;
    ++step;
  }
  // That step's cells are about the radius across; two steps coarser, a
  // centre cell and its ring of eight usually hold the whole shape.
  step -= 2;
  if (latitude > 66 || latitude < -66) {
    --step;
    if (latitude > 80 || latitude < -80) --step;
  }
  if (step < 1) step = 1;
  if (step > kGeoMaxStep) step = kGeoMaxStep;
  return step;
}

// The shape's bounding box. A longitude span widens away from the equator,
// so the edge farther from it (top in the north, bottom in the south) sets
// the box's width.
GeoArea BoundingBox(const GeoShape& shape) {
  const double half_height =
      shape.to_meters * (shape.is_box ? shape.height / 2 : shape.radius);
  const double half_width =
      shape.to_meters * (shape.is_box ? shape.width / 2 : shape.radius);
  const double longitude = shape.center.longitude;
  const double latitude = shape.center.latitude;
  const double half_height_degrees = Degrees(half_height / kEarthRadiusMeters);
  const double poleward_latitude = latitude < 0
                                       ? latitude - half_height_degrees
                                       : latitude + half_height_degrees;
  const double half_width_degrees = Degrees(
      half_width / kEarthRadiusMeters / std::cos(Radians(poleward_latitude)));
  GeoArea box;
  box.longitude = {longitude - half_width_degrees,
                   longitude + half_width_degrees};
  box.latitude = {latitude - half_height_degrees,
                  latitude + half_height_degrees};
  return box;
}

}  // namespace

std::string FormatGeoDistance(double distance) {
  char text[400];  // "%.4f" of the largest double is 314 characters
  const int length = std::snprintf(text, sizeof(text), "%.4f", distance);
  return std::string(text, static_cast<size_t>(length));
}

double GeoDistance(GeoPoint a, GeoPoint b) {
  const double lat1 = Radians(a.latitude);
  const double long1 = Radians(a.longitude);
  const double lat2 = Radians(b.latitude);
  const double long2 = Radians(b.longitude);
  const double u = std::sin((lat2 - lat1) / 2);
  const double v = std::sin((long2 - long1) / 2);
  return 2.0 * kEarthRadiusMeters *
         std::asin(std::sqrt(u * u + std::cos(lat1) * std::cos(lat2) * v * v));
}

bool WithinGeoShape(const GeoShape& shape, GeoPoint point, double* distance) {
  if (!shape.is_box) {
    *distance = GeoDistance(shape.center, point);
    return *distance <= shape.radius * shape.to_meters;
  }
  // Each axis is measured along the point's own parallel and meridian.
  const double long_distance =
      GeoDistance(point, {shape.center.longitude, point.latitude});
  const double lat_distance =
      GeoDistance(point, {point.longitude, shape.center.latitude});
  if (long_distance > shape.width * shape.to_meters / 2 ||
      lat_distance > shape.height * shape.to_meters / 2) {
    return false;
  }
  *distance = GeoDistance(shape.center, point);
  return true;
}

std::vector<GeoHash> GeoSearchCells(const GeoShape& shape) {
  const GeoArea bounds = BoundingBox(shape);
  // A box reaches as far as its corners.
  double radius_meters =
      shape.is_box ? std::sqrt((shape.width / 2) * (shape.width / 2) +
                               (shape.height / 2) * (shape.height / 2))
                   : shape.radius;
  radius_meters *= shape.to_meters;
  int step = EstimateStep(radius_meters, shape.center.latitude);
  GeoHash center = EncodeGeoHash(shape.center, step);
  std::array<GeoHash, 8> neighbours = GeoNeighbours(center);
  // A centre close to its cell's border leaves the ring of cells short of
  // the bounding box on that side: cells twice as large cover it.
  const GeoArea north = DecodeGeoHash(neighbours[0]);
  const GeoArea south = DecodeGeoHash(neighbours[1]);
  const GeoArea east = DecodeGeoHash(neighbours[2]);
  const GeoArea west = DecodeGeoHash(neighbours[3]);
  if (step > 1 && (north.latitude.max < bounds.latitude.max ||
                   south.latitude.min > bounds.latitude.min ||
                   east.longitude.max < bounds.longitude.max ||
                   west.longitude.min > bounds.longitude.min)) {
    --step;
    center = EncodeGeoHash(shape.center, step);
    neighbours = GeoNeighbours(center);
  }
  // Indices into `neighbours`: N, S, E, W, NE, NW, SE, SW.
  bool skip[8] = {};
  if (step >= 2) {
    // Where the centre's cell already reaches past the bounds, the three
    // neighbours on that side hold nothing of the shape.
    const GeoArea area = DecodeGeoHash(center);
    if (area.latitude.min < bounds.latitude.min) {
      skip[1] = skip[7] = skip[6] = true;
    }
    if (area.latitude.max > bounds.latitude.max) {
      skip[0] = skip[4] = skip[5] = true;
    }
    if (area.longitude.min < bounds.longitude.min) {
      skip[3] = skip[7] = skip[5] = true;
    }
    if (area.longitude.max > bounds.longitude.max) {
      skip[2] = skip[6] = skip[4] = true;
    }
  }
  std::vector<GeoHash> cells = {center};
  // Redis compares a neighbour with the previous neighbour it read, never
  // with the centre's cell.
  const GeoHash* previous = nullptr;
  for (size_t i = 0; i < neighbours.size(); ++i) {
    if (skip[i]) continue;
    if (previous != nullptr && neighbours[i] == *previous) continue;
    cells.push_back(neighbours[i]);
    previous = &neighbours[i];
  }
  return cells;
}

}  // namespace shardd::kv
