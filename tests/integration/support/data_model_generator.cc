#include "tests/integration/support/data_model_generator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

// Each untagged pool covers all 4 shards of a 4-shard shardd (slot mod 4:
// bits 0,3,2,1; hll 3,0,1,2; geo 1,2,3,0; dest 2,1,0,3), so that multi-key
// commands span shards; the {D} keys share shard 0 with each other.
const std::vector<std::string> kBitmaps = {"bits:1", "bits:2", "bits:3",
                                           "bits:4", "{D}:bits"};
const std::vector<std::string> kHlls = {"hll:1", "hll:2", "hll:3", "hll:4",
                                        "{D}:hll"};
// Only ever given a few elements at a time, and merged only with each other
// (on shards 0 and 1): they stay sparse.
const std::vector<std::string> kSmallHlls = {"hll:small", "hll:s"};
const std::vector<std::string> kGeos = {"geo:1", "geo:2", "geo:3", "geo:4",
                                        "{D}:geo"};
const std::vector<std::string> kStoreTargets = {
    "geo:dest:1", "geo:dest:2", "geo:dest:3", "geo:dest:4", "{D}:dest"};
// Plain strings (not HLLs) and a list, for the wrong-type errors.
const std::vector<std::string> kStrings = {"str:1", "str:2", "{D}:str"};
const std::string kList = "list:1";
// A string that stores overwrite (and may delete), kept apart from the
// strings above: once deleted, a PFADD or BITFIELD there would create an
// HLL or a bitmap where a wrong type is meant.
const std::string kStoredOver = "str:stored";

using Point = std::pair<std::string, std::string>;  // longitude, latitude

// Where each member may stand: mostly one of two points of its own (the
// pairs that mirror each other across the ±180 meridian or the origin are
// one member's), now and then another member's, so that members tie on
// distance, which a search's partial sort under COUNT reorders. Clusters:
// Sicily, Paris, astride the ±180 meridian near Fiji and on the equator, the
// origin, near the latitude limit of ±85.05112878, New York, and lone cities.
const std::vector<std::pair<Point, Point>> kMemberPoints = {
    {{"13.361389", "38.115556"}, {"12.5136", "38.0176"}},
    {{"15.087269", "37.502669"}, {"15.2866", "37.0755"}},
    {{"13.583333", "37.316667"}, {"14.2792", "37.5672"}},
    {{"15.556", "38.193"}, {"14.0", "37.9"}},
    {{"2.3522", "48.8566"}, {"2.3376", "48.8606"}},
    {{"2.2945", "48.8584"}, {"2.3499", "48.853"}},
    {{"2.1204", "48.8049"}, {"2.5479", "49.0097"}},
    {{"179.99", "-16.5"}, {"-179.99", "-16.6"}},
    {{"179.5", "-17.0"}, {"-179.5", "-16.9"}},
    {{"178.4419", "-18.1416"}, {"-178.1", "-17.4"}},
    {{"180", "-16.55"}, {"-180", "-16.45"}},
    {{"179.9999", "0.0001"}, {"-179.9999", "-0.0001"}},
    {{"0", "0"}, {"1", "1"}},
    {{"0.001", "-0.001"}, {"-0.5", "0.5"}},
    {{"10", "85.05"}, {"-170", "84.9"}},
    {{"100", "-85.05112878"}, {"-45", "-85"}},
    {{"-73.9857", "40.7484"}, {"-74.0445", "40.6892"}},
    {{"-73.968", "40.7851"}, {"-73.99", "40.73"}},
    {{"174.7633", "-36.8485"}, {"151.2093", "-33.8688"}},
    {{"139.6917", "35.6895"}, {"121.4737", "31.2304"}},
    {{"-157.8583", "21.3069"}, {"-149.9", "61.2"}},
    {{"-21.9426", "64.1466"}, {"18.4241", "-33.9249"}},
    {{"-70.6693", "-33.4489"}, {"72.8777", "19.076"}},
};
// The members' names, by index into kMemberPoints: past the 20 plain ones,
// an empty one, a binary one and one past 64 bytes, which takes the sorted
// set out of the compact encoding.
std::string MemberName(int index) {
  switch (index) {
    case 20:
      return "";
    case 21:
      return std::string("b\0\r\n\xff", 5);
    case 22:
      return std::string(70, 'L');
    default:
      return absl::StrCat("m", index);
  }
}
// Centers that are no pool point: between the clusters' points, and on the
// meridian itself.
const std::vector<Point> kCenters = {
    {"15", "37"},      {"180", "-16.5"}, {"-180", "-16.5"},  {"0", "0"},
    {"2.35", "48.85"}, {"-74", "40.7"},  {"179.8", "-16.8"}, {"0", "85"},
};
const std::vector<Point> kBadPoints = {
    {"181", "0"}, {"0", "85.06"}, {"-180.0001", "10"}, {"x", "1"},
    {"1", "nan"}, {"inf", "0"},   {"0", "-90"},        {"", "1"},
};
const std::vector<std::string> kDistances = {
    "0", "0.5", "1", "10", "75", "200", "1000", "5000", "20000", "1e6", "3.3"};
