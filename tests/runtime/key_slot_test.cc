#include "shard/key_slot.h"

#include <string>

#include "gtest/gtest.h"

namespace shardd {
namespace {

TEST(Crc16Test, MatchesXmodemCheckValue) {
  // The check value from the Redis Cluster spec's CRC16 reference.
  EXPECT_EQ(Crc16("123456789"), 0x31C3);
  EXPECT_EQ(Crc16(""), 0);
}

// The CRC a bit at a time, as the spec defines it.
uint16_t BitwiseCrc16(const std::string& data) {
  uint16_t crc = 0;
  for (const char c : data) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(c) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

TEST(Crc16Test, FourBytesAtATimeMatchesBitAtATime) {
  // Every length up to 70 (each count of bytes left after the groups of
  // four), with every byte value somewhere.
  std::string data;
  for (int length = 0; length <= 70; ++length) {
    for (int seed = 0; seed < 8; ++seed) {
      data.clear();
      for (int i = 0; i < length; ++i) {
        data.push_back(
            static_cast<char>((i * 131 + seed * 71 + length) & 0xff));
      }
      ASSERT_EQ(Crc16(data), BitwiseCrc16(data)) << "length " << length;
    }
  }
}

TEST(KeySlotTest, MatchesKnownRedisSlots) {
  // Slots Redis Cluster assigns (CLUSTER KEYSLOT), also recomputed by an
  // independent CRC16 implementation.
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot("hello"), 866);
  EXPECT_EQ(KeySlot("user1000"), 3443);
  EXPECT_EQ(KeySlot("a"), 15495);
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(KeySlotTest, HashesOnlyTheHashTag) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("{user1000}.followers"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("x}{bar}"), KeySlot("bar"));
}

TEST(KeySlotTest, EmptyHashTagHashesWholeKey) {
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16("foo{}{bar}") % kSlotCount);
  EXPECT_EQ(KeySlot("foo{}{bar}"), 8363);
  EXPECT_EQ(KeySlot("{}"), Crc16("{}") % kSlotCount);
}

TEST(KeySlotTest, TagEndsAtFirstCloseBrace) {
  // Content between the first '{' and the first '}' after it: "{bar".
  EXPECT_EQ(KeySlot("foo{{bar}}"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}"), 4015);
}

TEST(KeySlotTest, UnclosedBraceHashesWholeKey) {
  EXPECT_EQ(KeySlot("foo{bar"), Crc16("foo{bar") % kSlotCount);
  EXPECT_EQ(KeySlot("foo}bar{"), Crc16("foo}bar{") % kSlotCount);
}

TEST(KeySlotTest, AlwaysInRange) {
  for (int i = 0; i < 100000; ++i) {
    EXPECT_LT(KeySlot("key:" + std::to_string(i)), kSlotCount);
  }
}

}  // namespace
}  // namespace shardd
