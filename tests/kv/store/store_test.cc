#include "shard/kv/store/store.h"

#include <optional>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "shard/kv/store/prefetch_window.h"

namespace shardd::kv {
namespace {

constexpr int64_t kNow = 1'000'000;

TEST(StoreTest, FindsWhatWasSet) {
  Store store;
  EXPECT_EQ(store.Find("k", kNow), nullptr);
  store.SetString("k", "v", 0);
  const Entry* entry = store.Find("k", kNow);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->type(), ValueType::kString);
  EXPECT_EQ(entry->string(), "v");
  EXPECT_EQ(entry->expire_at_ms(), 0);
  EXPECT_EQ(store.KeyCount(), 1u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
}

// Find and Peek count keyspace hits and misses; PeekUncounted finds the
// same entries and counts nothing.
TEST(StoreTest, OnlyReadsCountHitsAndMisses) {
  Store store;
  store.SetString("k", "v", 0);
  const Entry* entry = store.Find("k", kNow);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(store.Peek("nope", kNow), nullptr);
  EXPECT_EQ(store.lookups().hits, 1u);
  EXPECT_EQ(store.lookups().misses, 1u);
  EXPECT_EQ(store.PeekUncounted("k", kNow), entry);
  EXPECT_EQ(store.PeekUncounted("nope", kNow), nullptr);
  EXPECT_EQ(store.lookups().hits, 1u);
  EXPECT_EQ(store.lookups().misses, 1u);
}

TEST(StoreTest, SetStringReplacesValueAndExpiry) {
  Store store;
  store.SetString("k", "v1", kNow + 100);
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  store.SetString("k", "v2", 0);
  EXPECT_EQ(store.Find("k", kNow + 1000)->string(), "v2");
  EXPECT_EQ(store.KeyCount(), 1u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
}

TEST(StoreTest, KeyLivesThroughItsExpiryMillisecond) {
  Store store;
  store.SetString("k", "v", kNow);
  EXPECT_NE(store.Find("k", kNow), nullptr);
  EXPECT_EQ(store.Find("k", kNow + 1), nullptr);
}

TEST(StoreTest, FindDeletesExpiredKey) {
  Store store;
  store.SetString("k", "v", kNow + 10);
  store.SetString("other", "v", 0);
  EXPECT_EQ(store.KeyCount(), 2u);
  EXPECT_EQ(store.Find("k", kNow + 11), nullptr);
  EXPECT_EQ(store.KeyCount(), 1u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
  // Gone for good, even if time ran backwards.
  EXPECT_EQ(store.Find("k", kNow), nullptr);
}

// Drawn dead keys are deleted and drawn again; with nearly all keys dead,
// a few draws in, every dead key goes at once (a walk a draw would make
// RANDOMKEY quadratic), and the live one comes back.
TEST(StoreTest, RandomKeyPassesOverManyExpiredKeys) {
  Store store;
  for (int i = 0; i < 5000; ++i) {
    store.SetString("dead" + std::to_string(i), "v", kNow + 10);
  }
  store.SetString("live", "v", 0);
  size_t draws = 0;
  const std::optional<std::string> key =
      store.RandomKey(kNow + 11, [&](size_t n) {
        ++draws;
        return n - 1 - (draws % n);  // any place but a fixed one
      });
  EXPECT_EQ(key, "live");
  EXPECT_LE(draws, 5u);
  EXPECT_EQ(store.KeyCount(), 1u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
  EXPECT_EQ(Store().RandomKey(kNow, [](size_t) { return size_t{0}; }),
            std::nullopt);
}

TEST(StoreTest, AssignStringKeepsExpiry) {
  Store store;
  store.SetString("k", "v", kNow + 10);
  store.Find("k", kNow)->AssignString("w");
  const Entry* entry = store.Find("k", kNow);
  EXPECT_EQ(entry->string(), "w");
  EXPECT_EQ(entry->expire_at_ms(), kNow + 10);
}

TEST(StoreTest, SetExpiryMovesTheKeyInTheIndex) {
  Store store;
  store.SetString("k", "v", 0);
  EXPECT_TRUE(store.SetExpiry("k", kNow + 10));
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  EXPECT_TRUE(store.SetExpiry("k", kNow + 500));
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  // The old time no longer expires the key.
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 100, 10), 0u);
  EXPECT_NE(store.Find("k", kNow + 100), nullptr);
  EXPECT_TRUE(store.SetExpiry("k", 0));
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
  EXPECT_EQ(store.Find("k", kNow + 1000)->expire_at_ms(), 0);
}

TEST(StoreTest, SetExpiryOnMissingKeyDoesNothing) {
  Store store;
  EXPECT_FALSE(store.SetExpiry("k", kNow));
  EXPECT_EQ(store.KeyCount(), 0u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
}

TEST(StoreTest, EraseCountsOnlyLiveKeys) {
  Store store;
  store.SetString("live", "v", kNow + 10);
  store.SetString("dead", "v", kNow - 10);
  EXPECT_FALSE(store.Erase("missing", kNow));
  EXPECT_TRUE(store.Erase("live", kNow));
  EXPECT_FALSE(store.Erase("dead", kNow));
  EXPECT_FALSE(store.Erase("live", kNow));
  EXPECT_EQ(store.KeyCount(), 0u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
}

TEST(StoreTest, ActiveExpireCycleDeletesOnlyExpiredKeys) {
  Store store;
  store.SetString("a", "v", kNow - 30);
  store.SetString("b", "v", kNow - 20);
  store.SetString("c", "v", kNow);  // still alive at kNow
  store.SetString("d", "v", 0);
  EXPECT_EQ(store.ActiveExpireCycle(kNow, 100), 2u);
  EXPECT_EQ(store.KeyCount(), 2u);
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 1, 100), 1u);
  EXPECT_EQ(store.KeyCount(), 1u);
  EXPECT_NE(store.Find("d", kNow + 1), nullptr);
}

TEST(StoreTest, ActiveExpireCycleStopsAtMaxKeysOldestFirst) {
  Store store;
  store.SetString("late", "v", kNow - 1);
  store.SetString("early", "v", kNow - 3);
  store.SetString("middle", "v", kNow - 2);
  EXPECT_EQ(store.ActiveExpireCycle(kNow, 2), 2u);
  EXPECT_EQ(store.KeyCount(), 1u);
  // Still stored (Find would collect it), so it was the last to expire.
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  EXPECT_EQ(store.ActiveExpireCycle(kNow, 0), 0u);
  EXPECT_EQ(store.ActiveExpireCycle(kNow, 2), 1u);
  EXPECT_EQ(store.KeyCount(), 0u);
}

TEST(StoreTest, IndexSurvivesTableGrowth) {
  // Many keys force flat_hash_map to rehash and move its keys; the index
  // must still find and delete every one of them.
  Store store;
  constexpr int kKeys = 10000;
  for (int i = 0; i < kKeys; ++i) {
    store.SetString("key:" + std::to_string(i), "v", kNow + (i % 2 ? 1 : 100));
  }
  EXPECT_EQ(store.ExpiringKeyCount(), static_cast<size_t>(kKeys));
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 50, kKeys), kKeys / 2u);
  EXPECT_EQ(store.KeyCount(), kKeys / 2u);
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 101, kKeys), kKeys / 2u);
  EXPECT_EQ(store.KeyCount(), 0u);
}