const std::vector<std::string> kBadDistances = {"-1", "x", "", "nan"};
const std::vector<std::string> kUnits = {"m", "km", "mi", "ft", "KM", "Mi"};

const std::vector<std::string> kBitFieldTypes = {
    "u1",  "u2",  "u3",  "u4",  "u5",  "u7",  "u8",  "u12", "u16",
    "u24", "u31", "u32", "u33", "u48", "u63", "i1",  "i2",  "i3",
    "i4",  "i5",  "i8",  "i13", "i16", "i32", "i53", "i63", "i64"};
const std::vector<std::string> kBadBitFieldTypes = {"u64", "i65", "u0", "x8",
                                                    "i",   "U8",  "u-1"};
const std::vector<std::string> kBitFieldValues = {"0",
                                                  "1",
                                                  "-1",
                                                  "2",
                                                  "3",
                                                  "7",
                                                  "-8",
                                                  "15",
                                                  "100",
                                                  "127",
                                                  "128",
                                                  "-128",
                                                  "-129",
                                                  "255",
                                                  "256",
                                                  "65535",
                                                  "-7000",
                                                  "2147483647",
                                                  "2147483648",
                                                  "-2147483649",
                                                  "4294967295",
                                                  "9007199254740993",
                                                  "9223372036854775807",
                                                  "-9223372036854775808"};
const std::vector<std::string> kBadBitFieldValues = {"1.5", "x", "",
                                                     "9223372036854775808"};

std::vector<std::string> AllKeys() {
  std::vector<std::string> all;
  for (const auto* pool :
       {&kBitmaps, &kHlls, &kSmallHlls, &kGeos, &kStoreTargets, &kStrings}) {
    all.insert(all.end(), pool->begin(), pool->end());
  }
  all.push_back(kList);
  all.push_back(kStoredOver);
  return all;
}

}  // namespace

DataModelGenerator::DataModelGenerator(uint64_t seed) : RandomChoices(seed) {}

std::vector<std::string> DataModelGenerator::Keys() { return AllKeys(); }

std::string DataModelGenerator::AnyKey() { return Pick(Keys()); }

std::string DataModelGenerator::BitKey() {
  if (Chance(0.04)) return kList;
  // A plain string is a bitmap too; it goes back to text on the next SET.
  if (Chance(0.04)) return Pick(kStrings);
  return Pick(kBitmaps);
}

std::string DataModelGenerator::BitReadKey() {
  if (Chance(0.03)) return kList;
  if (Chance(0.03)) return Pick(kGeos);
  if (Chance(0.15)) return Chance(0.3) ? Pick(kSmallHlls) : Pick(kHlls);
  if (Chance(0.05)) return Pick(kStrings);
  return Pick(kBitmaps);
}

