// The current Node.js Redis clients from npm, node-redis (which connects
// with HELLO 3) and ioredis, run a session against shardd (4 shards):
// strings, hashes, sets, sorted sets, pipelines, transactions, pub/sub with
// a second connection, client names and blocking pops
// (tests/integration/node_clients/session.mjs). tools/dev.sh test installs
// them into that folder with `npm ci`, as a user would.
#include <filesystem>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr char kFolder[] = SHARDD_SOURCE_DIR "/tests/integration/node_clients";

class NodeClientsTest : public ShardServerTest {};

TEST_F(NodeClientsTest, NodeRedisAndIoredisSessions) {
  // The current clients need Node.js 20; Debian 12's own is 18 (dev.sh
  // installs the clients only where a new enough Node.js is).
  const ProgramResult version =
      RunProgram({"node", "-p", "process.versions.node.split('.')[0]"});
  int major = 0;
  if (version.exit_code != 0 ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(version.stdout_text),
                        &major) ||
      major < 20) {
    GTEST_SKIP() << "needs Node.js 20 or later; found: " << version.stdout_text
                 << version.stderr_text;
  }
  ASSERT_TRUE(std::filesystem::exists(
      absl::StrCat(kFolder, "/node_modules/redis/package.json")))
      << "the clients are not installed: run tools/dev.sh test, or npm ci "
         "in "
      << kFolder;
  const ProgramResult result = RunProgram(
      {"node", absl::StrCat(kFolder, "/session.mjs"), absl::StrCat(port())}, {},
      absl::Seconds(60));
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "node clients ok\n") << result.stderr_text;
}

}  // namespace
}  // namespace shardd::integration
