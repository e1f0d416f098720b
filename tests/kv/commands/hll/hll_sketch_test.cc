// The HyperLogLog representation on its own: the hash, the sparse opcodes
// each edit produces, the dense register packing, the cache, the estimator.
// Expected hashes and counts are Redis 7.0's (the counts from PFCOUNT of
// the same registers SET as a dense value on redis-server).
#include "shard/kv/commands/hll/hll_sketch.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "shard/kv/commands/hll/murmur_hash.h"

namespace shardd::kv {
namespace {

constexpr uint32_t kSeed = 0xadc83b19;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

std::string FromHex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

// The registers of `sketch`, read back through a merge into zeros.
HllRegisters Registers(const std::string& sketch) {
  HllRegisters registers{};
  EXPECT_TRUE(HllMergeInto(sketch, &registers));
  return registers;
}

TEST(MurmurHashTest, MatchesRedisForEveryTailLength) {
  EXPECT_EQ(MurmurHash64A("", kSeed), 0xd8dfea6585bc9732u);
  EXPECT_EQ(MurmurHash64A("a", kSeed), 0x53d2470a9b43b1a7u);
  EXPECT_EQ(MurmurHash64A("abcdefgh", kSeed), 0xf3a65df559914567u);
  EXPECT_EQ(MurmurHash64A("abcdefghi", kSeed), 0x834fba4d9152daf7u);
  EXPECT_EQ(MurmurHash64A("hello world!", kSeed), 0x0fc444011f57220cu);
}

TEST(HllSketchTest, EmptySketch) {
  const std::string empty = HllEmpty();
  EXPECT_EQ(Hex(empty), "48594c4c0100000000000000000000007fff");
  EXPECT_TRUE(HllLooksValid(empty));
  EXPECT_FALSE(HllIsDense(empty));
  EXPECT_EQ(HllCachedCount(empty), 0u);
  EXPECT_EQ(HllCount(empty), 0u);
  EXPECT_EQ(HllCount(HllRegisters{}), 0u);
}

TEST(HllSketchTest, LooksValidChecksOnlyTheHeaderAndDenseSize) {
  std::string dense = HllEmpty();
  ASSERT_TRUE(HllMakeDense(&dense));
  EXPECT_EQ(dense.size(), kHllDenseBytes);
  EXPECT_TRUE(HllLooksValid(dense));
  EXPECT_FALSE(HllLooksValid(dense.substr(0, dense.size() - 1)));
  EXPECT_FALSE(HllLooksValid("HYLL"));
  EXPECT_FALSE(HllLooksValid(std::string("HYLX\x01", 5) + std::string(11, 0)));
  EXPECT_FALSE(HllLooksValid(std::string("HYLL\x02", 5) + std::string(11, 0)));
  // Sparse opcodes are not read: a bare sparse header passes.
  EXPECT_TRUE(HllLooksValid(std::string("HYLL\x01", 5) + std::string(11, 0)));
}

TEST(HllSketchTest, CachedCount) {
  std::string sketch = HllEmpty();
  HllInvalidateCachedCount(&sketch);
  EXPECT_EQ(HllCachedCount(sketch), std::nullopt);
  HllStoreCachedCount(sketch.data(), 0x0102030405060708);
  EXPECT_EQ(Hex(sketch.substr(8, 8)), "0807060504030201");
  EXPECT_EQ(HllCachedCount(sketch), 0x0102030405060708u);
}

TEST(HllSketchTest, SplitsRunsAsRedisDoes) {
  std::string sketch = HllEmpty();
  // XZERO(100) VAL(3) XZERO(16283).
  EXPECT_EQ(HllRaise(&sketch, 100, 3), HllUpdate::kChanged);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "4063887f9a");
  EXPECT_EQ(HllCachedCount(sketch), std::nullopt);
  // ZERO(10) VAL(1) ZERO(89) VAL(3) XZERO(16283).
  EXPECT_EQ(HllRaise(&sketch, 10, 1), HllUpdate::kChanged);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "09804058887f9a");
  EXPECT_EQ(HllRaise(&sketch, 100, 2), HllUpdate::kUnchanged);
  EXPECT_EQ(HllRaise(&sketch, 100, 3), HllUpdate::kUnchanged);
  // A single-register VAL is rewritten in place.
  EXPECT_EQ(HllRaise(&sketch, 100, 4), HllUpdate::kChanged);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "098040588c7f9a");
}

