// The geo commands. Every expected reply is what redis-server 7.0 replied
// to the same commands.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kv/handler_runner.h"

namespace shardd::kv {
namespace {

// Redis's documented example: Palermo and Catania.
TEST(GeoCommandsTest, SicilyExamples) {
  HandlerRunner run;
  EXPECT_EQ(run({"geoadd", "Sicily", "13.361389", "38.115556", "Palermo",
                 "15.087269", "37.502669", "Catania"}),
            ":2\r\n");
  EXPECT_EQ(run({"geodist", "Sicily", "Palermo", "Catania"}),
            "$11\r\n166274.1516\r\n");
  EXPECT_EQ(run({"geodist", "Sicily", "Palermo", "Catania", "km"}),
            "$8\r\n166.2742\r\n");
  EXPECT_EQ(run({"geodist", "Sicily", "Palermo", "Catania", "MI"}),
            "$8\r\n103.3182\r\n");
  EXPECT_EQ(run({"geodist", "Sicily", "Palermo", "Catania", "ft"}),
            "$11\r\n545518.8700\r\n");
  EXPECT_EQ(run({"geopos", "Sicily", "Palermo", "Catania", "NonExisting"}),
            "*3\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n"
            "38.11555639549629859\r\n*2\r\n$20\r\n15.08726745843887329\r\n"
            "$20\r\n37.50266842333162032\r\n*-1\r\n");
  EXPECT_EQ(run({"geohash", "Sicily", "Palermo", "Catania"}),
            "*2\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "WITHDIST"}),
            "*2\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\n"
            "Catania\r\n$7\r\n56.4413\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "WITHCOORD"}),
            "*2\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n$20\r\n"
            "13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n"
            "$7\r\nCatania\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n"
            "37.50266842333162032\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "WITHDIST",
                 "WITHCOORD", "WITHHASH"}),
            "*2\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n"
            ":3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n"
            "$20\r\n38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n"
            "56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n"
            "15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n");
  EXPECT_EQ(run({"georadiusbymember", "Sicily", "Palermo", "200", "km"}),
            "*2\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS",
                 "200", "km", "ASC"}),
            "*2\r\n$7\r\nCatania\r\n$7\r\nPalermo\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "FROMLONLAT", "15", "37", "BYBOX",
                 "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"}),
            "*2\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$20\r\n"
            "15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*3\r\n"
            "$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$20\r\n"
            "13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "200",
                 "200", "km", "WITHHASH"}),
            "*1\r\n*2\r\n$7\r\nPalermo\r\n:3479099956230698\r\n");
  EXPECT_EQ(run({"zrange", "Sicily", "0", "-1", "withscores"}),
            "*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\n"
            "Catania\r\n$16\r\n3479447370796909\r\n");
}

