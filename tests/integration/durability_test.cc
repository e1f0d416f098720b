// The append-only log across restarts: what was written is there after a
// clean stop and a start, with the same or another shard count, and after
// compactions under load; a compaction of large values holds little of
// them at once; writers faster than the log wait for it; a disk that
// refuses writes gives -MISCONF to writes while reads go on, and writes
// come back when it accepts them again; a pop that waited replays as the
// pop it did. (The log files themselves: log_files_test.)
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/restarts.h"
#include "tests/integration/support/dataset_dump.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

TEST(DurabilityTest, EverythingWrittenIsThereAfterRestartsWithAnyShardCount) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  Dataset before;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(4);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> client = ConnectTo(**server);
    ASSERT_TRUE(client.ok()) << client.status();
    WriteEveryKind(*client);
    if (HasFatalFailure()) return;
    absl::StatusOr<Dataset> dump = DumpDataset(*client);
    ASSERT_TRUE(dump.ok()) << dump.status();
    before = *dump;
    ASSERT_FALSE(before.contains("doomed"));
    ASSERT_TRUE(before.contains("s:ex"));
    ASSERT_FALSE(before.contains("s:past"));
    ASSERT_TRUE((*server)->Stop().ok());
  }
  for (int shards : {4, 1, 3, 2}) {
    SCOPED_TRACE(absl::StrCat(shards, " shards"));
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(shards);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<Dataset> after = DumpOf(**server);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_EQ(*after, before) << DescribeDifference(before, *after);
    ASSERT_TRUE((*server)->Stop().ok());
  }
}

TEST(DurabilityTest, WritesAfterRestartAppendAndReplayInOrder) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  // Each run changes what the runs before wrote; the last value wins.
  for (int run = 0; run < 4; ++run) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        runs.Start(run % 2 == 0 ? 2 : 3);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    // Run 2 ends with a FLUSHALL: run 3 starts from nothing.
    const int expected = run == 3 ? 1 : run + 1;
    EXPECT_EQ(*c->Command({"INCR", "runs"}), Integer(expected));
    EXPECT_EQ(*c->Command({"RPUSH", "history", absl::StrCat(run)}),
              Integer(expected));
    EXPECT_EQ(*c->Command({"SET", "last", absl::StrCat(run)}), kOk);
    if (run == 2) {
      EXPECT_EQ(*c->Command({"FLUSHALL"}), kOk);
    }
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c->Command({"GET", "runs"}), Bulk("1"));
  EXPECT_EQ(*c->Command({"LRANGE", "history", "0", "-1"}), "*1\r\n$1\r\n3\r\n");
  EXPECT_EQ(*c->Command({"GET", "last"}), Bulk("3"));
}

// Asks INFO until aof_rewrites reaches `count`.
bool WaitForRewrites(RespClient& c, int count) {
  return Eventually(absl::Seconds(60), [&] {
    absl::StatusOr<std::string> reply = c.Command({"INFO", "persistence"});
    return reply.ok() &&
           absl::StrContains(*reply, absl::StrCat("aof_rewrites:", count,
                                                  "\r\n"));
  });
}

