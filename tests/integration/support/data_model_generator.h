// DataModelGenerator produces the seeded random command stream of the
// bitfield, HyperLogLog and geo differential test
// (data_model_differential_test.cc): the data models Redis builds on top of
// strings and sorted sets, with their options and error cases.
//
//   DataModelGenerator generator(seed);
//   std::vector<std::string> command = generator.Next();
//
// - Bitmaps: BITFIELD (GET/SET/INCRBY over u/i types of every width, plain
//   and # offsets, OVERFLOW WRAP/SAT/FAIL) and BITFIELD_RO, next to SETBIT,
//   GETBIT, BITCOUNT, BITPOS and BITOP, at small offsets so that the strings
//   stay short.
// - HyperLogLogs: PFADD of a few elements (sparse) and now and then of
//   thousands (past the 3000-byte sparse limit: dense), PFCOUNT of one key
//   (which rewrites the cached count in the value) and of several, PFMERGE,
//   and GET, which shows the value's bytes: Redis's format, byte for byte.
// - Geo sets: GEOADD of members that each move between two points of their
//   own, in clusters (one astride the ±180 meridian, one near the poles'
//   limit), GEOPOS, GEODIST, GEOHASH, every search form with every option,
//   the stores (destinations on other shards), and ZRANGE of the scores.
//
// The keys of each kind spread over all 4 shards without hash tags, so a
// multi-key command (BITOP, PFCOUNT, PFMERGE, the stores) mostly spans
// shards; a {D} group shares one. The stream starts by creating every key
// with its type; wrong types then come from plain strings, a list and the
// other models' keys. No DEL or EXPIRE. Left out on purpose: bit writes
// to an HLL and stores over a bitmap or an HLL: a corrupt HLL, or a model's
// key lost to another type, is no test of this stream.
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_DATA_MODEL_GENERATOR_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_DATA_MODEL_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/support/random_choices.h"

namespace shardd::integration {

class DataModelGenerator : private RandomChoices {
 public:
  explicit DataModelGenerator(uint64_t seed);

  // The next command, name first.
  std::vector<std::string> Next();

  // Every key the generator uses.
  static std::vector<std::string> Keys();

 private:
  // The first commands: every key created with its type, as a write of the
  // wrong type to a missing key would create it with that type instead.
  std::vector<std::vector<std::string>> Setup();
  std::vector<std::string> BitFieldCommand();
  std::vector<std::string> BitCommand();
  std::vector<std::string> PfAddCommand();
  std::vector<std::string> HllReadCommand();
  std::vector<std::string> GeoAddCommand();
  std::vector<std::string> GeoReadCommand();
  std::vector<std::string> GeoSearchCommand();
  std::vector<std::string> GeoStoreCommand();
  std::vector<std::string> OtherCommand();

  // Appends one BITFIELD subcommand; `read_only` keeps to GET, mostly.
  void AddBitFieldOperation(bool read_only, std::vector<std::string>* c);

  enum SearchStore { kNoStore, kStore, kStoreDist };
  // The search's center, shape and options, in GEOSEARCH's syntax (the
  // caller puts the name and keys first).
  void AddGeoSearchArguments(SearchStore store, std::vector<std::string>* c);
  // GEORADIUS's options after the radius (`store`: STORE/STOREDIST).
  void AddGeoRadiusOptions(bool store, std::vector<std::string>* c);
  // COUNT with one of `counts`, now and then with ANY.
  std::vector<std::string> CountOption(const std::vector<std::string>& counts);
  // Puts option groups in a random order, as Redis takes them in any.
  void Shuffle(std::vector<std::vector<std::string>>* groups);

  // Keys of each kind, now and then a key of the wrong type.
  std::string BitKey();      // a bitmap to write
  std::string BitReadKey();  // any string: bitmap, HLL or plain
  std::string HllKey();
  std::string GeoKey();
  // Where geo stores may write: mostly the store targets, now and then a
  // geo set proper.
  std::string StoreTarget();
  std::string AnyKey();

  std::string BitFieldType();
  std::string BitFieldOffset();
  std::string BitFieldValue();
  static bool IsSmallHll(const std::string& key);
  std::string HllElement();
  // A member, by index into its pool of points.
  int MemberIndex();
  std::string GeoMember();
  // "lon", "lat", member: one of the member's own points, now and then out
  // of range.
  void AddMember(std::vector<std::string>* c);
  // "lon", "lat" of a search's center, now and then out of range.
  void AddCenter(std::vector<std::string>* c);
  std::string Distance();  // radius, width or height
  std::string Unit();

  std::vector<std::vector<std::string>> setup_;
  size_t commands_ = 0;  // commands generated so far
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_DATA_MODEL_GENERATOR_H_