TEST(GeoAddTest, OptionsAndErrors) {
  HandlerRunner run;
  EXPECT_EQ(run({"geoadd", "g", "1", "2", "a"}), ":1\r\n");
  EXPECT_EQ(run({"geoadd", "g", "nx", "3", "4", "a", "5", "6", "b"}), ":1\r\n");
  EXPECT_EQ(run({"geoadd", "g", "xx", "3", "4", "a", "5", "6", "c"}), ":0\r\n");
  EXPECT_EQ(run({"geoadd", "g", "xx", "ch", "7", "8", "a", "5", "6", "b"}),
            ":1\r\n");
  EXPECT_EQ(run({"geoadd", "g", "ch", "7", "8", "a", "9", "10", "d"}),
            ":1\r\n");
  EXPECT_EQ(run({"zrange", "g", "0", "-1", "withscores"}),
            "*6\r\n$1\r\nb\r\n$16\r\n3382888239524122\r\n$1\r\na\r\n$16\r\n"
            "3385442150013625\r\n$1\r\nd\r\n$16\r\n3386300518815639\r\n");
  EXPECT_EQ(run({"geoadd", "g", "nx", "xx", "1", "2", "a"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geoadd", "g", "1", "2"}),
            "-ERR wrong number of arguments for 'geoadd' command\r\n");
  EXPECT_EQ(run({"geoadd", "g", "nx"}),
            "-ERR wrong number of arguments for 'geoadd' command\r\n");
  EXPECT_EQ(run({"geoadd", "g", "gt", "1", "2"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"geoadd", "g", "1", "2", "a", "x", "3", "b"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"geoadd", "g", "200", "100", "a"}),
            "-ERR invalid longitude,latitude pair 200.000000,100.000000\r\n");
  EXPECT_EQ(run({"geoadd", "g", "1", "85.06", "a"}),
            "-ERR invalid longitude,latitude pair 1.000000,85.060000\r\n");
  EXPECT_EQ(run({"geoadd", "g", "-180", "-85.05112878", "low", "180",
                 "85.05112878", "high"}),
            ":2\r\n");
  EXPECT_EQ(run({"zscore", "g", "low"}), "$1\r\n0\r\n");
  EXPECT_EQ(run({"zscore", "g", "high"}), "$17\r\n13510798882111488\r\n");
  EXPECT_EQ(run({"geopos", "g", "low", "high"}),
            "*2\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n"
            "-85.05112751263942528\r\n*2\r\n$3\r\n180\r\n$19\r\n"
            "85.0511287799999991\r\n");
  EXPECT_EQ(run({"geoadd", "missing", "xx", "1", "2", "a"}), ":0\r\n");
  EXPECT_EQ(run({"exists", "missing"}), ":0\r\n");
  EXPECT_EQ(run({"set", "str", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"geoadd", "str", "1", "2", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(run({"geoadd", "str", "1", "200", "a"}),
            "-ERR invalid longitude,latitude pair 1.000000,200.000000\r\n");
}

TEST(GeoLookupTest, MissingKeysMembersAndOddScores) {
  HandlerRunner run;
  EXPECT_EQ(run({"geopos", "nokey", "a", "b"}), "*2\r\n*-1\r\n*-1\r\n");
  EXPECT_EQ(run({"geohash", "nokey", "a"}), "*1\r\n$-1\r\n");
  EXPECT_EQ(run({"geodist", "nokey", "a", "b"}), "$-1\r\n");
  EXPECT_EQ(run({"geoadd", "g", "1", "2", "a"}), ":1\r\n");
  EXPECT_EQ(run({"geodist", "g", "a", "zz"}), "$-1\r\n");
  EXPECT_EQ(run({"geodist", "g", "a", "a"}), "$6\r\n0.0000\r\n");
  EXPECT_EQ(run({"geodist", "g", "a", "a", "yd"}),
            "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n");
  EXPECT_EQ(run({"geodist", "g", "a", "a", "km", "x"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geopos", "g"}), "*0\r\n");
  EXPECT_EQ(run({"zadd", "g", "-1", "neg", "1e300", "huge", "4503599627370496",
                 "big"}),
            ":3\r\n");
  EXPECT_EQ(run({"geopos", "g", "neg", "huge", "big"}),
            "*3\r\n*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n*2\r\n"
            "$22\r\n-179.99999731779098511\r\n$21\r\n"
            "-85.05112751263942528\r\n*2\r\n$22\r\n-179.99999731779098511\r\n"
            "$19\r\n85.0511287799999991\r\n");
  EXPECT_EQ(run({"geohash", "g", "neg", "huge", "big"}),
            "*3\r\n$11\r\nbp05b5048p0\r\n$11\r\n00bh0hbj200\r\n$11\r\n"
            "bp05b5048p0\r\n");
  EXPECT_EQ(run({"set", "str", "v"}), "+OK\r\n");
  EXPECT_EQ(
      run({"geopos", "str", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"geohash", "str", "a"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"geodist", "str", "a", "b"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"geosearch", "str", "frommember", "a", "byradius", "1", "km"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(
      run({"georadius", "str", "1", "2", "1", "km"}),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

// 32 points (three at one position) around Rome: members come back in
// Redis's order, unsorted (its scan of the 9 cells) and sorted (stable for
// equal distances).
struct Place {
  std::string_view longitude, latitude, member;
};
constexpr Place kRomePoints[] = {
    {"12.291449", "41.605594", "p0"},   {"12.585841", "41.550705", "p1"},
    {"12.482294", "41.755982", "p2"},   {"12.052199", "41.855205", "p3"},
    {"12.033746", "41.803552", "p4"},   {"12.06287", "41.563499", "p5"},
    {"12.382067", "42.078796", "p6"},   {"12.111422", "41.656267", "p7"},
    {"12.56469", "42.163396", "p8"},    {"12.519393", "41.777676", "p9"},
    {"12.87863", "41.532608", "p10"},   {"12.772622", "41.702727", "p11"},
    {"12.12983", "41.582455", "p12"},   {"12.277634", "42.071288", "p13"},
    {"12.162654", "41.90712", "p14"},   {"12.575022", "41.760678", "p15"},
    {"12.49297", "41.543952", "p16"},   {"12.053641", "41.644171", "p17"},
    {"12.61236", "41.799315", "p18"},   {"12.282732", "41.909893", "p19"},
    {"12.407866", "41.709837", "p20"},  {"12.714942", "41.989296", "p21"},
    {"12.219687", "41.902097", "p22"},  {"12.472677", "42.112596", "p23"},
    {"12.656501", "41.701556", "p24"},  {"12.882157", "41.582646", "p25"},
    {"12.376311", "42.029999", "p26"},  {"12.136786", "41.842274", "p27"},
    {"12.035287", "41.967751", "p28"},  {"12.688114", "41.901118", "p29"},
    {"12.052199", "41.855205", "dup3"}, {"12.052199", "41.855205", "a3"},
};

void AddRomePoints(HandlerRunner& run) {
  std::vector<std::string_view> args = {"geoadd", "pts"};
  for (const Place& place : kRomePoints) {
    args.insert(args.end(), {place.longitude, place.latitude, place.member});
  }
  ASSERT_EQ(run(args), ":32\r\n");
}

TEST(GeoSearchTest, OrderMatchesRedis) {
  HandlerRunner run;
  AddRomePoints(run);
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km"}),
            "*18\r\n$2\r\np7\r\n$2\r\np0\r\n$2\r\na3\r\n$4\r\ndup3\r\n$2\r\n"
            "p3\r\n$3\r\np27\r\n$3\r\np16\r\n$3\r\np20\r\n$2\r\np2\r\n$2\r\n"
            "p9\r\n$3\r\np15\r\n$3\r\np18\r\n$3\r\np14\r\n$3\r\np22\r\n$3\r\n"
            "p19\r\n$3\r\np26\r\n$3\r\np24\r\n$3\r\np29\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km", "asc", "withdist"}),
            "*18\r\n*2\r\n$2\r\np2\r\n$6\r\n8.4003\r\n*2\r\n$3\r\np20\r\n"
            "$7\r\n10.0497\r\n*2\r\n$2\r\np9\r\n$7\r\n10.2082\r\n*2\r\n$3\r\n"
            "p15\r\n$7\r\n15.1614\r\n*2\r\n$3\r\np19\r\n$7\r\n15.6134\r\n"
            "*2\r\n$3\r\np18\r\n$7\r\n17.6085\r\n*2\r\n$3\r\np22\r\n$7\r\n"
            "18.7653\r\n*2\r\n$3\r\np27\r\n$7\r\n22.3187\r\n*2\r\n$3\r\n"
            "p14\r\n$7\r\n22.9912\r\n*2\r\n$2\r\np0\r\n$7\r\n23.4268\r\n"
            "*2\r\n$3\r\np24\r\n$7\r\n23.9357\r\n*2\r\n$3\r\np26\r\n$7\r\n"
            "25.6571\r\n*2\r\n$3\r\np29\r\n$7\r\n26.3872\r\n*2\r\n$2\r\n"
            "p7\r\n$7\r\n28.7994\r\n*2\r\n$2\r\na3\r\n$7\r\n29.4728\r\n*2\r\n"
            "$4\r\ndup3\r\n$7\r\n29.4728\r\n*2\r\n$2\r\np3\r\n$7\r\n"
            "29.4728\r\n*2\r\n$3\r\np16\r\n$7\r\n29.5082\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km", "desc"}),
            "*18\r\n$3\r\np16\r\n$2\r\na3\r\n$4\r\ndup3\r\n$2\r\np3\r\n$2\r\n"
            "p7\r\n$3\r\np29\r\n$3\r\np26\r\n$3\r\np24\r\n$2\r\np0\r\n$3\r\n"
            "p14\r\n$3\r\np27\r\n$3\r\np22\r\n$3\r\np18\r\n$3\r\np19\r\n"
            "$3\r\np15\r\n$2\r\np9\r\n$3\r\np20\r\n$2\r\np2\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km", "count", "5"}),
            "*5\r\n$2\r\np2\r\n$3\r\np20\r\n$2\r\np9\r\n$3\r\np15\r\n$3\r\n"
            "p19\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km", "count", "3", "any"}),
            "*3\r\n$2\r\np7\r\n$2\r\np0\r\n$2\r\na3\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.4", "41.8", "byradius",
                 "30", "km", "count", "3", "any", "desc"}),
            "*3\r\n$2\r\na3\r\n$2\r\np7\r\n$2\r\np0\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.5", "41.9", "bybox",
                 "40", "20", "km"}),
            "*3\r\n$3\r\np19\r\n$3\r\np29\r\n$3\r\np21\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.5", "41.9", "bybox",
                 "40", "20", "km", "desc", "count", "4", "withdist"}),
            "*3\r\n*2\r\n$3\r\np21\r\n$7\r\n20.3676\r\n*2\r\n$3\r\np19\r\n"
            "$7\r\n18.0191\r\n*2\r\n$3\r\np29\r\n$7\r\n15.5736\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "frommember", "p3", "byradius", "10", "mi",
                 "asc", "withdist"}),
            "*8\r\n*2\r\n$2\r\na3\r\n$6\r\n0.0000\r\n*2\r\n$4\r\ndup3\r\n"
            "$6\r\n0.0000\r\n*2\r\n$2\r\np3\r\n$6\r\n0.0000\r\n*2\r\n$2\r\n"
            "p4\r\n$6\r\n3.6942\r\n*2\r\n$3\r\np27\r\n$6\r\n4.4455\r\n*2\r\n"
            "$3\r\np14\r\n$6\r\n6.7215\r\n*2\r\n$3\r\np28\r\n$6\r\n7.8269\r\n"
            "*2\r\n$3\r\np22\r\n$6\r\n9.2079\r\n");
  EXPECT_EQ(run({"geosearch", "pts", "fromlonlat", "12.45", "41.85", "byradius",
                 "5000", "km"}),
            "*32\r\n$2\r\np5\r\n$3\r\np17\r\n$2\r\np7\r\n$3\r\np12\r\n$2\r\n"
            "p0\r\n$2\r\np4\r\n$2\r\na3\r\n$4\r\ndup3\r\n$2\r\np3\r\n$3\r\n"
            "p27\r\n$3\r\np16\r\n$2\r\np1\r\n$3\r\np20\r\n$2\r\np2\r\n$2\r\n"
            "p9\r\n$3\r\np15\r\n$3\r\np18\r\n$3\r\np28\r\n$3\r\np14\r\n$3\r\n"
            "p22\r\n$3\r\np19\r\n$3\r\np13\r\n$3\r\np26\r\n$2\r\np6\r\n$3\r\n"
            "p23\r\n$2\r\np8\r\n$3\r\np10\r\n$3\r\np25\r\n$3\r\np24\r\n$3\r\n"
            "p11\r\n$3\r\np29\r\n$3\r\np21\r\n");
  EXPECT_EQ(run({"georadius", "pts", "12.3", "41.7", "60000", "ft"}),
            "*4\r\n$2\r\np7\r\n$2\r\np0\r\n$3\r\np20\r\n$2\r\np2\r\n");
  EXPECT_EQ(run({"georadius_ro", "pts", "12.3", "41.7", "20", "km", "withhash",
                 "count", "2"}),
            "*2\r\n*2\r\n$3\r\np20\r\n:3480294168353798\r\n*2\r\n$2\r\np0\r\n"
            ":3480283927816176\r\n");
  EXPECT_EQ(run({"georadiusbymember", "pts", "p0", "25", "km", "withcoord"}),
            "*8\r\n*2\r\n$2\r\np5\r\n*2\r\n$20\r\n12.06286758184432983\r\n"
            "$20\r\n41.56349956772768195\r\n*2\r\n$3\r\np17\r\n*2\r\n$20\r\n"
            "12.05364078283309937\r\n$20\r\n41.64417213806596152\r\n*2\r\n"
            "$2\r\np7\r\n*2\r\n$20\r\n12.11142092943191528\r\n$20\r\n"
            "41.65626782743833445\r\n*2\r\n$3\r\np12\r\n*2\r\n$20\r\n"
            "12.12983161211013794\r\n$20\r\n41.58245421255721652\r\n*2\r\n"
            "$2\r\np0\r\n*2\r\n$20\r\n12.29145079851150513\r\n$20\r\n"
            "41.60559368202082453\r\n*2\r\n$3\r\np16\r\n*2\r\n$20\r\n"
            "12.49297052621841431\r\n$19\r\n41.5439517981468569\r\n*2\r\n"
            "$3\r\np20\r\n*2\r\n$19\r\n12.4078640341758728\r\n$20\r\n"
            "41.70983662441980044\r\n*2\r\n$2\r\np2\r\n*2\r\n$20\r\n"
            "12.48229533433914185\r\n$20\r\n41.75598122312556626\r\n");
  EXPECT_EQ(run({"georadiusbymember_ro", "pts", "p0", "25", "km", "desc"}),
            "*8\r\n$2\r\np2\r\n$3\r\np17\r\n$2\r\np5\r\n$3\r\np16\r\n$2\r\n"
            "p7\r\n$3\r\np20\r\n$3\r\np12\r\n$2\r\np0\r\n");
}