std::string DataModelGenerator::HllKey() {
  if (Chance(0.03)) return Pick(kStrings);  // a string, but no HLL
  if (Chance(0.02)) return kList;
  if (Chance(0.3)) return Pick(kSmallHlls);
  return Pick(kHlls);
}

std::string DataModelGenerator::GeoKey() {
  if (Chance(0.03)) return Pick(kStrings);
  if (Chance(0.02)) return Chance(0.5) ? Pick(kHlls) : kList;
  // Store targets hold stored searches: positions, or distances read as
  // positions.
  if (Chance(0.15)) return Pick(kStoreTargets);
  return Pick(kGeos);
}

std::string DataModelGenerator::StoreTarget() {
  // A store replaces a key of any type: a string here.
  if (Chance(0.03)) return kStoredOver;
  if (Chance(0.05)) return Pick(kGeos);
  return Pick(kStoreTargets);
}

std::string DataModelGenerator::BitFieldType() {
  return Chance(0.03) ? Pick(kBadBitFieldTypes) : Pick(kBitFieldTypes);
}

std::string DataModelGenerator::BitFieldOffset() {
  if (Chance(0.02)) {
    return Pick(std::vector<std::string>{"-1", "#-1", "x", "#", "4294967296"});
  }
  // #n counts in the field's width: at most 8 fields of 64 bits.
  if (Chance(0.3)) return absl::StrCat("#", Uniform(0, 7));
  return absl::StrCat(Uniform(0, 130));
}

std::string DataModelGenerator::BitFieldValue() {
  if (Chance(0.03)) return Pick(kBadBitFieldValues);
  return Chance(0.5) ? absl::StrCat(Uniform(-300, 300)) : Pick(kBitFieldValues);
}

std::string DataModelGenerator::HllElement() {
  switch (Uniform(0, 20)) {
    case 0:
      return "";
    case 1:
      return std::string("b\0\r\n\xff", 5);
    case 2:
      return std::string(Uniform(20, 100), 'e');
    default:
      return absl::StrCat("e", Uniform(0, 300));
  }
}

int DataModelGenerator::MemberIndex() {
  const int plain = 20;
  return Chance(0.9)
             ? Uniform(0, plain - 1)
             : Uniform(plain, static_cast<int>(kMemberPoints.size()) - 1);
}

std::string DataModelGenerator::GeoMember() {
  return MemberName(MemberIndex());
}

void DataModelGenerator::AddMember(std::vector<std::string>* c) {
  const int index = MemberIndex();
  const auto& [first, second] = Chance(0.1)
                                    ? Pick(kMemberPoints)
                                    : kMemberPoints[static_cast<size_t>(index)];
  const auto& [longitude, latitude] =
      Chance(0.03) ? Pick(kBadPoints) : (Chance(0.5) ? first : second);
  c->insert(c->end(), {longitude, latitude, MemberName(index)});
}

void DataModelGenerator::AddCenter(std::vector<std::string>* c) {
  const int kind = Uniform(0, 99);
  const Point& center = kind < 3    ? Pick(kBadPoints)
                        : kind < 40 ? Pick(kCenters)
                        : kind < 70 ? Pick(kMemberPoints).first
                                    : Pick(kMemberPoints).second;
  c->insert(c->end(), {center.first, center.second});
}

std::string DataModelGenerator::Distance() {
  return Chance(0.03) ? Pick(kBadDistances) : Pick(kDistances);
}

std::string DataModelGenerator::Unit() {
  return Chance(0.02) ? Pick(std::vector<std::string>{"yd", "", "meters"})
                      : Pick(kUnits);
}