// Compactions while clients write: the dataset afterwards, and after a
// restart with another shard count, is the one the writes made, and the
// logs are one generation with a base per shard.
TEST(DurabilityTest, CompactionUnderLoadKeepsTheDataset) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  Dataset before;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(3);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    WriteEveryKind(*c);
    if (HasFatalFailure()) return;
    // Writers change keys the walks have and have not reached yet.
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&, w] {
        absl::StatusOr<RespClient> wc = ConnectTo(**server);
        if (!wc.ok()) return;
        for (int i = 0; i < 200'000 && !stop; ++i) {
          const std::string n = absl::StrCat(i % 500);
          const std::vector<std::vector<std::string>> batch = {
              {"INCR", absl::StrCat("load:counter:", w, ":", n)},
              {"RPUSH", absl::StrCat("load:list:", w), n},
              {"HSET", absl::StrCat("load:hash:", w), n, absl::StrCat(i)},
              {"SADD", absl::StrCat("load:set:", n), absl::StrCat(w)},
              {"DEL", absl::StrCat("load:gone:", n)},
              {"SET", absl::StrCat("load:gone:", (i + 1) % 500), "x"}};
          for (const auto& command : batch) {
            if (!wc->Command(command).ok()) return;
          }
        }
      });
    }
    for (int round = 1; round <= 3; ++round) {
      absl::SleepFor(absl::Milliseconds(50));
      ASSERT_EQ(*c->Command({"BGREWRITEAOF"}),
                "+Background append only file rewriting started\r\n");
      ASSERT_TRUE(WaitForRewrites(*c, round));
    }
    stop = true;
    for (std::thread& t : writers) t.join();
    absl::StatusOr<Dataset> dump = DumpDataset(*c);
    ASSERT_TRUE(dump.ok()) << dump.status();
    before = *dump;
    ASSERT_TRUE((*server)->Stop().ok());
  }
  EXPECT_EQ(ReadFile(runs.LogDir() + "/manifest"),
            "shardd-aof 1\ngeneration 4 files 3 base\n");
  for (int shards : {2, 3}) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(shards);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<Dataset> after = DumpOf(**server);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_EQ(*after, before) << DescribeDifference(before, *after);
    ASSERT_TRUE((*server)->Stop().ok());
  }
}

// The records a compaction holds before writing them are bounded by bytes,
// not only by keys walked: large values stay within issue 14's 10% of the
// dataset (a slice of 512 keys of 100 KB would hold 51 MB).
TEST(DurabilityTest, ACompactionOfLargeValuesHoldsLittleOfThem) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  constexpr int kKeys = 200;
  constexpr size_t kValueBytes = 100'000;
  const auto value = [](int i) {
    return absl::StrCat(i, ":", std::string(kValueBytes, 'v'));
  };
  Restarts runs;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    for (int i = 0; i < kKeys; ++i) {
      ASSERT_EQ(*c->Command({"SET", absl::StrCat("big:", i), value(i)}), kOk);
    }
    ASSERT_EQ(*c->Command({"BGREWRITEAOF"}),
              "+Background append only file rewriting started\r\n");
    ASSERT_TRUE(WaitForRewrites(*c, 1));
    const std::optional<std::string> info =
        BulkOf(*c->Command({"INFO", "persistence"}));
    ASSERT_TRUE(info.has_value());
    const std::optional<int64_t> peak =
        InfoInteger(*info, "aof_rewrite_peak_bytes");
    ASSERT_TRUE(peak.has_value()) << *info;
    EXPECT_GT(*peak, 0);
    EXPECT_LT(*peak, static_cast<int64_t>(kKeys * kValueBytes / 10));
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(2);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_EQ(*c->Command({"GET", absl::StrCat("big:", i)}), Bulk(value(i)))
        << i;
  }
}

TEST(DurabilityTest, AppendonlyOffKeepsNothing) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  for (int run = 0; run < 2; ++run) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        runs.Start(2, {"--appendonly=false"});
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(*c->Command({"INCR", "n"}), Integer(1));
    EXPECT_EQ(*c->Command({"CONFIG", "GET", "appendonly"}),
              "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
    ASSERT_TRUE((*server)->Stop().ok());
  }
  struct stat st {};
  EXPECT_NE(stat(runs.LogDir().c_str(), &st), 0) << "no log directory";
}