TEST(GeoSearchTest, StoreAndStoreDist) {
  HandlerRunner run;
  AddRomePoints(run);
  EXPECT_EQ(
      run({"georadius", "pts", "12.4", "41.8", "15", "km", "store", "near"}),
      ":3\r\n");
  EXPECT_EQ(run({"zrange", "near", "0", "-1", "withscores"}),
            "*6\r\n$3\r\np20\r\n$16\r\n3480294168353798\r\n$2\r\np2\r\n"
            "$16\r\n3480296042493813\r\n$2\r\np9\r\n$16\r\n"
            "3480296153757396\r\n");
  EXPECT_EQ(run({"georadius", "pts", "12.4", "41.8", "15", "km", "storedist",
                 "near", "count", "3"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "near", "0", "-1", "withscores"}),
            "*6\r\n$2\r\np2\r\n$18\r\n8.4003187026349053\r\n$3\r\np20\r\n"
            "$18\r\n10.049744565116836\r\n$2\r\np9\r\n$18\r\n"
            "10.208185237508683\r\n");
  EXPECT_EQ(
      run({"georadiusbymember", "pts", "p2", "5", "km", "storedist", "near"}),
      ":2\r\n");
  EXPECT_EQ(run({"zrange", "near", "0", "-1", "withscores"}),
            "*4\r\n$2\r\np2\r\n$1\r\n0\r\n$2\r\np9\r\n$18\r\n"
            "3.9109646611385216\r\n");
  EXPECT_EQ(run({"geosearchstore", "box", "pts", "fromlonlat", "12.5", "41.9",
                 "bybox", "40", "20", "km", "storedist"}),
            ":3\r\n");
  EXPECT_EQ(run({"zrange", "box", "0", "-1", "withscores"}),
            "*6\r\n$3\r\np29\r\n$18\r\n15.573584656311672\r\n$3\r\np19\r\n"
            "$18\r\n18.019060363798054\r\n$3\r\np21\r\n$17\r\n"
            "20.36759057439745\r\n");
  EXPECT_EQ(run({"geosearchstore", "box", "pts", "fromlonlat", "12.5", "41.9",
                 "bybox", "40", "20", "km", "count", "2", "desc"}),
            ":2\r\n");
  EXPECT_EQ(run({"zrange", "box", "0", "-1", "withscores"}),
            "*4\r\n$3\r\np19\r\n$16\r\n3480335384118538\r\n$3\r\np21\r\n"
            "$16\r\n3480436824722165\r\n");
  EXPECT_EQ(run({"geosearchstore", "box", "pts", "fromlonlat", "0", "0",
                 "byradius", "1", "km"}),
            ":0\r\n");
  EXPECT_EQ(run({"exists", "box"}), ":0\r\n");
  EXPECT_EQ(run({"georadius", "pts", "0", "0", "1", "km", "store", "near"}),
            ":0\r\n");
  EXPECT_EQ(run({"exists", "near"}), ":0\r\n");
  run({"set", "near", "v"});
  EXPECT_EQ(run({"georadius", "nokey", "0", "0", "1", "km", "store", "near"}),
            ":0\r\n");
  EXPECT_EQ(run({"exists", "near"}), ":0\r\n");
  EXPECT_EQ(run({"geosearchstore", "pts", "pts", "frommember", "p2", "byradius",
                 "5", "km"}),
            ":2\r\n");
  EXPECT_EQ(run({"zrange", "pts", "0", "-1"}),
            "*2\r\n$2\r\np2\r\n$2\r\np9\r\n");
}