std::vector<std::string> DataModelGenerator::Next() {
  if (setup_.empty() && commands_ == 0) setup_ = Setup();
  if (commands_ < setup_.size()) return setup_[commands_++];
  ++commands_;
  const int kind = Uniform(0, 99);
  if (kind < 16) return BitFieldCommand();
  if (kind < 26) return BitCommand();
  if (kind < 36) return PfAddCommand();
  if (kind < 46) return HllReadCommand();
  if (kind < 58) return GeoAddCommand();
  if (kind < 68) return GeoReadCommand();
  if (kind < 83) return GeoSearchCommand();
  if (kind < 94) return GeoStoreCommand();
  return OtherCommand();
}

void DataModelGenerator::AddBitFieldOperation(bool read_only,
                                              std::vector<std::string>* c) {
  const int op = read_only ? (Chance(0.05) ? Uniform(1, 3) : 0) : Uniform(0, 3);
  switch (op) {
    case 0:
      c->insert(c->end(), {Spell("GET"), BitFieldType(), BitFieldOffset()});
      return;
    case 1:
      c->insert(c->end(), {Spell("SET"), BitFieldType(), BitFieldOffset(),
                           BitFieldValue()});
      return;
    case 2:
      c->insert(c->end(), {Spell("INCRBY"), BitFieldType(), BitFieldOffset(),
                           BitFieldValue()});
      return;
    default:
      c->insert(c->end(), {Spell("OVERFLOW"),
                           Chance(0.05) ? "BOUNCE"
                                        : Spell(Pick(std::vector<std::string>{
                                              "WRAP", "SAT", "FAIL"}))});
      return;
  }
}

std::vector<std::string> DataModelGenerator::BitFieldCommand() {
  const bool read_only = Chance(0.25);
  std::vector<std::string> c = {Spell(read_only ? "BITFIELD_RO" : "BITFIELD"),
                                read_only ? BitReadKey() : BitKey()};
  for (int i = Chance(0.03) ? 0 : Uniform(1, 5); i > 0; --i) {
    AddBitFieldOperation(read_only, &c);
  }
  if (Chance(0.02)) c.pop_back();  // a subcommand short of an argument
  return c;
}

std::vector<std::string> DataModelGenerator::BitCommand() {
  const auto index = [this] {
    return Chance(0.03) ? std::string("x") : absl::StrCat(Uniform(-12, 40));
  };
  switch (Uniform(0, 9)) {
    case 0:
    case 1:
      return {Spell("SETBIT"), BitKey(),
              Chance(0.02)
                  ? Pick(std::vector<std::string>{"-1", "4294967296", "x"})
                  : absl::StrCat(Uniform(0, 200)),
              Chance(0.02) ? "2" : absl::StrCat(Uniform(0, 1))};
    case 2:
      return {Spell("GETBIT"), BitReadKey(), absl::StrCat(Uniform(0, 300))};
    case 3:
    case 4: {
      std::vector<std::string> c = {Spell("BITCOUNT"), BitReadKey()};
      if (Chance(0.6)) {
        c.push_back(index());
        c.push_back(index());
        if (Chance(0.4)) c.push_back(Spell(Chance(0.5) ? "BIT" : "BYTE"));
      }
      return c;
    }
    case 5: {
      std::vector<std::string> c = {Spell("BITPOS"), BitReadKey(),
                                    absl::StrCat(Uniform(0, 1))};
      if (Chance(0.6)) c.push_back(index());
      if (Chance(0.5)) c.push_back(index());
      if (c.size() == 5 && Chance(0.4)) {
        c.push_back(Spell(Chance(0.5) ? "BIT" : "BYTE"));
      }
      return c;
    }
    case 6:
    case 7: {
      const std::string op =
          Pick(std::vector<std::string>{"AND", "OR", "XOR", "NOT"});
      // Into bitmaps only: BITOP of HLLs would leave a corrupt one.
      std::vector<std::string> c = {Spell("BITOP"), Spell(op), Pick(kBitmaps)};
      const int sources = op == "NOT" ? (Chance(0.05) ? 2 : 1) : Uniform(1, 4);
      for (int i = 0; i < sources; ++i) c.push_back(BitReadKey());
      return c;
    }
    default:
      return {Spell("GET"), BitReadKey()};
  }
}