// A pop that waited (BZPOPMIN, BLMPOP, BZMPOP) is logged as the pop it
// did, not as a blocking command a replay would have to wait in: the
// restarted server has the same data, and starts.
TEST(DurabilityTest, BlockedPopsReplayAsThePopsTheyDid) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  Dataset before;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(4);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> control = ConnectTo(**server);
    ASSERT_TRUE(control.ok()) << control.status();
    const std::vector<std::vector<std::string>> waits = {
        {"BZMPOP", "0", "2", "za", "zb", "MAX", "COUNT", "2"},
        {"BLMPOP", "0", "1", "lx", "RIGHT", "COUNT", "2"},
        {"BZPOPMIN", "zc", "0"}};
    std::vector<RespClient> waiters;
    for (const std::vector<std::string>& wait : waits) {
      absl::StatusOr<RespClient> waiter = ConnectTo(**server);
      ASSERT_TRUE(waiter.ok()) << waiter.status();
      ASSERT_TRUE(waiter->Send(EncodeCommand(wait)).ok());
      waiters.push_back(*std::move(waiter));
      const size_t blocked = waiters.size();
      ASSERT_TRUE(Eventually(absl::Seconds(10), [&] {
        const std::string info =
            BulkOf(*control->Command({"INFO", "clients"})).value_or("");
        return absl::StrContains(info,
                                 absl::StrCat("blocked_clients:", blocked));
      }));
    }
    ASSERT_EQ(*control->Command({"ZADD", "zb", "1", "a", "2", "b", "3", "c"}),
              Integer(3));
    ASSERT_EQ(*control->Command({"RPUSH", "lx", "1", "2", "3"}), Integer(3));
    ASSERT_EQ(*control->Command({"ZADD", "zc", "5", "m", "6", "n"}),
              Integer(2));
    for (RespClient& waiter : waiters) {
      absl::StatusOr<std::string> reply = waiter.ReadReply();
      ASSERT_TRUE(reply.ok()) << reply.status();
      EXPECT_NE(*reply, "*-1\r\n");
    }
    absl::StatusOr<Dataset> dump = DumpDataset(*control);
    ASSERT_TRUE(dump.ok()) << dump.status();
    before = *dump;
    ASSERT_EQ(before.size(), 3u);  // zb with a, lx with 1, zc with n
    ASSERT_TRUE((*server)->Stop().ok());
  }
  // The records are the non-blocking pops.
  std::string logs;
  for (int shard = 0; shard < 4; ++shard) {
    logs += ReadFile(absl::StrCat(runs.LogDir(), "/g1-", shard, ".aof"));
  }
  EXPECT_TRUE(absl::StrContains(logs, "$7\r\nZPOPMAX\r\n$2\r\nzb\r\n$1\r\n2"))
      << logs;
  EXPECT_TRUE(absl::StrContains(logs, "$4\r\nRPOP\r\n$2\r\nlx\r\n$1\r\n2"))
      << logs;
  EXPECT_TRUE(absl::StrContains(logs, "$7\r\nZPOPMIN\r\n$2\r\nzc\r\n")) << logs;
  for (const char* blocking : {"BZMPOP", "BLMPOP", "BZPOPMIN"}) {
    EXPECT_FALSE(absl::StrContains(logs, blocking)) << logs;
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(2);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<Dataset> after = DumpOf(**server);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, before) << DescribeDifference(before, *after);
  ASSERT_TRUE((*server)->Stop().ok());
}

// With a password set, the log is replayed all the same: replay is no
// client and needs no AUTH.
TEST(DurabilityTest, ReplayNeedsNoPassword) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  for (int run = 1; run <= 2; ++run) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        runs.Start(2, {"--requirepass=pw"});
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_EQ(*c->Command({"AUTH", "pw"}), "+OK\r\n");
    EXPECT_EQ(*c->Command({"INCR", "n"}), Integer(run));
    EXPECT_EQ(*c->Command({"MSET", "a", "1", "b", "2", "c", "3"}), "+OK\r\n");
    EXPECT_EQ(*c->Command({"DBSIZE"}), Integer(4));
    ASSERT_TRUE((*server)->Stop().ok());
  }
}

TEST(DurabilityTest, InfoAndConfigReportTheLog) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      runs.Start(2, {"--appendfsync=always"});
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c->Command({"CONFIG", "GET", "appendfsync"}),
            "*2\r\n$11\r\nappendfsync\r\n$6\r\nalways\r\n");
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(*c->Command({"SET", absl::StrCat("k", i), "v"}), kOk);
  }
  const std::optional<std::string> info =
      BulkOf(*c->Command({"INFO", "persistence"}));
  ASSERT_TRUE(info.has_value());
  for (const char* field :
       {"aof_enabled:1\r\n", "aof_last_write_status:ok\r\n",
        "aof_records:50\r\n", "aof_replies_before_durable:0\r\n",
        "loading:0\r\n", "aof_shard_1:"}) {
    EXPECT_TRUE(absl::StrContains(*info, field)) << field << "\n" << *info;
  }
  EXPECT_FALSE(absl::StrContains(*info, "aof_fsyncs:0\r\n")) << *info;
}

