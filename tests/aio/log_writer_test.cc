// The log writer against a simulated disk that keeps only what a completed
// sync covered: a "power cut" at a random moment keeps that, plus a random
// part of what was written after it (a torn write). Under `always`, every
// record whose waiter was released must be in what the cut kept; under
// `everysec`, every record appended more than about a second before the
// cut. Write errors are retried and lose nothing.
#include "aio/log/log_writer.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "shard/shard_set.h"
#include "shard/timer.h"
#include "tests/aio/run_on_shard.h"

namespace shardd::aio {
namespace {

// How long the simulated disk takes (a timer on the shard's ring, so the
// loop goes on meanwhile, as with a real disk).
constexpr absl::Duration kWriteTime = absl::Microseconds(50);
constexpr absl::Duration kSyncTime = absl::Microseconds(300);

// Touched only on the shard's thread while it runs.
struct SimulatedDisk {
  std::string written;  // what a read would return (the page cache)
  std::string durable;  // what a power cut keeps
  // Per byte of `written`: written since a sync last covered it. A sync
  // that fails marks these clean without storing them, as Linux does
  // after a writeback error.
  std::vector<bool> dirty;
  int writes_to_fail = 0;
  int syncs_to_fail = 0;
  int writes = 0;
  int syncs = 0;
};

class SimulatedFile final : public LogFile {
 public:
  explicit SimulatedFile(SimulatedDisk& disk) : disk_(disk) {}

  Task<int> Write(std::string_view data, uint64_t offset) override {
    co_await Delay(kWriteTime);
    ++disk_.writes;
    if (disk_.writes_to_fail > 0) {
      --disk_.writes_to_fail;
      co_return -ENOSPC;
    }
    Put(data, offset);
    co_return static_cast<int>(data.size());
  }
  Task<int> Sync() override {
    // What was written when the sync started is on disk once it is done.
    const std::string covered = disk_.written;
    const std::vector<bool> dirty = disk_.dirty;
    co_await Delay(kSyncTime);
    const bool fails = disk_.syncs_to_fail > 0;
    if (fails) {
      --disk_.syncs_to_fail;
    } else {
      ++disk_.syncs;
    }
    Settle(covered, dirty, fails);
    co_return fails ? -EIO : 0;
  }
  Task<WriteSyncResult> WriteAndSync(std::string_view data,
                                     uint64_t offset) override {
    const int written = co_await Write(data, offset);
    if (written != static_cast<int>(data.size())) {
      co_return WriteSyncResult{written, -ECANCELED};
    }
    co_return WriteSyncResult{written, co_await Sync()};
  }
  int WriteAndSyncBlocking(std::string_view data, uint64_t offset) override {
    Put(data, offset);
    Settle(disk_.written, disk_.dirty, /*fails=*/false);
    return 0;
  }

 private:
  // The page cache takes a write.
  void Put(std::string_view data, uint64_t offset) {
    if (disk_.written.size() < offset + data.size()) {
      disk_.written.resize(offset + data.size());
    }
    disk_.written.replace(offset, data.size(), data);
    disk_.dirty.resize(disk_.written.size());
    std::fill(
        disk_.dirty.begin() + static_cast<std::ptrdiff_t>(offset),
        disk_.dirty.begin() + static_cast<std::ptrdiff_t>(offset + data.size()),
        true);
  }
  // A sync ends: what was dirty when it started is stored, or, when it
  // fails, only marked clean.
  void Settle(const std::string& covered, const std::vector<bool>& dirty,
              bool fails) {
    if (disk_.durable.size() < covered.size()) {
      disk_.durable.resize(covered.size());
    }
    for (size_t i = 0; i < dirty.size(); ++i) {
      if (!dirty[i]) continue;
      if (!fails) disk_.durable[i] = covered[i];
      disk_.dirty[i] = false;
    }
  }

