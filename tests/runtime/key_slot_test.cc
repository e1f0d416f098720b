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
