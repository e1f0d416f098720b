// shardd --help lists shardd's own flags by group, without gflags' internal
// ones; --version prints the version and build; both exit 0 at once.
// --sched_policy sets the shard threads' scheduling policy.
#include <sched.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

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

// The scheduling policy (field 41 of /proc/<pid>/task/<tid>/stat) of each
// of `pid`'s threads named shard-*, by name.
std::map<std::string, int> ShardThreadPolicies(pid_t pid) {
  std::map<std::string, int> policies;
  const std::filesystem::path tasks = absl::StrCat("/proc/", pid, "/task");
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    if (!absl::StartsWith(name, "shard-")) continue;
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    if (stat.find(')') == std::string::npos) continue;
    // The fields after the name, which may hold spaces, start at "state".
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::vector<std::string> after_name{
        std::istream_iterator<std::string>(fields), {}};
    if (after_name.size() > 38) policies[name] = std::stoi(after_name[38]);
  }
  return policies;
}

TEST(SchedPolicyTest, ThePolicyReachesEveryShardThread) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  // (other after batch: set, not left as whatever came before)
  for (const bool batch : {false, true, false}) {
    std::vector<std::string> flags = {
        "--port=0", "--shards=3", "--share_cpu_threads=false",
        batch ? "--sched_policy=batch" : "--sched_policy=other"};
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = StartShardd(flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const std::map<std::string, int> policies =
        ShardThreadPolicies((*server)->pid());
    // One thread per shard, on epoll as on io_uring.
    EXPECT_EQ(policies.size(), 3u);
    for (const auto& [name, policy] : policies) {
      EXPECT_EQ(policy, batch ? SCHED_BATCH : SCHED_OTHER) << name;
    }
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", (*server)->port());
    ASSERT_TRUE(client.ok()) << client.status();
    EXPECT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  }
}

TEST(SchedPolicyTest, AnUnknownPolicyStopsTheStart) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  // Refused with the other flag errors, before the data directory is
  // touched: it is never created.
  absl::StatusOr<TempDir> dir = TempDir::Create("shardd-sched-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string data = absl::StrCat(dir->path(), "/data");
  const ProgramResult refused =
      RunProgram({ShardBinary(), "--port=0", "--admin_port=0", "--http_port=0",
                  "--sched_policy=fifo", absl::StrCat("--dir=", data)},
                 {}, absl::Seconds(20));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(
      refused.stderr_text,
      "--sched_policy must be inherit, other or batch, got 'fifo'"))
      << refused.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(data));
}

}  // namespace
}  // namespace shardd::integration
