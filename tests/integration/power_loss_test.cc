// A power loss, simulated on the real server: kill -9 under load, then each
// log file is cut where a power loss could cut it, and the server restarts
// on what is left. kill -9 alone keeps the page cache, so it cannot show
// that a reply waited for its sync; here shardd runs with
// --record_synced_lengths (aio/log/synced_length_file.h), and after the
// kill every file keeps the bytes its last completed sync covered plus a
// random part of the rest (none, some, or all of it: a write torn
// anywhere, even inside a record). Each shard's file is cut on its own, so
// one participant of a transaction over two shards may keep its part of an
// unacknowledged transaction while the other loses its part. One round
// starts a compaction (BGREWRITEAOF) halfway through its load.
//
// Under appendfsync always: every acknowledged write survives and no
// MULTI/EXEC or MSET over every shard is half applied, across restarts with
// other shard counts. Under everysec (the last round): what is lost was
// acknowledged in the last moments before the cut (counted and printed).
// CI runs kRounds rounds; power_loss_long_test (label long) runs more.
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/crash_load.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

#ifdef SHARDD_CRASH_LONG
constexpr int kRounds = 10;
#else
constexpr int kRounds = 3;
#endif

constexpr absl::string_view kMarkSuffix = ".synced";
// Under everysec a lost write was acknowledged at most a sync period (1 s)
// before the cut, plus that sync's own time and a loop turn; the bound
// leaves room for a slow disk. (Lost increments, pushes and transactions
// are dated by the client's last acknowledgement, so the printed age of
// the oldest loss comes from the SETs and HSETs.)
constexpr absl::Duration kEverySecWindow = absl::Seconds(3);

// What a cut did to the files of one round.
struct Cut {
  int files = 0;           // files with a mark
  int unsynced_files = 0;  // ... holding bytes no sync covered
  uint64_t bytes = 0;      // cut off in all
};

// Cuts every log file that has a mark as a power loss could, and removes
// the marks (and those of files a compaction removed).
Cut CutLikeAPowerLoss(const std::string& log_dir, absl::BitGen& random) {
  namespace fs = std::filesystem;
  std::vector<fs::path> marks;
  for (const fs::directory_entry& entry : fs::directory_iterator(log_dir)) {
    if (absl::EndsWith(entry.path().string(), kMarkSuffix)) {
      marks.push_back(entry.path());
    }
  }
  Cut cut;
  for (const fs::path& mark : marks) {
    std::string file = mark.string();
    file.resize(file.size() - kMarkSuffix.size());
    if (!fs::exists(file)) {
      fs::remove(mark);
      continue;
    }
    std::ifstream in(mark);
    std::string text;
    std::getline(in, text);
    uint64_t synced = 0;
    EXPECT_TRUE(absl::SimpleAtoi(text, &synced)) << mark << ": " << text;
    const uint64_t size = fs::file_size(file);
    EXPECT_LE(synced, size) << file << " is shorter than its synced length";
    synced = std::min(synced, size);
    // Half the files keep exactly what was synced; the others a torn part
    // of the rest, possibly all of it.
    uint64_t keep = synced;
    if (size > synced && absl::Bernoulli(random, 0.5)) {
      keep += absl::Uniform<uint64_t>(absl::IntervalClosed, random, 0,
                                      size - synced);
    }
    fs::resize_file(file, keep);
    fs::remove(mark);
    std::cout << fs::path(file).filename().string() << ": " << size
              << " bytes, " << synced << " synced, " << keep << " kept\n";
    ++cut.files;
    if (size > synced) ++cut.unsynced_files;
    cut.bytes += size - keep;
  }
  return cut;
}

TEST(PowerLossTest, CutAfterTheLastSyncLosesNoAcknowledgedWrite) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir dir;  // declared first: removed after every server exited
  absl::StatusOr<std::vector<std::string>> base =
      WithTestDefaults({"--port=0"}, &dir);
  ASSERT_TRUE(base.ok()) << base.status();
  const std::string log_dir = dir.path() + "/aof";
  const uint32_t seed = static_cast<uint32_t>(absl::ToUnixNanos(absl::Now()));
  std::cout << "seed " << seed << "\n";
  absl::BitGen random{std::seed_seq{seed}};
  std::vector<Round> rounds;
  uint64_t cut_unsynced = 0;
  // The last round runs under everysec, to measure what it loses.
  for (int r = 0; r <= kRounds; ++r) {
    const bool always = r < kRounds;
    Round round{r % 2 == 0 ? 4 : 3, always, std::vector<Acknowledged>(kClients),
                absl::Time()};
    std::vector<std::string> flags = *base;
    flags.push_back(absl::StrCat("--shards=", round.shards));
    flags.push_back("--record_synced_lengths");
    flags.push_back(always ? "--appendfsync=always" : "--appendfsync=everysec");
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(ShardBinary(), flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    absl::StatusOr<RespClient> observer =
        RespClient::ConnectTcp("127.0.0.1", port);
    ASSERT_TRUE(observer.ok()) << observer.status();
    observer->set_timeout(absl::Seconds(10));

    // Every round before this one survived its cut and the restarts since.
    for (int earlier = 0; earlier < r; ++earlier) {
      CheckRound(*observer, earlier, rounds[earlier], kEverySecWindow);
    }
    std::vector<std::thread> clients = StartLoad(port, r, round);
    // An everysec round runs past its first syncs, so that what it loses
    // is bounded by them, not by the start.
    const absl::Duration load =
        always ? absl::Milliseconds(absl::Uniform(random, 300, 900))
               : absl::Milliseconds(absl::Uniform(random, 2000, 3000));
    if (r == 1) {
      // One round compacts under load: the new files get marks of their
      // own, and the cut may fall before or after the switch.
      absl::SleepFor(load / 2);
      const absl::StatusOr<std::string> started =
          observer->Command({"BGREWRITEAOF"});
      ASSERT_TRUE(started.ok()) << started.status();
      EXPECT_TRUE(absl::StartsWith(*started, "+")) << *started;
      absl::SleepFor(load / 2);
    } else {
      absl::SleepFor(load);
    }
    ExpectNoReplyBeforeDurable(*observer);
    round.killed_at = absl::Now();
    ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
    JoinLoad(clients, r, round, "the power loss");
    const Cut cut = CutLikeAPowerLoss(log_dir, random);
    // Every shard's file was marked (a compaction adds its new files).
    EXPECT_GE(cut.files, round.shards);
    // Under everysec the cut always finds bytes no sync covered yet.
    if (!always) {
      EXPECT_GT(cut.unsynced_files, 0);
    }
    cut_unsynced += cut.bytes;
    rounds.push_back(std::move(round));
  }
  std::cout << cut_unsynced << " unsynced bytes cut off in all\n";

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
    EXPECT_EQ(CheckRound(*c, r, rounds[r], kEverySecWindow), 0);
  }
  absl::Duration oldest = absl::ZeroDuration();
  const int64_t lost =
      CheckRound(*c, kRounds, rounds[kRounds], kEverySecWindow, &oldest);
  std::cout << "everysec: " << lost
            << " acknowledged writes lost to the power loss, the oldest "
               "acknowledged "
            << absl::FormatDuration(oldest)
            << " before it (bound: " << absl::FormatDuration(kEverySecWindow)
            << ")\n";
}

}  // namespace
}  // namespace shardd::integration
