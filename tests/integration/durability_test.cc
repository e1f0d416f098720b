// The append-only log across restarts: what was written is there after a
// clean stop and a start, with the same or another shard count; a torn
// tail is cut and the rest loads; corruption elsewhere stops the start with
// the offset; a disk that refuses writes gives -MISCONF to writes while
// reads go on, and writes come back when it accepts them again.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/dataset_dump.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

// A shardd on a data directory that outlives it: started, stopped and
// started again on the same --dir.
class Restarts {
 public:
  Restarts() {
    absl::StatusOr<std::vector<std::string>> flags =
        WithTestDefaults({"--port=0"}, &dir_);
    if (flags.ok()) base_flags_ = *flags;
  }
  const std::string& dir() const { return dir_.path(); }
  std::string LogDir() const { return dir() + "/aof"; }

  // shardd on the directory with `shards` shards and `flags`.
  absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      int shards, std::vector<std::string> flags = {}) {
    std::vector<std::string> all = base_flags_;
    all.push_back(absl::StrCat("--shards=", shards));
    all.insert(all.end(), flags.begin(), flags.end());
    return ServerProcess::Start(ShardBinary(), all);
  }
  std::vector<std::string> Argv(int shards) const {
    std::vector<std::string> argv = {ShardBinary()};
    argv.insert(argv.end(), base_flags_.begin(), base_flags_.end());
    argv.push_back(absl::StrCat("--shards=", shards));
    return argv;
  }

 private:
  TempDir dir_;  // declared first: removed after every server stopped
  std::vector<std::string> base_flags_;
};

absl::StatusOr<RespClient> ConnectTo(const ServerProcess& server) {
  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", server.port());
  if (client.ok()) client->set_timeout(absl::Seconds(10));
  return client;
}

// Writes of every kind the log must carry, over keys of every shard of 4:
// each type, expiries relative and absolute, commands logged by their
// effect (SPOP, INCRBYFLOAT, SET EX), moves across shards, a FLUSHALL
// followed by more writes, and transactions.
void WriteEveryKind(RespClient& c, bool with_flushall = true) {
  std::vector<std::vector<std::string>> commands = {
      {"SET", "doomed", "x"},
      {"RPUSH", "doomed:list", "a", "b"},
      {"FLUSHALL"},
  };
  if (!with_flushall) commands.clear();
  const std::vector<std::vector<std::string>> rest = {
      {"SET", "s:plain", std::string("bin\0ary\r\n", 10)},
      {"SET", "s:ex", "v", "EX", "1000"},
      {"SET", "s:px", "v", "PX", "900000"},
      {"SETEX", "s:setex", "500", "v"},
      {"SET", "s:counter", "10"},
      {"INCR", "s:counter"},
      {"INCRBY", "s:counter", "5"},
      {"INCRBYFLOAT", "s:float", "1.1"},
      {"INCRBYFLOAT", "s:float", "2.25"},
      {"APPEND", "s:plain", "-more"},
      {"SETRANGE", "s:range", "3", "abc"},
      {"SET", "s:gone", "v"},
      {"DEL", "s:gone"},
      {"SET", "s:expire", "v"},
      {"EXPIRE", "s:expire", "3000"},
      {"SET", "s:persist", "v", "EX", "100"},
      {"PERSIST", "s:persist"},
      {"SET", "s:past", "v"},
      {"PEXPIREAT", "s:past", "1"},
      {"MSET", "m:a", "1", "m:b", "2", "m:c", "3", "m:d", "4", "m:e", "5"},
      {"DEL", "m:a", "m:c"},
      {"RENAME", "m:b", "m:renamed"},
      {"RPUSH", "l:list", "1", "2", "3", "4", "5"},
      {"LPUSH", "l:list", "0"},
      {"LPOP", "l:list"},
      {"LINSERT", "l:list", "BEFORE", "3", "2.5"},
      {"LSET", "l:list", "0", "one"},
      {"LMOVE", "l:list", "l:other", "RIGHT", "LEFT"},
      {"HSET", "h:hash", "f1", "v1", "f2", "v2", "f3", "v3"},
      {"HDEL", "h:hash", "f2"},
      {"HINCRBY", "h:hash", "n", "7"},
      {"HINCRBYFLOAT", "h:hash", "x", "0.5"},
      {"SADD", "set:a", "1", "2", "3", "4", "5", "6", "7", "8"},
      {"SPOP", "set:a"},
      {"SPOP", "set:a", "2"},
      {"SMOVE", "set:a", "set:b", "1"},
      {"SADD", "set:b", "x", "y"},
      {"SINTERSTORE", "set:inter", "set:a", "set:b"},
      {"SUNIONSTORE", "set:union", "set:a", "set:b"},
      {"ZADD", "z:zset", "1", "a", "2.5", "b", "-3", "c", "1e10", "d"},
      {"ZINCRBY", "z:zset", "0.1", "a"},
      {"ZPOPMIN", "z:zset"},
      {"ZREM", "z:zset", "d"},
      {"COPY", "z:zset", "z:copy"},
      {"MULTI"},
      {"INCR", "tx:a"},
      {"INCR", "tx:b"},
      {"SET", "tx:c", "v"},
      {"EXEC"},
  };
  commands.insert(commands.end(), rest.begin(), rest.end());
  for (const std::vector<std::string>& command : commands) {
    absl::StatusOr<std::string> reply = c.Command(command);
    ASSERT_TRUE(reply.ok()) << command[0] << ": " << reply.status();
    ASSERT_NE((*reply)[0], '-') << command[0] << ": " << Printable(*reply);
  }
}

absl::StatusOr<Dataset> DumpOf(const ServerProcess& server) {
  absl::StatusOr<RespClient> client = ConnectTo(server);
  if (!client.ok()) return client.status();
  return DumpDataset(*client);
}

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

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

// The logs are Redis's AOF format: redis-check-aof passes each, and
// `redis-cli --pipe` replays them into a real redis-server, which then
// holds the same data (it answers the #TX annotation lines with an error
// and goes on). Without a FLUSHALL: replayed one after the other, one
// file's FLUSHALL would wipe the keys of the files before it.
TEST(DurabilityTest, LogsAreRedisAofAndReplayIntoRedis) {
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(DurabilityTest, TornTailIsCutAndTheRestLoads) {
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

TEST(DurabilityTest, CorruptionBeforeTheTailStopsTheStartWithTheOffset) {
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