TEST(StoreTest, ClearRemovesKeysAndExpiries) {
  Store store;
  store.SetString("a", "v", kNow + 10);
  store.SetString("b", "v", 0);
  store.Clear();
  EXPECT_EQ(store.KeyCount(), 0u);
  EXPECT_EQ(store.ExpiringKeyCount(), 0u);
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 100, 10), 0u);
}

TEST(StoreTest, KeysAreBinarySafe) {
  Store store;
  const std::string key("a\0b", 3);
  store.SetString(key, std::string_view("x\0y", 3), 0);
  EXPECT_EQ(store.Find("a", kNow), nullptr);
  ASSERT_NE(store.Find(key, kNow), nullptr);
  EXPECT_EQ(store.Find(key, kNow)->string(), std::string_view("x\0y", 3));
}

// RENAME's pattern: the value is moved out of a key with an expiry, then the
// key is erased and the value put elsewhere. The index must follow.
TEST(StoreTest, ValueMovedOutOfAnExpiringKeyThenErased) {
  Store store;
  store.SetString("from", "v", kNow + 10);
  Entry moved = std::move(*store.Find("from", kNow));
  EXPECT_TRUE(store.Erase("from", kNow));
  store.Put("to", std::move(moved));
  EXPECT_EQ(store.ExpiringKeyCount(), 1u);
  EXPECT_EQ(store.Find("to", kNow)->string(), "v");
  EXPECT_EQ(store.ActiveExpireCycle(kNow + 11, 10), 1u);
  EXPECT_EQ(store.KeyCount(), 0u);
}