  SimulatedDisk& disk_;
};

std::string Record(int client, int n) {
  const std::string key = absl::StrCat("k", client, ":", n);
  return absl::StrCat("*3\r\n$3\r\nSET\r\n$", key.size(), "\r\n", key,
                      "\r\n$1\r\nv\r\n");
}

struct Outcome {
  std::string kept;  // what the power cut left
  // Per record: its end offset, whether its waiter was released (always),
  // and when it was appended.
  std::vector<uint64_t> ends;
  std::vector<bool> acknowledged;
  std::vector<absl::Time> appended_at;
  absl::Time cut_at;
};

// A client: appends a record, under `always` waits until it is durable,
// and goes again, `records` times.
Task<void> Client(LogWriter& log, FsyncPolicy policy, int id, int records,
                  Outcome& out, bool& cut) {
  for (int n = 0; n < records && !cut; ++n) {
    log.buffer() += Record(id, n);
    log.Commit();
    const size_t index = out.ends.size();
    out.ends.push_back(log.appended());
    out.acknowledged.push_back(false);
    out.appended_at.push_back(absl::Now());
    if (policy == FsyncPolicy::kAlways) {
      co_await log.WaitDurable(out.ends[index]);
      if (!cut) out.acknowledged[index] = true;
    } else {
      // Without a pause: as steady a stream as the simulated disk allows.
      co_await Delay(absl::ZeroDuration());
    }
  }
}

// Runs `clients` clients on one shard against the simulated disk and cuts
// the power after `cut_after` (or when they are done).
Outcome RunAndCut(FsyncPolicy policy, int clients, int records,
            absl::Duration cut_after, uint32_t seed, int writes_to_fail = 0) {
  SimulatedDisk disk;
  auto log = std::make_unique<LogWriter>();
  Outcome out;
  std::promise<void> done;
  ShardSet shards({.shard_count = 1});
  bool cut = false;
  auto body = [&]() -> Task<void> {
    log->Start(std::make_unique<SimulatedFile>(disk), 0, policy);
    disk.writes_to_fail = writes_to_fail;
    for (int c = 0; c < clients; ++c) {
      Reactor::Current()->Spawn(Client(*log, policy, c, records, out, cut));
    }
    co_await Delay(cut_after);
    // The cut: what synced survives, and a torn part of what did not.
    cut = true;
    out.cut_at = absl::Now();
    std::mt19937 random(seed);
    const size_t extra = disk.written.size() - disk.durable.size();
    out.kept = disk.durable +
               disk.written.substr(disk.durable.size(),
                                   extra == 0 ? 0 : random() % (extra + 1));
    done.set_value();
  };
  EXPECT_TRUE(shards.Start([&](Reactor& r) { r.Spawn(body()); }).ok());
  done.get_future().wait();
  shards.Stop();
  return out;
}

TEST(LogWriterTest, AlwaysReleasesOnlyWhatAPowerCutKeeps) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    // (More records than the clients can append before the cut.)
    const Outcome out = RunAndCut(FsyncPolicy::kAlways, /*clients=*/8,
                            /*records=*/100'000'000,
                            absl::Milliseconds(50 + 30 * seed), seed);
    size_t acknowledged = 0, lost = 0;
    for (size_t i = 0; i < out.ends.size(); ++i) {
      if (out.acknowledged[i]) {
        ++acknowledged;
        EXPECT_LE(out.ends[i], out.kept.size()) << "record " << i;
      } else if (out.ends[i] > out.kept.size()) {
        ++lost;
      }
    }
    // Not vacuous: records were acknowledged, and some were not yet
    // durable when the power went.
    EXPECT_GT(acknowledged, 100u) << "seed " << seed;
    EXPECT_GT(out.ends.size(), acknowledged) << "seed " << seed;
  }
}

TEST(LogWriterTest, EverySecLosesAtMostAboutTheLastSecond) {
  const Outcome out =
      RunAndCut(FsyncPolicy::kEverySec, /*clients=*/4, /*records=*/300000,
          absl::Milliseconds(2500), /*seed=*/7);
  size_t lost = 0;
  for (size_t i = 0; i < out.ends.size(); ++i) {
    if (out.ends[i] <= out.kept.size()) continue;
    ++lost;
    EXPECT_GE(out.appended_at[i], out.cut_at - absl::Milliseconds(1500))
        << "record " << i << " appended "
        << absl::FormatDuration(out.cut_at - out.appended_at[i])
        << " before the cut";
  }
  EXPECT_GT(out.ends.size(), lost);
  std::cout << lost << " of " << out.ends.size()
            << " records lost to the cut under everysec\n";
}

TEST(LogWriterTest, FailedWritesAreRetriedAndLoseNothing) {
  const Outcome out = RunAndCut(FsyncPolicy::kAlways, /*clients=*/4,
                          /*records=*/50, absl::Milliseconds(4000),
                          /*seed=*/3, /*writes_to_fail=*/2);
  ASSERT_EQ(out.ends.size(), 200u);
  for (size_t i = 0; i < out.ends.size(); ++i) {
    EXPECT_TRUE(out.acknowledged[i]) << "record " << i;
    EXPECT_LE(out.ends[i], out.kept.size()) << "record " << i;
  }
}

// Appends `records` records, a millisecond apart.
Task<void> Append(LogWriter& log, int records) {
  for (int n = 0; n < records; ++n) {
    log.buffer() += Record(0, n);
    log.Commit();
    co_await Delay(absl::Milliseconds(1));
  }
}