// INFO's rdb_changes_since_last_save counts the writes that changed
// something since the start (shardd saves no snapshot to reset it), not
// the replay of the log, and CONFIG RESETSTAT does not reset it.
TEST(DurabilityTest, ChangesSinceLastSaveCountWritesButNotTheReplay) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  Restarts runs;
  const auto changes = [](RespClient& c) {
    const std::optional<std::string> info =
        BulkOf(*c.Command({"INFO", "persistence"}));
    if (!info.has_value()) return std::string("no INFO");
    const size_t at = info->find("rdb_changes_since_last_save:");
    if (at == std::string::npos) return std::string("no field");
    return info->substr(at, info->find('\r', at) - at);
  };
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(2);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(changes(*c), "rdb_changes_since_last_save:0");
    EXPECT_EQ(*c->Command({"SET", "a", "1"}), kOk);
    EXPECT_EQ(*c->Command({"SADD", "s", "x"}), Integer(1));
    // Writes that change nothing do not count.
    EXPECT_EQ(*c->Command({"SADD", "s", "x"}), Integer(0));
    EXPECT_EQ(*c->Command({"DEL", "nothere"}), Integer(0));
    EXPECT_EQ(*c->Command({"SETBIT", "bits", "3", "0"}), Integer(0));
    EXPECT_EQ(*c->Command({"SETBIT", "bits", "3", "0"}), Integer(0));
    // A whole command over held values, and a transaction's commands.
    EXPECT_EQ(*c->Command({"RENAME", "a", "b"}), kOk);
    EXPECT_EQ(*c->Command({"MULTI"}), "+OK\r\n");
    EXPECT_EQ(*c->Command({"SET", "n", "1"}), "+QUEUED\r\n");
    EXPECT_EQ(*c->Command({"INCR", "n"}), "+QUEUED\r\n");
    EXPECT_EQ(*c->Command({"EXEC"}), "*2\r\n+OK\r\n:2\r\n");
    EXPECT_EQ(changes(*c), "rdb_changes_since_last_save:6");
    // Not a statistic: CONFIG RESETSTAT leaves it, as in Redis.
    EXPECT_EQ(*c->Command({"CONFIG", "RESETSTAT"}), kOk);
    EXPECT_EQ(changes(*c), "rdb_changes_since_last_save:6");
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(2);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c->Command({"GET", "n"}), "$1\r\n2\r\n");
  EXPECT_EQ(changes(*c), "rdb_changes_since_last_save:0");
  EXPECT_EQ(*c->Command({"SET", "a", "1"}), kOk);
  EXPECT_EQ(changes(*c), "rdb_changes_since_last_save:1");
}

// With --aof_buffer_limit at one byte, every log write under way holds
// back the next commands of every connection (back-pressure); the writes
// still all get their replies, and all are there after a restart.
TEST(DurabilityTest, WritersFasterThanTheLogWaitForItAndLoseNothing) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  constexpr int kClients = 4;  // (several wait on one shard at a time)
  constexpr int kWrites = 48;
  const auto value = [](int client, int i) {
    return absl::StrCat(client, ":", i, ":", std::string(128 << 10, 'v'));
  };
  Restarts runs;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        runs.Start(2, {"--aof_buffer_limit=1", "--appendfsync=no"});
    ASSERT_TRUE(server.ok()) << server.status();
    std::vector<RespClient> clients;
    for (int c = 0; c < kClients; ++c) {
      absl::StatusOr<RespClient> client = ConnectTo(**server);
      ASSERT_TRUE(client.ok()) << client.status();
      clients.push_back(*std::move(client));
    }
    // Every client's writes in one pipeline, so that batches start while
    // the logs write what came before.
    for (int c = 0; c < kClients; ++c) {
      std::string pipeline;
      for (int i = 0; i < kWrites; ++i) {
        pipeline += EncodeCommand(
            {"SET", absl::StrCat("big:", c, ":", i), value(c, i)});
      }
      ASSERT_TRUE(clients[c].Send(pipeline).ok());
    }
    for (RespClient& client : clients) {
      for (int i = 0; i < kWrites; ++i) ASSERT_EQ(*client.ReadReply(), kOk);
    }
    const std::optional<std::string> info =
        BulkOf(*clients[0].Command({"INFO", "persistence"}));
    ASSERT_TRUE(info.has_value());
    const std::optional<int64_t> waits =
        InfoInteger(*info, "aof_buffer_limit_waits");
    ASSERT_TRUE(waits.has_value()) << *info;
    EXPECT_GT(*waits, 0) << "the limit was never reached";
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  for (int client = 0; client < kClients; ++client) {
    for (int i = 0; i < kWrites; ++i) {
      ASSERT_EQ(*c->Command({"GET", absl::StrCat("big:", client, ":", i)}),
                Bulk(value(client, i)))
          << client << " " << i;
    }
  }
}

