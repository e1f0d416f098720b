// Differential test of the data models Redis builds on strings and sorted
// sets: bitfields, HyperLogLogs and geo sets. The same seeded random command
// stream (support/data_model_generator.h) goes to shardd (4 shards, over
// several connections, so commands start on different shards) and to a real
// redis-server 7.0; every reply must be byte-for-byte equal. That includes
// GET of an HLL (shardd keeps Redis's byte format, sparse and dense, with
// the cached count) and the unsorted order of geo searches (Redis's cell by
// cell walk), so no tolerance is needed.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./data_model_differential_test
// To see every command and reply: SHARDD_DIFF_VERBOSE=1.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/support/data_model_generator.h"
#include "tests/integration/support/differential_fixture.h"

namespace shardd::integration {
namespace {

constexpr int kCommandsPerSeed = 3000;

class DataModelDifferentialTest : public DifferentialFixture {};

TEST_P(DataModelDifferentialTest, RepliesMatchRedis) {
  DataModelGenerator generator(seed());
  RunStream(
      seed(), kCommandsPerSeed, [&] { return generator.Next(); },
      [](const std::vector<std::string>&, const std::string& ours,
         const std::string& theirs, RespClient&) { return ours == theirs; });
}

INSTANTIATE_TEST_SUITE_P(Seeds, DataModelDifferentialTest,
                         ::testing::ValuesIn(CasesToRun()), CaseName);

}  // namespace
}  // namespace shardd::integration