TEST(StoreTest, EntriesKeepTheirAddressWhileTheTableGrows) {
  Store store;
  Entry* first = &store.SetString("first", "v", 0);
  for (int i = 0; i < 10000; ++i) store.SetString(std::to_string(i), "x", 0);
  EXPECT_EQ(store.Find("first", kNow), first);
}

// Prefetching only touches memory: keys present or absent, the store reads
// the same afterwards.
TEST(StoreTest, PrefetchChangesNothing) {
  Store store;
  const int keys = static_cast<int>(Store::kPrefetchFrom);
  for (int i = 0; i < keys; ++i) store.SetString(std::to_string(i), "v", 0);
  ASSERT_TRUE(store.PrefetchPays());
  for (const std::string_view key : {"1", "999", "absent", ""}) {
    store.PrefetchSlot(Store::Hashed(key));
    store.PrefetchNode(Store::Hashed(key));
  }
  EXPECT_EQ(store.KeyCount(), Store::kPrefetchFrom);
  EXPECT_EQ(store.Find("999", kNow)->string(), "v");
  EXPECT_EQ(store.Find("absent", kNow), nullptr);
}

// A window over two stores, one too small to gain from prefetching: every
// key still reads the same afterwards, and the window takes no more than
// its size.
TEST(StoreTest, PrefetchWindowTakesUpToItsSize) {
  Store large;
  Store small;
  const int keys = static_cast<int>(Store::kPrefetchFrom);
  for (int i = 0; i < keys; ++i) large.SetString(std::to_string(i), "v", 0);
  small.SetString("1", "w", 0);
  EXPECT_FALSE(small.PrefetchPays());
  PrefetchWindow window;
  size_t taken = 0;
  for (int i = 0; window.Add(i % 2 == 0 ? large : small, std::to_string(i));
       ++i) {
    ++taken;
  }
  // Only the large store's keys take room.
  EXPECT_EQ(taken, 2 * Store::kPrefetchWindow - 1);
  window.Finish();
  EXPECT_EQ(large.Find("2", kNow)->string(), "v");
  EXPECT_EQ(small.Find("1", kNow)->string(), "w");
  EXPECT_EQ(large.KeyCount(), Store::kPrefetchFrom);
}

TEST(StoreTest, NothingExpiresWhileLoading) {
  Store store;
  store.SetString("k", "v", /*expire_at_ms=*/100);
  store.set_loading(true);
  EXPECT_NE(store.Find("k", 1000), nullptr);
  EXPECT_EQ(store.ActiveExpireCycle(1000, 10), 0u);
  store.set_loading(false);
  EXPECT_EQ(store.Find("k", 1000), nullptr);
}

TEST(StoreTest, ExpiredKeysAreReportedAsTheyGo) {
  Store store;
  std::vector<std::string> expired;
  store.OnExpired(
      [](void* context, uint32_t /*db*/, std::string_view key) {
        static_cast<std::vector<std::string>*>(context)->emplace_back(key);
      },
      &expired);
  store.SetString("lazy", "v", 100);
  store.SetString("active", "v", 100);
  store.SetString("erased", "v", 100);
  store.SetString("live", "v", 0);
  EXPECT_EQ(store.Find("lazy", 1000), nullptr);
  EXPECT_FALSE(store.Erase("erased", 1000));
  EXPECT_TRUE(store.Erase("live", 1000));  // a live key's deletion is no expiry
  EXPECT_EQ(store.ActiveExpireCycle(1000, 10), 1u);
  EXPECT_EQ(expired,
            (std::vector<std::string>{"lazy", "erased", "active"}));
}

TEST(StoreTest, EraseIfDeletesOnlyWhatThePredicateNames) {
  Store store;
  for (int i = 0; i < 100; ++i) store.SetString(std::to_string(i), "v", 0);
  EXPECT_EQ(store.EraseIf([](std::string_view key) {
              return key.size() == 1;
            }),
            10u);
  EXPECT_EQ(store.KeyCount(), 90u);
  EXPECT_EQ(store.Find("5", 0), nullptr);
  EXPECT_NE(store.Find("55", 0), nullptr);
}

}  // namespace
}  // namespace shardd::kv
