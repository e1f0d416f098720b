// DifferentialFixture: the shared half of the differential tests. It starts
// shardd (4 shards) and a reference redis-server, opens a few connections to
// shardd, and runs a seeded command stream against both, comparing each pair
// of replies with the test's own rule.
//
//   class MyTest : public DifferentialFixture {};
//   TEST_P(MyTest, RepliesMatchRedis) {
//     MyGenerator generator(seed());
//     RunStream(seed(), 3000, [&] { return generator.Next(); }, Exact);
//   }
//   INSTANTIATE_TEST_SUITE_P(Seeds, MyTest, ::testing::ValuesIn(CasesToRun()),
//                            CaseName);
#ifndef SHARDD_TESTS_INTEGRATION_SUPPORT_DIFFERENTIAL_FIXTURE_H_
#define SHARDD_TESTS_INTEGRATION_SUPPORT_DIFFERENTIAL_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {

// One run of a differential test: a seed for its command stream, and the
// protocol every connection (to shardd and to redis-server) speaks.
struct DiffCase {
  uint64_t seed;
  int protocol;  // 2 or 3 (HELLO 3 first)
};

// The cases to run: SHARDD_DIFF_SEED if set, else a fixed list of seeds;
// each in RESP2 and RESP3, or only in SHARDD_DIFF_PROTOCOL if set.
std::vector<DiffCase> CasesToRun();
// "seed1_resp3", for the test's name.
std::string CaseName(const ::testing::TestParamInfo<DiffCase>& info);

// `command` as a readable one-liner for failure messages.
std::string Describe(const std::vector<std::string>& command);

class DifferentialFixture : public ShardServerTest,
                            public ::testing::WithParamInterface<DiffCase> {
 protected:
  uint64_t seed() const { return GetParam().seed; }

  using NextCommand = std::function<std::vector<std::string>()>;
  // True if shardd's reply `ours` is acceptable for Redis's `theirs`;
  // `shardd` is the connection the command went over, for rules that must
  // ask it more (a scan continued to its end).
  using Agree = std::function<bool(const std::vector<std::string>& command,
                                   const std::string& ours,
                                   const std::string& theirs,
                                   RespClient& shardd)>;

  void SetUp() override;

  // Sends `count` commands from `next` to shardd (over a connection picked at
  // random per command) and to redis-server; fails at the first pair `agree`
  // rejects, printing the seed, both replies and the commands before it.
  // SHARDD_DIFF_VERBOSE prints every command.
  void RunStream(uint64_t seed, int count, const NextCommand& next,
                 const Agree& agree);

  // The connection to redis-server, for a rule's own questions.
  RespClient& reference() { return *reference_; }

 private:
  std::unique_ptr<RedisReference> redis_;
  std::optional<RespClient> reference_;
  std::vector<RespClient> shardd_clients_;
};

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SUPPORT_DIFFERENTIAL_FIXTURE_H_