std::vector<std::string> DataModelGenerator::PfAddCommand() {
  const std::string key = HllKey();
  std::vector<std::string> c = {Spell("PFADD"), key};
  if (IsSmallHll(key)) {
    for (int i = Uniform(0, 3); i > 0; --i) c.push_back(HllElement());
    return c;
  }
  // Thousands of elements pass the sparse encoding's 3000 bytes (dense from
  // then on); hundreds make long sparse runs first. Rare enough that the
  // big HLLs stay sparse for a good part of the stream.
  int count = Uniform(0, 6);
  if (Chance(0.03)) {
    count = Uniform(1500, 2500);
  } else if (Chance(0.06)) {
    count = Uniform(50, 400);
  }
  for (int i = 0; i < count; ++i) {
    c.push_back(count > 6 ? absl::StrCat("x", Uniform(0, 1 << 30))
                          : HllElement());
  }
  return c;
}

bool DataModelGenerator::IsSmallHll(const std::string& key) {
  return std::find(kSmallHlls.begin(), kSmallHlls.end(), key) !=
         kSmallHlls.end();
}

std::vector<std::string> DataModelGenerator::HllReadCommand() {
  switch (Uniform(0, 9)) {
    case 0:
    case 1:
    case 2:  // one key: from and into the cache in the value
      return {Spell("PFCOUNT"), HllKey()};
    case 3:
    case 4: {  // the union, uncached
      std::vector<std::string> c = {Spell("PFCOUNT")};
      for (int i = Uniform(2, 4); i > 0; --i) c.push_back(HllKey());
      return c;
    }
    case 5:
    case 6: {
      // Sparse into sparse stays sparse; a dense source makes the
      // destination dense, so the small ones only merge among themselves.
      const bool small = Chance(0.3);
      std::vector<std::string> c = {Spell("PFMERGE")};
      for (int i = Uniform(1, 4); i > 0; --i) {
        std::string key = HllKey();
        if (IsSmallHll(key) != small) key = Pick(small ? kSmallHlls : kHlls);
        c.push_back(key);
      }
      return c;
    }
    default:  // the bytes: registers, encoding and cached count
      return {Spell("GET"), Chance(0.3) ? Pick(kSmallHlls) : Pick(kHlls)};
  }
}

std::vector<std::string> DataModelGenerator::GeoAddCommand() {
  std::vector<std::string> c = {Spell("GEOADD"), GeoKey()};
  if (Chance(0.05)) {  // most members at once
    for (int i = Uniform(15, 30); i > 0; --i) AddMember(&c);
    return c;
  }
  if (Chance(0.2)) c.push_back(Spell(Chance(0.5) ? "NX" : "XX"));
  if (Chance(0.02)) c.push_back("NX");  // with XX: an error
  if (Chance(0.25)) c.push_back(Spell("CH"));
  if (Chance(0.03)) c.push_back("GT");  // not a GEOADD option
  for (int i = Uniform(1, 4); i > 0; --i) AddMember(&c);
  if (Chance(0.02)) c.pop_back();
  return c;
}

std::vector<std::string> DataModelGenerator::GeoReadCommand() {
  const std::string key = GeoKey();
  switch (Uniform(0, 7)) {
    case 0:
    case 1: {
      std::vector<std::string> c = {Spell("GEOPOS"), key};
      for (int i = Uniform(0, 4); i > 0; --i) c.push_back(GeoMember());
      return c;
    }
    case 2:
    case 3: {
      std::vector<std::string> c = {Spell("GEODIST"), key, GeoMember(),
                                    GeoMember()};
      if (Chance(0.7)) c.push_back(Unit());
      if (Chance(0.02)) c.push_back("km");  // one argument too many
      return c;
    }
    case 4:
    case 5: {
      std::vector<std::string> c = {Spell("GEOHASH"), key};
      for (int i = Uniform(0, 4); i > 0; --i) c.push_back(GeoMember());
      return c;
    }
    case 6:
      return {Spell("ZRANGE"), key, "0", "-1", Spell("WITHSCORES")};
    default:
      return {Spell("ZSCORE"), key, GeoMember()};
  }
}

