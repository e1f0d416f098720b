// Differential test of the list and sorted-set commands: the same seeded
// random command stream (support/list_zset_generator.h) goes to shardd (4
// shards, over several connections, so commands start on different shards)
// and to a real redis-server 7.0; every reply must be byte-for-byte equal.
// These types have a fully determined order, so no tolerance is needed.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./list_zset_differential_test
// To see every command and reply: SHARDD_DIFF_VERBOSE=1.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/list_zset_generator.h"

namespace shardd::integration {
namespace {

constexpr int kCommandsPerSeed = 3000;

class ListZSetDifferentialTest : public DifferentialFixture {};

TEST_P(ListZSetDifferentialTest, RepliesMatchRedis) {
  ListZSetGenerator generator(seed());
  RunStream(
      seed(), kCommandsPerSeed, [&] { return generator.Next(); },
      [](const std::vector<std::string>&, const std::string& ours,
         const std::string& theirs, RespClient&) { return ours == theirs; });
}

INSTANTIATE_TEST_SUITE_P(Seeds, ListZSetDifferentialTest,
                         ::testing::ValuesIn(CasesToRun()), CaseName);

}  // namespace
}  // namespace shardd::integration
