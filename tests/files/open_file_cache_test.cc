// The open-file cache: least recently used out, expiry, invalidation by
// path, no insertion of what was opened before an invalidation, and
// descriptors closed once the cache and every user let go.
#include "shard/files/open_file_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "gtest/gtest.h"

namespace shardd::files {
namespace {

std::shared_ptr<const CachedFile> OpenDevNull() {
  struct statx st {};
  st.stx_size = 0;
  return std::make_shared<const CachedFile>(open("/dev/null", O_RDONLY), st);
}

constexpr uint64_t kNow = 5'000'000'000;

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

TEST(OpenFileCacheTest, FindsWhatWasInserted) {
  OpenFileCache cache(4);
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
  auto a = OpenDevNull();
  cache.Insert("a", a, cache.epoch(), kNow);
  EXPECT_EQ(cache.Find("a", kNow), a);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(OpenFileCacheTest, TheLeastRecentlyUsedGoesFirst) {
  OpenFileCache cache(2);
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
  OpenFileCache cache(4);
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
  OpenFileCache cache(4);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_NE(cache.Find("a", kNow + OpenFileCache::kMaxAgeNs), nullptr);
  EXPECT_EQ(cache.Find("a", kNow + OpenFileCache::kMaxAgeNs + 1), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(OpenFileCacheTest, ADisabledCacheHoldsNothing) {
  OpenFileCache cache(0);
  cache.Insert("a", OpenDevNull(), cache.epoch(), kNow);
  EXPECT_EQ(cache.Find("a", kNow), nullptr);
}

TEST(OpenFileCacheTest, DescriptorsCloseWhenTheLastUserLetsGo) {
  OpenFileCache cache(1);
  auto a = OpenDevNull();
  const int fd = a->fd;
  cache.Insert("a", a, cache.epoch(), kNow);
  cache.Invalidate("a");
  EXPECT_TRUE(IsOpen(fd));  // a response still holds it
  a.reset();
  EXPECT_FALSE(IsOpen(fd));
}

}  // namespace
}  // namespace shardd::files
