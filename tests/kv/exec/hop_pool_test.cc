// Spares (hop_pool.h): a shard's pool of spare hop objects keeps at most
// its bound and deletes what comes back past it, so a burst of hops does
// not pin memory for good.
#include "shard/kv/exec/hop_pool.h"

#include <vector>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

// Counts how many of it were deleted.
struct Counted {
  explicit Counted(int* deleted) : deleted(deleted) {}
  ~Counted() { ++*deleted; }
  int* deleted;
};

TEST(SparesTest, KeepsAtMostItsBoundAndDeletesTheRest) {
  int deleted = 0;
  {
    Spares<Counted, 3> spares;
    EXPECT_EQ(spares.Take(), nullptr);
    std::vector<Counted*> burst;
    for (int i = 0; i < 5; ++i) burst.push_back(new Counted(&deleted));
    for (Counted* c : burst) spares.Give(c);
    EXPECT_EQ(deleted, 2);  // the two past the bound
    // The three kept come back, last given first; then none.
    EXPECT_EQ(spares.Take(), burst[2]);
    EXPECT_EQ(spares.Take(), burst[1]);
    Counted* kept = spares.Take();
    EXPECT_EQ(kept, burst[0]);
    EXPECT_EQ(spares.Take(), nullptr);
    spares.Give(kept);
    EXPECT_EQ(deleted, 2);
  }
  EXPECT_EQ(deleted, 3);  // the pool deletes what it still holds
}

}  // namespace
}  // namespace shardd::kv