std::vector<std::string> DataModelGenerator::CountOption(
    const std::vector<std::string>& counts) {
  std::vector<std::string> group = {
      Spell("COUNT"), Chance(0.04)
                          ? Pick(std::vector<std::string>{"0", "-3", "x"})
                          : Pick(counts)};
  if (Chance(0.3)) group.push_back(Spell("ANY"));
  return group;
}

void DataModelGenerator::AddGeoSearchArguments(SearchStore store,
                                               std::vector<std::string>* c) {
  // Each group of options in a random place, as Redis takes them in any
  // order; now and then one missing, doubled or out of place.
  std::vector<std::vector<std::string>> groups;
  const int from = Chance(0.04) ? Uniform(2, 3) : Uniform(0, 1);
  if (from == 0 || from == 3) {
    groups.push_back({Spell("FROMMEMBER"), GeoMember()});
  }
  if (from == 1 || from == 3) {
    std::vector<std::string> group = {Spell("FROMLONLAT")};
    AddCenter(&group);
    groups.push_back(std::move(group));
  }
  const int by = Chance(0.04) ? Uniform(2, 3) : Uniform(0, 1);
  if (by == 0 || by == 3) {
    groups.push_back({Spell("BYRADIUS"), Distance(), Unit()});
  }
  if (by == 1 || by == 3) {
    groups.push_back({Spell("BYBOX"), Distance(), Distance(), Unit()});
  }
  if (const int sort = Uniform(0, 2); sort != 0) {
    groups.push_back({Spell(sort == 1 ? "ASC" : "DESC")});
  }
  if (Chance(0.4)) {
    groups.push_back(CountOption({"1", "2", "3", "5", "10", "100"}));
  } else if (Chance(0.02)) {
    groups.push_back({"ANY"});  // without COUNT: an error
  }
  // A store takes no WITH option, a search no STOREDIST: errors.
  const bool with_options = store == kNoStore || Chance(0.03);
  for (const char* option : {"WITHCOORD", "WITHDIST", "WITHHASH"}) {
    if (with_options && Chance(0.3)) groups.push_back({Spell(option)});
  }
  if (store == kStoreDist || (store == kNoStore && Chance(0.02))) {
    groups.push_back({Spell("STOREDIST")});
  }
  Shuffle(&groups);
  for (const auto& group : groups) {
    c->insert(c->end(), group.begin(), group.end());
  }
}

void DataModelGenerator::AddGeoRadiusOptions(bool store,
                                             std::vector<std::string>* c) {
  std::vector<std::vector<std::string>> groups;
  const bool with_options = !store || Chance(0.04);  // with STORE: an error
  for (const char* option : {"WITHCOORD", "WITHDIST", "WITHHASH"}) {
    if (with_options && Chance(0.3)) groups.push_back({Spell(option)});
  }
  if (const int sort = Uniform(0, 2); sort != 0) {
    groups.push_back({Spell(sort == 1 ? "ASC" : "DESC")});
  }
  if (Chance(0.4)) {
    groups.push_back(CountOption({"1", "2", "3", "4", "10", "50"}));
  }
  if (store || Chance(0.02)) {  // the _RO forms refuse a store
    // Both: the last one names the destination and the kind of score.
    const int kind = Chance(0.05) ? 2 : Uniform(0, 1);
    if (kind == 0 || kind == 2) {
      groups.push_back({Spell("STORE"), StoreTarget()});
    }
    if (kind == 1 || kind == 2) {
      groups.push_back({Spell("STOREDIST"), StoreTarget()});
    }
  }
  Shuffle(&groups);
  for (const auto& group : groups) {
    c->insert(c->end(), group.begin(), group.end());
  }
}

