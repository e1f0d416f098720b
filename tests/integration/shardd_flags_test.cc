// shardd --help lists shardd's own flags by group, without gflags' internal
// ones; --version prints the version and build; both exit 0 at once.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

TEST(ShardFlagsTest, HelpListsOwnFlagsByGroup) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  const ProgramResult help = RunProgram({ShardBinary(), "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.stderr_text;
  for (const char* line :
       {"Shards and the runtime:", "Redis-protocol service:",
        "Data and durability:", "HTTP file service:", "Admin endpoint:",
        "  --requirepass=", "  --appendfsync=everysec",
        "  --admin_token=", "  --client_output_limit_pubsub=32mb 8mb 60"}) {
    EXPECT_TRUE(absl::StrContains(help.stdout_text, line)) << line;
  }
  // Every flag has its group; gflags' own are left to --helpfull.
  EXPECT_FALSE(absl::StrContains(help.stdout_text, "\nOther:"));
  EXPECT_FALSE(absl::StrContains(help.stdout_text, "  --fromenv="));
  EXPECT_FALSE(absl::StrContains(help.stdout_text, "  --tryfromenv="));
}

TEST(ShardFlagsTest, VersionNamesTheBuild) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  const ProgramResult version = RunProgram({ShardBinary(), "--version"});
  EXPECT_EQ(version.exit_code, 0) << version.stderr_text;
  EXPECT_TRUE(absl::StrContains(version.stdout_text, "version 0.1.0 (build "))
      << version.stdout_text;
}

}  // namespace
}  // namespace shardd::integration
