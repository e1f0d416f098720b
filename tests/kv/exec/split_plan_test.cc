// SplitScratch (split_plan.h): a shard keeps the buffers of the splits it
// runs on its own thread, but not what one huge command grew them to.
#include "shard/kv/exec/split_plan.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace shardd::kv {
namespace {

TEST(SplitScratchTest, TrimDropsWhatAHugeCommandGrewAndKeepsTheRest) {
  SplitScratch scratch;
  scratch.plan.part_args.resize(2);
  scratch.plan.positions.resize(2);
  scratch.replies.resize(2);
  scratch.merge.replies.resize(2);
  scratch.merge.positions.resize(2);
  // Shard 0's part was huge (an MGET of 100,000 keys), shard 1's small.
  scratch.plan.part_args[0].resize(100'000);
  scratch.plan.part_args[1].resize(11);
  scratch.plan.positions[0].resize(100'000);
  scratch.plan.positions[1].resize(10);
  scratch.plan.keys.resize(100'000);
  scratch.plan.owners.resize(100'000);
  scratch.replies[0].assign(1 << 20, 'x');
  scratch.replies[1].assign(100, 'x');
  scratch.merge.replies[0].assign(1 << 20, 'x');
  scratch.merge.positions[1].resize(100'000);

  TrimSplitScratch(&scratch);

  EXPECT_LE(scratch.plan.part_args[0].capacity(), 256u);
  EXPECT_LE(scratch.plan.positions[0].capacity(), 256u);
  EXPECT_LE(scratch.plan.keys.capacity(), 256u);
  EXPECT_LE(scratch.plan.owners.capacity(), 256u);
  EXPECT_LE(scratch.replies[0].capacity(), 4096u);
  EXPECT_LE(scratch.merge.replies[0].capacity(), 4096u);
  EXPECT_LE(scratch.merge.positions[1].capacity(), 256u);
  // Small buffers stay for the next command.
  EXPECT_GE(scratch.plan.part_args[1].capacity(), 11u);
  EXPECT_GE(scratch.plan.positions[1].capacity(), 10u);
  EXPECT_GE(scratch.replies[1].capacity(), 100u);
}

}  // namespace
}  // namespace shardd::kv