TEST(HllSketchTest, JoinsNeighbouringEqualValues) {
  std::string sketch = HllEmpty();
  HllRaise(&sketch, 0, 2);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "847ffe");
  HllRaise(&sketch, 1, 2);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "857ffd");
  HllRaise(&sketch, 2, 2);
  HllRaise(&sketch, 3, 2);
  // VAL holds 4 registers at most.
  HllRaise(&sketch, 4, 2);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes)), "87847ffa");
}

TEST(HllSketchTest, AValueAboveThirtyTwoTurnsDense) {
  std::string sketch = HllEmpty();
  HllRaise(&sketch, 7, 32);
  EXPECT_FALSE(HllIsDense(sketch));
  EXPECT_EQ(HllRaise(&sketch, 9, 33), HllUpdate::kChanged);
  ASSERT_TRUE(HllIsDense(sketch));
  EXPECT_EQ(sketch.size(), kHllDenseBytes);
  const HllRegisters registers = Registers(sketch);
  EXPECT_EQ(registers[7], 32);
  EXPECT_EQ(registers[9], 33);
  EXPECT_EQ(registers[8], 0);
}

TEST(HllSketchTest, DenseRegistersStraddleBytes) {
  std::string sketch = HllEmpty();
  ASSERT_TRUE(HllMakeDense(&sketch));
  // Registers 0..3 fill bytes 0..2 exactly, least significant bits first.
  for (uint32_t i = 0; i < 4; ++i) HllRaise(&sketch, i, 0x3f);
  EXPECT_EQ(Hex(sketch.substr(kHllHeaderBytes, 4)), "ffffff00");
  std::string other = HllEmpty();
  ASSERT_TRUE(HllMakeDense(&other));
  HllRaise(&other, 1, 0x2a);  // bits 6..11
  EXPECT_EQ(Hex(other.substr(kHllHeaderBytes, 3)), "800a00");
  HllRaise(&other, kHllRegisterCount - 1, 51);  // the last 6 bits
  EXPECT_EQ(Hex(other.substr(kHllDenseBytes - 1)), "cc");
  const HllRegisters registers = Registers(other);
  EXPECT_EQ(registers[0], 0);
  EXPECT_EQ(registers[1], 0x2a);
  EXPECT_EQ(registers[2], 0);
  EXPECT_EQ(registers[kHllRegisterCount - 1], 51);
}

TEST(HllSketchTest, CorruptSparseSketchIsLeftAlone) {
  // Runs covering 16383 registers.
  const std::string bad = FromHex("48594c4c0100000000000000000000007ffe");
  std::string sketch = bad;
  EXPECT_EQ(HllRaise(&sketch, kHllRegisterCount - 1, 1), HllUpdate::kCorrupt);
  EXPECT_EQ(HllRaise(&sketch, 0, 40), HllUpdate::kCorrupt);
  EXPECT_FALSE(HllMakeDense(&sketch));
  EXPECT_EQ(sketch, bad);
  HllRegisters registers{};
  EXPECT_FALSE(HllMergeInto(sketch, &registers));
  EXPECT_EQ(HllCount(sketch), std::nullopt);
  // Registers the runs do cover can be raised.
  EXPECT_EQ(HllRaise(&sketch, 0, 1), HllUpdate::kChanged);
}

TEST(HllEstimateTest, MatchesRedis) {
  HllRegisters registers;
  registers.fill(1);
  EXPECT_EQ(HllCount(registers), 23637u);
  for (uint32_t i = 0; i < kHllRegisterCount; ++i) registers[i] = i % 52;
  EXPECT_EQ(HllCount(registers), 303516u);
  for (uint32_t i = 0; i < kHllRegisterCount; ++i) {
    registers[i] = i % 2 == 0 ? 5 : 0;
  }
  EXPECT_EQ(HllCount(registers), 13039u);
}

TEST(HllEstimateTest, AddedElementsCountAsInRedis) {
  std::string sketch = HllEmpty();
  for (const char* element : {"a", "b", "c"}) HllAdd(&sketch, element);
  EXPECT_EQ(Hex(sketch),
            "48594c4c01000000000000000000008060f38050b1844bfb80425a");
  EXPECT_EQ(HllCount(sketch), 3u);
}

}  // namespace
}  // namespace shardd::kv