// RLIMIT_FSIZE stands in for a full disk: a write past it fails (EFBIG),
// shardd ignores SIGXFSZ.
TEST(DurabilityTest, FullDiskRefusesWritesServesReadsAndRecovers) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  constexpr int kLimit = 64 * 1024;
  Restarts runs;
  std::vector<std::string> argv = {"prlimit",
                                   absl::StrCat("--fsize=", kLimit,
                                                ":unlimited"),
                                   "--"};
  // ServerProcess runs argv[0] with the rest as flags.
  std::vector<std::string> shardd = runs.Argv(1);
  argv.insert(argv.end(), shardd.begin(), shardd.end());
  // The failed write's bytes stay over this limit until the disk takes
  // them: reads must go on all the same (a failing log holds no one back;
  // writes get -MISCONF instead).
  argv.push_back("--aof_buffer_limit=1");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(argv[0], {argv.begin() + 1, argv.end()});
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string value(1000, 'v');
  ASSERT_EQ(*c->Command({"SET", "kept", "yes"}), kOk);
  int acknowledged = 0;
  std::string refused;
  for (int i = 0; i < 1000 && refused.empty(); ++i) {
    absl::StatusOr<std::string> reply =
        c->Command({"SET", absl::StrCat("fill", i), value});
    ASSERT_TRUE(reply.ok()) << reply.status();
    if ((*reply)[0] == '-') {
      refused = *reply;
    } else {
      ++acknowledged;
    }
  }
  ASSERT_TRUE(absl::StartsWith(refused, "-MISCONF Errors writing to the AOF "
                                        "file: "))
      << Printable(refused);
  EXPECT_EQ(*c->Command({"GET", "kept"}), Bulk("yes"));
  const std::optional<std::string> info =
      BulkOf(*c->Command({"INFO", "persistence"}));
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(absl::StrContains(*info, "aof_last_write_status:err")) << *info;

  // Room again: the retry (once a second) succeeds and writes are back.
  const ProgramResult raise = RunProgram(
      {"prlimit", "--pid", absl::StrCat((*server)->pid()),
       "--fsize=unlimited:unlimited"});
  ASSERT_EQ(raise.exit_code, 0) << raise.stderr_text;
  EXPECT_TRUE(Eventually(absl::Seconds(10), [&] {
    absl::StatusOr<std::string> reply =
        c->Command({"SET", "after", "room"});
    return reply.ok() && *reply == kOk;
  }));
  ASSERT_TRUE((*server)->Stop().ok());

  // Every acknowledged write survived.
  absl::StatusOr<std::unique_ptr<ServerProcess>> again = runs.Start(1);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<RespClient> d = ConnectTo(**again);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d->Command({"GET", "kept"}), Bulk("yes"));
  EXPECT_EQ(*d->Command({"GET", "after"}), Bulk("room"));
  for (int i = 0; i < acknowledged; ++i) {
    EXPECT_EQ(*d->Command({"STRLEN", absl::StrCat("fill", i)}),
              Integer(1000))
        << i;
  }
}

}  // namespace
}  // namespace shardd::integration
