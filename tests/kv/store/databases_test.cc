// Databases: made at first use, settings shared with those made later,
// SWAPDB's exchange of numbers.
#include "shard/kv/store/databases.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

std::vector<uint32_t> Made(const Databases& dbs) {
  std::vector<uint32_t> made;
  dbs.ForEach([&made](uint32_t db, Store&) { made.push_back(db); });
  return made;
}

TEST(DatabasesTest, OnlyDatabaseZeroExistsUntilAnotherIsReached) {
  Databases dbs;
  dbs.Resize(16);
  EXPECT_EQ(dbs.count(), 16u);
  EXPECT_EQ(Made(dbs), std::vector<uint32_t>{0});
  EXPECT_EQ(dbs.Find(5), nullptr);
  dbs.Db(5).SetString("k", "v", 0);
  EXPECT_EQ(Made(dbs), (std::vector<uint32_t>{0, 5}));
  EXPECT_EQ(dbs.Db(5).db(), 5u);
  EXPECT_EQ(dbs.Db(0).Find("k", 1), nullptr);  // each its own keys
  EXPECT_EQ(dbs.KeyCount(), 1u);
}

TEST(DatabasesTest, SwapExchangesKeysAndNumbers) {
  Databases dbs;
  dbs.Resize(4);
  dbs.Db(1).SetString("a", "1", 0);
  dbs.Swap(1, 3);
  EXPECT_EQ(dbs.Find(1), nullptr);  // 3 was never made
  ASSERT_NE(dbs.Find(3), nullptr);
  EXPECT_NE(dbs.Db(3).Find("a", 1), nullptr);
  EXPECT_EQ(dbs.Db(3).db(), 3u);
  dbs.Db(1).SetString("b", "2", 0);
  dbs.Swap(3, 1);
  EXPECT_NE(dbs.Db(1).Find("a", 1), nullptr);
  EXPECT_NE(dbs.Db(3).Find("b", 1), nullptr);
  EXPECT_EQ(dbs.Db(1).db(), 1u);
}

TEST(DatabasesTest, LaterDatabasesShareLoadingAndTheExpiryCallback) {
  Databases dbs;
  dbs.Resize(8);
  std::vector<std::pair<uint32_t, std::string>> expired;
  dbs.OnExpired(
      [](void* context, uint32_t db, std::string_view key) {
        static_cast<std::vector<std::pair<uint32_t, std::string>>*>(context)
            ->emplace_back(db, std::string(key));
      },
      &expired);
  dbs.set_loading(true);
  Store& seven = dbs.Db(7);  // made while loading
  seven.SetString("k", "v", 100);
  EXPECT_NE(seven.Find("k", 1000), nullptr);  // nothing expires yet
  dbs.set_loading(false);
  EXPECT_EQ(seven.Find("k", 1000), nullptr);
  EXPECT_EQ(expired, (std::vector<std::pair<uint32_t, std::string>>{{7, "k"}}));
}

TEST(DatabasesTest, StatsAddUpAndReset) {
  Databases dbs;
  dbs.Resize(2);
  dbs.Db(0).SetString("a", "1", 100);
  dbs.Db(1).SetString("b", "1", 100);
  dbs.Db(0).Find("a", 1000);
  dbs.Db(1).Find("b", 1000);
  dbs.Db(1).Find("c", 1000);
  EXPECT_EQ(dbs.ExpiredCount(), 2u);
  EXPECT_EQ(dbs.Lookups().misses, 3u);
  dbs.ResetStats();
  EXPECT_EQ(dbs.ExpiredCount(), 0u);
  EXPECT_EQ(dbs.Lookups().misses, 0u);
}

}  // namespace
}  // namespace shardd::kv
