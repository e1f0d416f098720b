// shardd --help lists shardd's own flags by group, without gflags' internal
// ones; --version prints the version and build; both exit 0 at once.
// --sched_policy sets the scheduling policy of every thread of shardd. An
// unknown flag in a --flagfile stops the start.
#include <sched.h>
#include <sys/types.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
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
// of `pid`'s threads, with the thread's name.
std::vector<std::pair<std::string, int>> ThreadPolicies(pid_t pid) {
  std::vector<std::pair<std::string, int>> policies;
  const std::filesystem::path tasks = absl::StrCat("/proc/", pid, "/task");
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    if (stat.find(')') == std::string::npos) continue;
    // The fields after the name, which may hold spaces, start at "state".
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::vector<std::string> after_name{
        std::istream_iterator<std::string>(fields), {}};
    if (after_name.size() > 38) {
      policies.emplace_back(name, std::stoi(after_name[38]));
    }
  }
  return policies;
}

// Starts shardd (with three shards, a thread each), under `chrt -b 0` if
// `launched_batch`, and expects `policy` on every one of its threads.
void ExpectPolicyOnEveryThread(bool launched_batch,
                               std::vector<std::string> flags, int policy) {
  flags.insert(flags.end(),
               {"--port=0", "--shards=3", "--share_cpu_threads=false"});
  TempDir data_dir;
  absl::StatusOr<std::vector<std::string>> all_flags =
      WithTestDefaults(flags, &data_dir);
  ASSERT_TRUE(all_flags.ok()) << all_flags.status();
  std::string binary = ShardBinary();
  if (launched_batch) {
    all_flags->insert(all_flags->begin(), {"-b", "0", binary});
    binary = "/usr/bin/chrt";
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(binary, *all_flags);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->OwnDataDir(std::move(data_dir));
  const std::vector<std::pair<std::string, int>> policies =
      ThreadPolicies((*server)->pid());
  // One thread per shard, on epoll as on io_uring, and the others.
  EXPECT_EQ(std::count_if(policies.begin(), policies.end(),
                          [](const auto& thread) {
                            return absl::StartsWith(thread.first, "shard-");
                          }),
            3);
  for (const auto& [name, thread_policy] : policies) {
    EXPECT_EQ(thread_policy, policy) << name;
  }
  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ(*client->Command({"PING"}), "+PONG\r\n");
}

TEST(SchedPolicyTest, BatchReachesEveryThread) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  ExpectPolicyOnEveryThread(false, {"--sched_policy=batch"}, SCHED_BATCH);
}

TEST(SchedPolicyTest, InheritKeepsAndOtherResetsThePolicyItWasStartedWith) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  ExpectPolicyOnEveryThread(true, {}, SCHED_BATCH);
  ExpectPolicyOnEveryThread(true, {"--sched_policy=other"}, SCHED_OTHER);
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

// A flag file's line that names no flag stops the start with its file and
// line (gflags alone passes over it), also in a file another one names;
// comments, bools' --noname and a file-name section are fine.
TEST(ShardFlagsTest, AnUnknownFlagInAFlagFileStopsTheStart) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  absl::StatusOr<TempDir> dir = TempDir::Create("shardd-flagfile-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string outer = absl::StrCat(dir->path(), "/outer.flags");
  const std::string inner = absl::StrCat(dir->path(), "/inner.flags");
  {
    std::ofstream out(outer);
    out << "# settings\n--timeout=5\n--noprotected_mode\n--flagfile=" << inner
        << "\n--timeoutt=5\n";
  }
  {
    std::ofstream out(inner);
    out << "-maxclients=50\n-appendfsyncc=always\nother_program\n"
        << "--not_for_shardd=1\n";
  }
  const std::string data = absl::StrCat(dir->path(), "/data");
  const ProgramResult refused = RunProgram(
      {ShardBinary(), "--port=0", "--admin_port=0", "--http_port=0",
       absl::StrCat("--flagfile=", outer), absl::StrCat("--dir=", data)},
      {}, absl::Seconds(20));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(
      refused.stderr_text,
      absl::StrCat("shardd: ", outer, ":5: unknown flag 'timeoutt'\n")))
      << refused.stderr_text;
  EXPECT_TRUE(absl::StrContains(
      refused.stderr_text,
      absl::StrCat("shardd: ", inner, ":2: unknown flag 'appendfsyncc'\n")))
      << refused.stderr_text;
  EXPECT_FALSE(absl::StrContains(refused.stderr_text, "not_for_shardd"))
      << refused.stderr_text;
  EXPECT_FALSE(absl::StrContains(refused.stderr_text, "protected_mode"))
      << refused.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(data));
}

}  // namespace
}  // namespace shardd::integration