void DataModelGenerator::Shuffle(
    std::vector<std::vector<std::string>>* groups) {
  for (size_t i = groups->size(); i > 1; --i) {
    std::swap(
        (*groups)[i - 1],
        (*groups)[static_cast<size_t>(Uniform(0, static_cast<int>(i) - 1))]);
  }
}

std::vector<std::string> DataModelGenerator::GeoSearchCommand() {
  const std::string key = GeoKey();
  switch (Uniform(0, 5)) {
    case 0:
    case 1:
    case 2: {
      std::vector<std::string> c = {Spell("GEOSEARCH"), key};
      AddGeoSearchArguments(kNoStore, &c);
      return c;
    }
    case 3:
    case 4: {
      const bool read_only = Chance(0.5);
      std::vector<std::string> c = {
          Spell(read_only ? "GEORADIUS_RO" : "GEORADIUS"), key};
      AddCenter(&c);
      c.insert(c.end(), {Distance(), Unit()});
      AddGeoRadiusOptions(/*store=*/false, &c);
      return c;
    }
    default: {
      const bool read_only = Chance(0.5);
      std::vector<std::string> c = {
          Spell(read_only ? "GEORADIUSBYMEMBER_RO" : "GEORADIUSBYMEMBER"), key,
          GeoMember(), Distance(), Unit()};
      AddGeoRadiusOptions(/*store=*/false, &c);
      return c;
    }
  }
}

std::vector<std::string> DataModelGenerator::GeoStoreCommand() {
  const std::string source = GeoKey();
  switch (Uniform(0, 2)) {
    case 0: {
      const bool store_dist = Chance(0.35);
      std::vector<std::string> c = {Spell("GEOSEARCHSTORE"), StoreTarget(),
                                    source};
      AddGeoSearchArguments(store_dist ? kStoreDist : kStore, &c);
      return c;
    }
    case 1: {
      std::vector<std::string> c = {Spell("GEORADIUS"), source};
      AddCenter(&c);
      c.insert(c.end(), {Distance(), Unit()});
      AddGeoRadiusOptions(/*store=*/true, &c);
      return c;
    }
    default: {
      std::vector<std::string> c = {Spell("GEORADIUSBYMEMBER"), source,
                                    GeoMember(), Distance(), Unit()};
      AddGeoRadiusOptions(/*store=*/true, &c);
      return c;
    }
  }
}

std::vector<std::string> DataModelGenerator::OtherCommand() {
  switch (Uniform(0, 5)) {
    case 0:
    case 1:
      return {"SET", Chance(0.25) ? kStoredOver : Pick(kStrings),
              Pick(std::vector<std::string>{"text", "", "HYL", "x\xff\x01"})};
    case 2:
      return {"RPUSH", kList, "a"};
    case 3:
      return {"TYPE", AnyKey()};
    case 4:
      return {"STRLEN", AnyKey()};
    default:
      return {"EXISTS", AnyKey(), AnyKey()};
  }
}

std::vector<std::vector<std::string>> DataModelGenerator::Setup() {
  std::vector<std::vector<std::string>> setup = {{"RPUSH", kList, "a", "b"}};
  for (const std::string& key : kStrings) setup.push_back({"SET", key, "text"});
  setup.push_back({"SET", kStoredOver, "text"});
  for (const std::string& key : kBitmaps)
    setup.push_back({"SETBIT", key, "7", "1"});
  for (const auto* pool : {&kHlls, &kSmallHlls}) {
    for (const std::string& key : *pool) setup.push_back({"PFADD", key, "a"});
  }
  for (const auto* pool : {&kGeos, &kStoreTargets}) {
    for (const std::string& key : *pool) {
      std::vector<std::string> add = {"GEOADD", key};
      for (int i = 0; i < 10; ++i) AddMember(&add);
      setup.push_back(std::move(add));
    }
  }
  return setup;
}

}  // namespace shardd::integration