TEST(GeoSearchTest, Errors) {
  HandlerRunner run;
  run({"geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269",
       "37.502669", "Catania"});
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "store", "dst",
                 "withdist"}),
            "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, "
            "WITHHASH and WITHCOORD options\r\n");
  EXPECT_EQ(
      run({"georadius_ro", "Sicily", "15", "37", "200", "km", "store", "dst"}),
      "-ERR syntax error\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "-1", "km"}),
            "-ERR radius cannot be negative\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "x", "km"}),
            "-ERR need numeric radius\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "1", "yd"}),
            "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "x", "37", "1", "km"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "count", "0"}),
            "-ERR COUNT must be > 0\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "count", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "any"}),
            "-ERR the ANY argument requires COUNT argument\r\n");
  EXPECT_EQ(run({"georadius", "Sicily", "15", "37", "200", "km", "count"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(
      run({"georadius", "Sicily", "15", "37", "200", "km", "frommember", "a"}),
      "-ERR syntax error\r\n");
  EXPECT_EQ(run({"georadiusbymember", "Sicily", "nope", "200", "km"}),
            "-ERR could not decode requested zset member\r\n");
  EXPECT_EQ(run({"georadiusbymember", "nokey", "nope", "x", "km"}), "*0\r\n");
  EXPECT_EQ(
      run({"georadiusbymember", "nokey", "nope", "200", "km", "store", "x"}),
      ":0\r\n");
  EXPECT_EQ(run({"georadius", "nokey", "15", "37", "200", "km"}), "*0\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "fromlonlat",
                 "15", "37", "byradius", "1", "km"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "byradius",
                 "1", "km", "bybox", "1", "1", "km"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(
      run({"geosearch", "Sicily", "frommember", "x", "byradius", "1", "km"}),
      "-ERR could not decode requested zset member\r\n");
  EXPECT_EQ(
      run({"geosearch", "nokey", "frommember", "x", "byradius", "1", "km"}),
      "*0\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "bybox", "-1",
                 "1", "km"}),
            "-ERR height or width cannot be negative\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "bybox", "x",
                 "1", "km"}),
            "-ERR need numeric width\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "bybox", "1",
                 "x", "km"}),
            "-ERR need numeric height\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "byradius",
                 "1", "km", "store", "x"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "byradius",
                 "1", "km", "storedist"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "fromlonlat", "200", "37", "byradius",
                 "1", "km"}),
            "-ERR invalid longitude,latitude pair 200.000000,37.000000\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "frommember", "Palermo", "withdist",
                 "count", "1"}),
            "-ERR exactly one of BYRADIUS and BYBOX can be specified for "
            "geosearch\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "withdist", "withhash", "byradius", "1",
                 "km"}),
            "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
            "geosearch\r\n");
  EXPECT_EQ(run({"GeoSearch", "Sicily", "withdist", "withhash", "byradius", "1",
                 "km"}),
            "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
            "GeoSearch\r\n");
  EXPECT_EQ(run({"geosearch", "nokey", "frommember", "Palermo", "byradius", "1",
                 "km", "any"}),
            "-ERR the ANY argument requires COUNT argument\r\n");
  EXPECT_EQ(run({"geosearchstore", "d", "Sicily", "frommember", "Palermo",
                 "byradius", "1", "km", "withdist"}),
            "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and "
            "WITHCOORD options\r\n");
  EXPECT_EQ(run({"geosearchstore", "d", "Sicily", "frommember", "Palermo",
                 "byradius", "1", "km", "store", "x"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(run({"geosearch", "Sicily", "fromlonlat", "15", "37"}),
            "-ERR wrong number of arguments for 'geosearch' command\r\n");
}

}  // namespace
}  // namespace shardd::kv
