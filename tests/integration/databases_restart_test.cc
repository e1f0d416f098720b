// Redis's numbered databases across restarts of the real binary: what
// writes in several databases leave (the same name in several, TTLs, MOVE,
// SWAPDB, FLUSHDB, COPY ... DB, SELECT inside MULTI, a cross-shard MSET) is
// first compared with a real redis-server 7.0, then must come back whole
// after a restart on the same shard count and on another, also after a
// compaction of the log and after writes made since a restart; and a log
// naming a database past --databases stops the start.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/database_dumps.h"
#include "tests/integration/reference_server_test.h"
#include "tests/integration/restarts.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;

// Writes over two connections in databases 0, 1, 2, 3, 4 and 7, with every
// way a key changes database: the same name with different values in
// several, TTLs, MOVE, SWAPDB, a FLUSHDB of one database, COPY ... DB,
// a MULTI with SELECTs inside, an MSET over every shard. `a` ends in db 1,
// `b` in db 1.
void WriteDatabases(RespClient& a, RespClient& b) {
  std::vector<std::string> mset = {"MSET"};
  for (uint32_t shard = 0; shard < kShards; ++shard) {
    mset.insert(mset.end(),
                {KeyOn(shard, kShards, "m"), absl::StrCat("seven", shard)});
  }
  const std::vector<std::pair<RespClient*, Command>> writes = {
      {&a, {"SET", "dup", "zero"}},
      {&a, {"RPUSH", "list", "a", "b", "c"}},
      {&a, {"HSET", "hash", "f1", "v1", "f2", "v2"}},
      {&a, {"ZADD", "zset", "1", "one", "2", "two"}},
      {&a, {"SET", "ttl", "v", "EX", "100000"}},
      {&b, {"SELECT", "1"}},
      {&b, {"SET", "dup", "one"}},
      {&b, {"SADD", "set", "x", "y", "z"}},
      {&b, {"SET", "moving", "m", "PX", "90000000"}},
      {&a, {"INCR", "counter"}},
      {&b, {"MOVE", "moving", "7"}},
      {&b, {"INCRBY", "counter", "10"}},
      {&a, {"INCR", "counter"}},
      {&a, {"SELECT", "2"}},
      {&a, {"SET", "swapped", "two"}},
      {&a, {"HSET", "swapped:hash", "f", "v"}},
      {&a, {"SWAPDB", "2", "3"}},
      {&b, {"SELECT", "4"}},
      {&b, {"SET", "dup", "four"}},
      {&b, {"RPUSH", "doomed", "a"}},
      {&b, {"FLUSHDB"}},
      {&a, {"SELECT", "7"}},
      {&a, mset},
      {&a, {"SELECT", "0"}},
      {&a, {"MULTI"}},
      {&a, {"SELECT", "7"}},
      {&a, {"SET", "tx:seven", "7"}},
      {&a, {"INCR", "counter"}},
      {&a, {"SELECT", "1"}},
      {&a, {"RPUSH", "tx:list", "a", "b"}},
      {&a, {"EXEC"}},
      {&a, {"SET", "after:exec", "v"}},
      {&b, {"SELECT", "1"}},
      {&b, {"COPY", "dup", "dup", "DB", "7"}},
  };
  for (const auto& [client, command] : writes) {
    const std::string reply = Call(*client, command);
    ASSERT_FALSE(reply.empty() || reply[0] == '-' ||
                 absl::StrContains(reply, "\r\n-"))
        << Describe(command) << ": " << Printable(reply);
  }
}

