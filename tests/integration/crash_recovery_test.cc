// kill -9 under load, then a restart on the same --dir, in rounds: under
// appendfsync always every acknowledged write is there afterwards, a
// counter exceeds its acknowledged increments by at most the one in flight,
// and a MULTI/EXEC or an MSET over every shard (3 or 4) is never half
// applied (with 4, both lock their shards all at once); each restart
// uses another shard count. Under everysec the writes lost are the ones
// acknowledged in the last moments before the kill (measured and printed).
// CI runs kRounds rounds; crash_recovery_long_test (label long) runs more.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/crash_load.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

#ifdef SHARDD_CRASH_LONG
constexpr int kRounds = 10;
#else
constexpr int kRounds = 3;
#endif

TEST(CrashRecoveryTest, KillNineUnderLoadLosesNoAcknowledgedWrite) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir dir;  // declared first: removed after every server exited
  absl::StatusOr<std::vector<std::string>> base =
      WithTestDefaults({"--port=0"}, &dir);
  ASSERT_TRUE(base.ok()) << base.status();
  const uint32_t seed = static_cast<uint32_t>(absl::ToUnixNanos(absl::Now()));
  std::cout << "seed " << seed << "\n";
  absl::BitGen random{std::seed_seq{seed}};
  std::vector<Round> rounds;
  // The last round runs under everysec, to measure what it loses.
  for (int r = 0; r <= kRounds; ++r) {
    const bool always = r < kRounds;
    Round round{r % 2 == 0 ? 4 : 3, always,
                std::vector<Acknowledged>(kClients), absl::Time()};
    std::vector<std::string> flags = *base;
    flags.push_back(absl::StrCat("--shards=", round.shards));
    flags.push_back(always ? "--appendfsync=always"
                           : "--appendfsync=everysec");
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(ShardBinary(), flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    absl::StatusOr<RespClient> observer =
        RespClient::ConnectTcp("127.0.0.1", port);
    ASSERT_TRUE(observer.ok()) << observer.status();
    observer->set_timeout(absl::Seconds(10));

    // Every round before this one is still whole.
    for (int earlier = 0; earlier < r; ++earlier) {
      CheckRound(*observer, earlier, rounds[earlier], absl::Seconds(2));
    }
    std::vector<std::thread> clients = StartLoad(port, r, round);
    absl::SleepFor(absl::Milliseconds(absl::Uniform(random, 300, 900)));
    ExpectNoReplyBeforeDurable(*observer);
    round.killed_at = absl::Now();
    ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
    JoinLoad(clients, r, round, "kill -9");
    rounds.push_back(std::move(round));
  }

  // The last restart, with another shard count again, checks every round.
  std::vector<std::string> flags = *base;
  flags.push_back("--shards=2");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(ShardBinary(), flags);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(10));
  for (int r = 0; r < kRounds; ++r) {
    EXPECT_EQ(CheckRound(*c, r, rounds[r], absl::Seconds(2)), 0);
  }
  const int64_t lost =
      CheckRound(*c, kRounds, rounds[kRounds], absl::Seconds(2));
  std::cout << "everysec: " << lost
            << " acknowledged writes lost to kill -9 (each acknowledged "
               "less than 2 s before it)\n";
}

// Loads `keys` strings of 100 bytes through one pipelining connection.
void Preload(int port, int keys) {
  absl::StatusOr<RespClient> c = RespClient::ConnectTcp("127.0.0.1", port);
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(30));
  constexpr int kBatch = 1000;
  for (int first = 0; first < keys; first += kBatch) {
    std::string batch;
    for (int i = first; i < first + kBatch; ++i) {
      batch += EncodeCommand({"SET", absl::StrCat("pre:", i),
                              std::string(100, 'a' + i % 26)});
    }
    ASSERT_TRUE(c->Send(batch).ok());
    for (int i = 0; i < kBatch; ++i) ASSERT_EQ(*c->ReadReply(), kOk);
  }
}

// A compaction interrupted by kill -9, under load and appendfsync always:
// the restart finds every acknowledged write and every key from before.
TEST(CrashRecoveryTest, KillNineDuringACompactionLosesNothing) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  constexpr int kPreloaded = 100000;
  TempDir dir;
  absl::StatusOr<std::vector<std::string>> flags = WithTestDefaults(
      {"--port=0", "--shards=3", "--appendfsync=always"}, &dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  Round round{3, true, std::vector<Acknowledged>(kClients), absl::Time()};
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(ShardBinary(), *flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    Preload(port, kPreloaded);
    if (HasFatalFailure()) return;
    std::vector<std::thread> clients = StartLoad(port, 0, round);
    absl::StatusOr<RespClient> admin =
        RespClient::ConnectTcp("127.0.0.1", port);
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin->set_timeout(absl::Seconds(10));
    absl::SleepFor(absl::Milliseconds(100));
    ASSERT_EQ(*admin->Command({"BGREWRITEAOF"}),
              "+Background append only file rewriting started\r\n");
    // Killed while some shard still walks its keys, if it is caught there.
    bool caught_walking = false;
    for (int i = 0; i < 2000 && !caught_walking; ++i) {
      const std::optional<std::string> info =
          BulkOf(*admin->Command({"INFO", "persistence"}));
      caught_walking =
          info && !absl::StrContains(*info, "aof_rewrite_walking_shards:0\r\n");
    }
    std::cout << "killed " << (caught_walking ? "while" : "after")
              << " the walk\n";
    round.killed_at = absl::Now();
    ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
    for (std::thread& t : clients) t.join();
  }
  std::vector<std::string> restart = *flags;
  restart.push_back("--shards=2");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(ShardBinary(), restart);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(10));
  EXPECT_EQ(CheckRound(*c, 0, round, absl::Seconds(2)), 0);
  for (int i = 0; i < kPreloaded; i += 997) {
    EXPECT_EQ(*c->Command({"STRLEN", absl::StrCat("pre:", i)}), Integer(100))
        << i;
  }
}

}  // namespace
}  // namespace shardd::integration
