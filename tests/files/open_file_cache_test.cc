// The open-file cache: least recently used out (by entries and by content
// bytes), expiry, invalidation by path, no insertion of what was opened
// before an invalidation, and descriptors closed once the cache and every
// user let go.
#include "shard/files/open_file_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace shardd::files {
namespace {

std::shared_ptr<const CachedFile> OpenDevNull() {
  struct statx st {};
  st.stx_size = 0;
  return std::make_shared<const CachedFile>(open("/dev/null", O_RDONLY), st);
}

std::shared_ptr<const CachedFile> Content(size_t bytes) {
  struct statx st {};
  st.stx_size = bytes;
  return std::make_shared<const CachedFile>(std::string(bytes, 'x'), st);
}

constexpr uint64_t kNow = 5'000'000'000;

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

TEST(OpenFileCacheTest, FindsWhatWasInserted) {
  OpenFileCache cache(4, 1 << 20);
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
  auto a = OpenDevNull();
  cache.Insert("a", a, cache.epoch(), kNow);
  EXPECT_EQ(cache.Find("a", kNow), a);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(OpenFileCacheTest, TheLeastRecentlyUsedGoesFirst) {
  OpenFileCache cache(2, 1 << 20);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  cache.Insert("b", OpenDevNull(), cache.epoch(), kNow);
  ASSERT_NE(cache.Find("a", kNow), nullptr);  // now b is the least recent
  cache.Insert("c", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_NE(cache.Find("a", kNow), nullptr);
  EXPECT_EQ(cache.Find("b", kNow), nullptr);
  EXPECT_NE(cache.Find("c", kNow), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(OpenFileCacheTest, InvalidationForgetsAndRefusesOlderOpens) {
  OpenFileCache cache(4, 1 << 20);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  const uint64_t before = cache.epoch();
  cache.Invalidate("a");
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
  // Opened before the invalidation: maybe the old version, not cached.
  cache.Insert("a", OpenDevNull(), before, kNow);
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_NE(cache.Find("a", kNow), nullptr);
}

// Changes behind shardd's back show within kMaxAgeNs: an older entry is
// dropped, and opened again by its next reader.
TEST(OpenFileCacheTest, EntriesExpire) {
  OpenFileCache cache(4, 1 << 20);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_NE(cache.Find("a", kNow + OpenFileCache::kMaxAgeNs), nullptr);
  EXPECT_EQ(cache.Find("a", kNow + OpenFileCache::kMaxAgeNs + 1), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(OpenFileCacheTest, ADisabledCacheHoldsNothing) {
  OpenFileCache cache(0, 1 << 20);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
}

TEST(OpenFileCacheTest, DescriptorsCloseWhenTheLastUserLetsGo) {
  OpenFileCache cache(1, 1 << 20);
  auto a = OpenDevNull();
  const int fd = a->fd;
  cache.Insert("a", a, cache.epoch(), kNow);
  cache.Invalidate("a");
  EXPECT_TRUE(IsOpen(fd));  // a response still holds it
  a.reset();
  EXPECT_FALSE(IsOpen(fd));
}

TEST(OpenFileCacheTest, ContentBytesStayWithinTheBudget) {
  OpenFileCache cache(10, 100);
  EXPECT_TRUE(cache.WouldHoldContent(100));
  EXPECT_FALSE(cache.WouldHoldContent(101));
  cache.Insert("a", Content(40), cache.epoch(), kNow);
  cache.Insert("b", Content(40), cache.epoch(), kNow);
  ASSERT_NE(cache.Find("a", kNow), nullptr);  // b is now the colder one
  cache.Insert("c", Content(40), cache.epoch(), kNow);
  EXPECT_EQ(cache.content_bytes(), 80u);
  EXPECT_NE(cache.Find("a", kNow), nullptr);
  EXPECT_EQ(cache.Find("b", kNow), nullptr);
  EXPECT_NE(cache.Find("c", kNow), nullptr);
  // Descriptors hold no content and do not count.
  cache.Insert("d", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.content_bytes(), 80u);
}

TEST(OpenFileCacheTest, OverTheByteBudgetDescriptorsStay) {
  OpenFileCache cache(10, 100);
  cache.Insert("d1", OpenDevNull(), cache.epoch(), kNow);   // coldest
  cache.Insert("a", Content(60), cache.epoch(), kNow);
  cache.Insert("d2", OpenDevNull(), cache.epoch(), kNow);
  cache.Insert("b", Content(60), cache.epoch(), kNow);  // a must go, only a
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
  EXPECT_NE(cache.Find("d1", kNow), nullptr);
  EXPECT_NE(cache.Find("d2", kNow), nullptr);
  EXPECT_NE(cache.Find("b", kNow), nullptr);
  EXPECT_EQ(cache.content_bytes(), 60u);
}

TEST(OpenFileCacheTest, WhatIsKeptAsContent) {
  EXPECT_TRUE(OpenFileCache(10, 1 << 20).WouldHoldContent(0));
  EXPECT_TRUE(OpenFileCache(10, 1 << 20).WouldHoldContent(
      OpenFileCache::kMaxContentBytes));
  EXPECT_FALSE(OpenFileCache(10, 1 << 20).WouldHoldContent(
      OpenFileCache::kMaxContentBytes + 1));
  EXPECT_FALSE(OpenFileCache(10, 0).WouldHoldContent(0));  // descriptors only
  EXPECT_FALSE(OpenFileCache(0, 1 << 20).WouldHoldContent(0));  // no cache
}

TEST(OpenFileCacheTest, ContentOverTheBudgetIsNotKept) {
  OpenFileCache cache(10, 100);
  cache.Insert("a", Content(60), cache.epoch(), kNow);
  cache.Insert("big", Content(101), cache.epoch(), kNow);
  EXPECT_EQ(cache.Find("big", kNow), nullptr);
  EXPECT_NE(cache.Find("a", kNow), nullptr);  // and nothing was evicted
  EXPECT_EQ(cache.content_bytes(), 60u);
}

TEST(OpenFileCacheTest, InvalidationAndExpiryGiveTheBytesBack) {
  OpenFileCache cache(10, 100);
  cache.Insert("a", Content(30), cache.epoch(), kNow);
  cache.Insert("b", Content(30), cache.epoch(), kNow);
  cache.Invalidate("a");
  EXPECT_EQ(cache.content_bytes(), 30u);
  EXPECT_EQ(cache.Find("b", kNow + OpenFileCache::kMaxAgeNs + 1), nullptr);
  EXPECT_EQ(cache.content_bytes(), 0u);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace shardd::files