TEST(LogWriterTest, AFailedSyncsBytesAreWrittenAgain) {
  SimulatedDisk disk;
  disk.syncs_to_fail = 1;
  LogWriter log;
  RunOnShard([&]() -> Task<void> {
    log.Start(std::make_unique<SimulatedFile>(disk), 0, FsyncPolicy::kEverySec);
    co_await Append(log, 100);
    // The first sync, about a second in, fails; the retry a second later
    // must store every byte, those of the failed sync too.
    co_await log.WaitDurable(log.appended());
  });
  EXPECT_EQ(disk.syncs_to_fail, 0);
  EXPECT_EQ(log.error(), 0);
  EXPECT_EQ(log.stats().write_errors, 1u);
  EXPECT_EQ(disk.durable, disk.written);
}

TEST(LogWriterTest, AFailedSyncUnderAlwaysAlsoRewritesWhatEverySecLeft) {
  SimulatedDisk disk;
  LogWriter log;
  RunOnShard([&]() -> Task<void> {
    log.Start(std::make_unique<SimulatedFile>(disk), 0, FsyncPolicy::kEverySec);
    co_await Append(log, 50);  // well within everysec's first second
    disk.syncs_to_fail = 1;
    log.set_policy(FsyncPolicy::kAlways);
    co_await Append(log, 1);
    co_await log.WaitDurable(log.appended());
  });
  EXPECT_EQ(disk.syncs_to_fail, 0);
  EXPECT_EQ(disk.durable, disk.written);
}

TEST(LogWriterTest, TheLastFlushWritesAFailedSyncsBytesAgain) {
  SimulatedDisk disk;
  disk.syncs_to_fail = 1;
  LogWriter log;
  RunOnShard([&]() -> Task<void> {
    log.Start(std::make_unique<SimulatedFile>(disk), 0, FsyncPolicy::kEverySec);
    co_await Append(log, 20);
    while (log.error() == 0) co_await Delay(absl::Milliseconds(10));
  });
  // As at SIGTERM: the loop has stopped before its retry.
  EXPECT_EQ(log.FlushBlocking(), 0);
  EXPECT_EQ(disk.durable, disk.written);
}

TEST(LogWriterTest, OverItsBacklogLimitItCountsItselfBehindUntilWritten) {
  SimulatedDisk disk;
  LogWriter log;
  std::atomic<uint32_t> behind{0};
  const uint64_t limit = 3 * Record(0, 0).size();
  uint32_t at_first = 9, past_limit = 9, once_written = 9, while_failing = 9;
  RunOnShard([&]() -> Task<void> {
    log.LimitBacklog(limit, &behind);
    log.Start(std::make_unique<SimulatedFile>(disk), 0, FsyncPolicy::kNo);
    log.buffer() += Record(0, 0);
    log.Commit();
    at_first = behind.load();
    for (int n = 1; n < 10; ++n) {
      log.buffer() += Record(0, n);
      log.Commit();
    }
    past_limit = behind.load();
    co_await log.WaitDurable(log.appended());
    once_written = behind.load();
    // A disk that refuses writes: appenders get -MISCONF rather than wait
    // for it, so the writer does not count itself behind meanwhile.
    disk.writes_to_fail = 1;
    for (int n = 10; n < 20; ++n) {
      log.buffer() += Record(0, n);
      log.Commit();
    }
    while (log.error() == 0) co_await Delay(absl::Milliseconds(1));
    while_failing = behind.load();
    co_await log.WaitDurable(log.appended());  // the retry, a second later
  });
  EXPECT_EQ(at_first, 0u);
  EXPECT_EQ(past_limit, 1u);
  EXPECT_EQ(once_written, 0u);
  EXPECT_EQ(while_failing, 0u);
  EXPECT_EQ(behind.load(), 0u);
  EXPECT_EQ(disk.written.size(), log.appended());
}

TEST(LogWriterTest, SyncSoonSyncsWhatWasWrittenBeforeTheSecondIsUp) {
  SimulatedDisk disk;
  LogWriter log;
  uint64_t covered = 0, written = 0;
  int syncs_after = 0;
  absl::Duration took;
  RunOnShard([&]() -> Task<void> {
    log.Start(std::make_unique<SimulatedFile>(disk), 0, FsyncPolicy::kEverySec);
    co_await Append(log, 5);
    written = log.written();
    const absl::Time asked = absl::Now();
    covered = log.SyncSoon();
    co_await log.WaitDurable(covered);
    took = absl::Now() - asked;
    // Once done, writes wait for the second's sync again.
    co_await Append(log, 20);
    syncs_after = disk.syncs;
  });
  EXPECT_GT(written, 0u);
  EXPECT_EQ(covered, written);
  EXPECT_EQ(syncs_after, 1);
  EXPECT_GE(disk.durable.size(), covered);
  // Everysec's own sync would come a second after the start; this one
  // takes one simulated sync (300 us), plus whatever a busy machine adds.
  EXPECT_LT(took, absl::Milliseconds(800));
}

}  // namespace
}  // namespace shardd::aio
