#include "shard/stats/jemalloc_arena.h"

#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::stats {
namespace {

TEST(JemallocArenaTest, ThreadArenaCountsItsOwnAllocations) {
  std::thread([] {
    absl::StatusOr<unsigned> arena = CreateThreadArena();
    ASSERT_TRUE(arena.ok()) << arena.status();
    absl::StatusOr<ArenaMemory> before = ReadArenaMemory(*arena);
    ASSERT_TRUE(before.ok()) << before.status();
    // Large allocations bypass the thread cache, so they show at once.
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 16; ++i) {
      blocks.emplace_back(new char[1 << 20]);
      blocks.back()[0] = 1;
    }
    absl::StatusOr<ArenaMemory> after = ReadArenaMemory(*arena);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_GE(after->allocated - before->allocated, 16u << 20);
    EXPECT_GE(after->active, after->allocated);
    EXPECT_GT(after->resident, 0u);
  }).join();
}

TEST(JemallocArenaTest, TwoThreadsGetDifferentArenas) {
  unsigned a = 0, b = 0;
  std::thread([&] { a = CreateThreadArena().value_or(0); }).join();
  std::thread([&] { b = CreateThreadArena().value_or(0); }).join();
  EXPECT_NE(a, 0u);
  EXPECT_NE(b, 0u);
  EXPECT_NE(a, b);
}

TEST(JemallocArenaTest, UnknownArenaIsAnError) {
  EXPECT_FALSE(ReadArenaMemory(1u << 20).ok());
}

}  // namespace
}  // namespace shardd::stats
