// The log files: a torn tail is cut and the rest loads (and is written
// after); corruption before the tail stops the start with the file and
// offset; the files are Redis's AOF format, for redis-check-aof and
// `redis-cli --pipe`.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/restarts.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

// The logs are Redis's AOF format: redis-check-aof passes each, and
// `redis-cli --pipe` replays them into a real redis-server, which then
// holds the same data (it answers the #TX annotation lines with an error
// and goes on). Without a FLUSHALL: replayed one after the other, one
// file's FLUSHALL would wipe the keys of the files before it.
TEST(LogFilesTest, LogsAreRedisAofAndReplayIntoRedis) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  Dataset written;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(3);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    WriteEveryKind(*c, /*with_flushall=*/false);
    if (HasFatalFailure()) return;
    absl::StatusOr<Dataset> dump = DumpDataset(*c);
    ASSERT_TRUE(dump.ok()) << dump.status();
    written = *dump;
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<TempDir> copies = TempDir::Create("aof-copies-");
  ASSERT_TRUE(copies.ok()) << copies.status();
  for (int i = 0; i < 3; ++i) {
    const std::string copy = absl::StrCat(copies->path(), "/", i, ".aof");
    WriteFile(copy, ReadFile(absl::StrCat(runs.LogDir(), "/g1-", i, ".aof")));
    const ProgramResult check = RunProgram({"redis-check-aof", copy});
    EXPECT_EQ(check.exit_code, 0) << check.stdout_text << check.stderr_text;
    EXPECT_TRUE(absl::StrContains(check.stdout_text, "is valid"))
        << check.stdout_text;
    const ProgramResult pipe = RunProgram(
        {"sh", "-c",
         absl::StrCat("redis-cli -s ", ShellQuote((*redis)->socket_path()),
                      " --pipe < ", ShellQuote(copy))});
    // (Its exit code counts the errors: one per #TX line.)
    EXPECT_TRUE(absl::StrContains(pipe.stdout_text,
                                  "Last reply received from server"))
        << pipe.stdout_text << pipe.stderr_text;
  }
  absl::StatusOr<RespClient> r = (*redis)->Connect();
  ASSERT_TRUE(r.ok()) << r.status();
  absl::StatusOr<Dataset> replayed = DumpDataset(*r);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(*replayed, written) << DescribeDifference(written, *replayed);
}

TEST(LogFilesTest, TornTailIsCutAndTheRestLoads) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  Dataset before;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(*c->Command({"SET", absl::StrCat("k", i), "v"}), kOk);
    }
    absl::StatusOr<Dataset> dump = DumpDataset(*c);
    ASSERT_TRUE(dump.ok()) << dump.status();
    before = *dump;
    ASSERT_TRUE((*server)->Stop().ok());
  }
  const std::string log = runs.LogDir() + "/g1-0.aof";
  const std::string whole = ReadFile(log);
  ASSERT_FALSE(whole.empty());
  // A crash in the middle of a record, and in the middle of a transaction
  // block whose MULTI made it to the disk.
  for (const std::string& torn :
       {std::string("*3\r\n$3\r\nSET\r\n$5\r\nhal"),
        std::string("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r"
                    "\nv\r\n")}) {
    WriteFile(log, whole + torn);
    {
      absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
      ASSERT_TRUE(server.ok()) << server.status();
      EXPECT_EQ(ReadFile(log), whole) << "the torn tail stays";
      absl::StatusOr<Dataset> after = DumpOf(**server);
      ASSERT_TRUE(after.ok()) << after.status();
      EXPECT_EQ(*after, before) << DescribeDifference(before, *after);
      // Writes go on right after the last whole record.
      absl::StatusOr<RespClient> c = ConnectTo(**server);
      ASSERT_TRUE(c.ok()) << c.status();
      ASSERT_EQ(*c->Command({"DEL", "k0"}), Integer(1));
      ASSERT_TRUE((*server)->Stop().ok());
    }
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(*c->Command({"EXISTS", "k0"}), Integer(0));
    EXPECT_EQ(*c->Command({"DBSIZE"}), Integer(99));
    ASSERT_EQ(*c->Command({"SET", "k0", "v"}), kOk);
    ASSERT_TRUE((*server)->Stop().ok());
    ASSERT_NE(ReadFile(log).find(whole), std::string::npos);
    // (The next variant starts from the whole log again.)
    WriteFile(log, whole);
  }
}

TEST(LogFilesTest, CorruptionBeforeTheTailStopsTheStartWithTheOffset) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_EQ(*c->Command({"SET", "a", "1"}), kOk);
    ASSERT_EQ(*c->Command({"SET", "b", "2"}), kOk);
    ASSERT_TRUE((*server)->Stop().ok());
  }
  const std::string log = runs.LogDir() + "/g1-0.aof";
  const std::string whole = ReadFile(log);
  const size_t second = whole.find("*3", 1);
  ASSERT_NE(second, std::string::npos);
  WriteFile(log,
            whole.substr(0, second) + "garbage\r\n" + whole.substr(second));
  const ProgramResult run = RunProgram(runs.Argv(1), {}, absl::Seconds(30));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(run.stdout_text.empty()) << run.stdout_text;
  EXPECT_TRUE(absl::StrContains(
      run.stderr_text, absl::StrCat("g1-0.aof is corrupt at offset ", second)))
      << run.stderr_text;
}

}  // namespace
}  // namespace shardd::integration