// After a compaction, `a` writes on in db 1 without a SELECT (the log's
// next records must still say db 1), then in 3; `b` in 7, then swaps 0
// and 7.
void WriteAfterCompaction(RespClient& a, RespClient& b) {
  const std::vector<std::pair<RespClient*, Command>> writes = {
      {&a, {"SET", "post:one", "1"}},
      {&a, {"SREM", "set", "x"}},
      {&b, {"SELECT", "7"}},
      {&b, {"RPUSH", "post:list", "x"}},
      {&b, {"SET", "dup", "seven", "KEEPTTL"}},
      {&a, {"SELECT", "3"}},
      {&a, {"DEL", "swapped"}},
      {&a, {"SET", "post:three", "3", "EX", "100000"}},
      {&b, {"SWAPDB", "0", "7"}},
      {&a, {"INCR", "post:three:counter"}},
  };
  for (const auto& [client, command] : writes) {
    const std::string reply = Call(*client, command);
    ASSERT_FALSE(reply.empty() || reply[0] == '-')
        << Describe(command) << ": " << Printable(reply);
  }
}

// Asks INFO persistence until the first compaction has finished.
bool WaitForFirstRewrite(RespClient& c) {
  return Eventually(absl::Seconds(60), [&] {
    absl::StatusOr<std::string> info = c.Command({"INFO", "persistence"});
    return info.ok() && absl::StrContains(*info, "aof_rewrites:1\r\n") &&
           absl::StrContains(*info, "aof_rewrite_in_progress:0\r\n");
  });
}

// The datasets `write` leaves, on Redis and on a shardd restarted (on the
// same shard count, then on another) on its data directory: Redis's, then
// the same again after each restart, expiries to the millisecond.
class DatabasesRestartTest : public ReferenceServerTest {
 protected:
  Connector Theirs() {
    return [this] { return ConnectReference(); };
  }

  using Write = std::function<void(RespClient& a, RespClient& b,
                                   RespClient& admin, bool shardd)>;

  void ExpectRestoredAfterRestarts(const Write& write) {
    RespClient their_a = MustConnectTo(Theirs());
    RespClient their_b = MustConnectTo(Theirs());
    ASSERT_FALSE(HasFailure());
    write(their_a, their_b, their_a, /*shardd=*/false);
    if (HasFatalFailure()) return;
    absl::StatusOr<Databases> theirs = DumpDatabases(their_a);
    ASSERT_TRUE(theirs.ok()) << theirs.status();

    Restarts runs;
    Databases before;
    {
      absl::StatusOr<std::unique_ptr<ServerProcess>> server =
          runs.Start(kShards);
      ASSERT_TRUE(server.ok()) << server.status();
      absl::StatusOr<RespClient> a = ConnectTo(**server);
      absl::StatusOr<RespClient> b = ConnectTo(**server);
      absl::StatusOr<RespClient> admin = ConnectTo(**server);
      ASSERT_TRUE(a.ok() && b.ok() && admin.ok());
      write(*a, *b, *admin, /*shardd=*/true);
      if (HasFatalFailure()) return;
      absl::StatusOr<Databases> dump = DumpDatabases(*admin);
      ASSERT_TRUE(dump.ok()) << dump.status();
      before = *dump;
      const Databases x = WithoutExpiryTimes(before);
      const Databases y = WithoutExpiryTimes(*theirs);
      ASSERT_EQ(x, y) << DescribeDatabaseDifference(x, y);
      ASSERT_TRUE((*server)->Stop().ok());
    }
    for (const int shards : {kShards, 3}) {
      SCOPED_TRACE(absl::StrCat("restarted on ", shards, " shards"));
      absl::StatusOr<std::unique_ptr<ServerProcess>> server =
          runs.Start(shards);
      ASSERT_TRUE(server.ok()) << server.status();
      absl::StatusOr<RespClient> c = ConnectTo(**server);
      ASSERT_TRUE(c.ok()) << c.status();
      // A new connection starts in db 0.
      EXPECT_EQ(
          Call(*c, {"DBSIZE"}),
          Integer(before.contains(0) ? static_cast<int64_t>(before.at(0).size())
                                     : 0));
      absl::StatusOr<Databases> after = DumpDatabases(*c);
      ASSERT_TRUE(after.ok()) << after.status();
      EXPECT_EQ(*after, before) << DescribeDatabaseDifference(*after, before);
      ASSERT_TRUE((*server)->Stop().ok());
    }
  }
};

