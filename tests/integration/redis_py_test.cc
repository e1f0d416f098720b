// redis-py (Debian's python3-redis) drives a realistic session against
// shardd: pipeline, hashes, a sorted-set leaderboard and a blocking list
// queue with two clients (tests/integration/redis_py_session.py).
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class RedisPyTest : public ShardServerTest {};

TEST_F(RedisPyTest, RealisticSessionBehavesAsWithRedis) {
  // Debian's interpreter, which is the one python3-redis installs into
  // (another python3 may come first in PATH).
  const ProgramResult result = RunProgram(
      {"/usr/bin/python3",
       SHARDD_SOURCE_DIR "/tests/integration/redis_py_session.py",
       absl::StrCat(port())});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "redis-py session ok\n") << result.stderr_text;
}

}  // namespace
}  // namespace shardd::integration