TEST_F(DatabasesRestartTest, EveryDatabaseComesBack) {
  ExpectRestoredAfterRestarts([](RespClient& a, RespClient& b, RespClient&,
                                 bool) { WriteDatabases(a, b); });
}

TEST_F(DatabasesRestartTest, EveryDatabaseComesBackAfterCompaction) {
  ExpectRestoredAfterRestarts(
      [](RespClient& a, RespClient& b, RespClient& admin, bool shardd) {
        WriteDatabases(a, b);
        if (::testing::Test::HasFatalFailure()) return;
        if (shardd) {
          ASSERT_EQ(Call(admin, {"BGREWRITEAOF"}),
                    "+Background append only file rewriting started\r\n");
          ASSERT_TRUE(WaitForFirstRewrite(admin));
        }
        WriteAfterCompaction(a, b);
      });
}

// A restart reopens the logs where the last run left them: records
// written after it must not land in the database the replay ended in.
TEST(DatabasesLogTest, WritesAfterARestartKeepTheirDatabase) {
  Restarts runs;
  const auto run = [&runs](const std::vector<Command>& commands) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(kShards);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    for (const Command& command : commands) {
      EXPECT_FALSE(absl::StartsWith(Call(*c, command), "-"))
          << Describe(command);
    }
    ASSERT_TRUE((*server)->Stop().ok());
  };
  // Keys on every shard, so that every shard's log ends in database 5.
  std::vector<Command> in_five = {{"SELECT", "5"}};
  std::vector<Command> in_zero;
  for (int i = 0; i < 16; ++i) {
    in_five.push_back({"SET", absl::StrCat("five:", i), "5"});
    in_zero.push_back({"SET", absl::StrCat("zero:", i), "0"});
  }
  in_zero.push_back({"FLUSHDB"});  // of database 0 only
  in_zero.push_back({"SET", "zero:after", "0"});
  run(in_five);
  run(in_zero);
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(kShards);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(SortedKeys(Call(*c, {"KEYS", "*"})),
            std::vector<std::string>{"zero:after"});
  EXPECT_EQ(Call(*c, {"SELECT", "5"}), kOk);
  EXPECT_EQ(Call(*c, {"DBSIZE"}), Integer(16));
}

// A log that holds keys of a database the server no longer has stops the
// start, rather than putting them in another.
TEST(DatabasesLogTest, FewerDatabasesThanTheLogNamesStopTheStart) {
  // (A SELECT is logged with the write that follows it.)
  for (const Command& command :
       std::vector<Command>{{"SELECT", "20"},
                            {"MOVE", "k", "20"},
                            {"SWAPDB", "0", "20"},
                            {"COPY", "k", "c", "DB", "20"}}) {
    SCOPED_TRACE(Describe(command));
    Restarts runs;
    {
      absl::StatusOr<std::unique_ptr<ServerProcess>> server =
          runs.Start(1, {"--databases=32"});
      ASSERT_TRUE(server.ok()) << server.status();
      absl::StatusOr<RespClient> c = ConnectTo(**server);
      ASSERT_TRUE(c.ok()) << c.status();
      ASSERT_EQ(Call(*c, {"SET", "k", "v"}), kOk);
      EXPECT_FALSE(absl::StartsWith(Call(*c, command), "-"));
      ASSERT_EQ(Call(*c, {"SET", "after", "v"}), kOk);
      ASSERT_TRUE((*server)->Stop().ok());
    }
    const ProgramResult run = RunProgram(runs.Argv(1), {}, absl::Seconds(30));
    EXPECT_NE(run.exit_code, 0);
    EXPECT_TRUE(run.stdout_text.empty()) << run.stdout_text;
    EXPECT_TRUE(absl::StrContains(run.stderr_text, "holds keys of database 20"))
        << run.stderr_text;
  }
}

}  // namespace
}  // namespace shardd::integration
