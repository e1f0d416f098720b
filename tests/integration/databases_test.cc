// Redis's numbered databases against a real redis-server 7.0, shardd on 4
// shards: SELECT, MOVE, SWAPDB, COPY ... DB, FLUSHDB, DBSIZE, KEYS, SCAN and
// RANDOMKEY of one database, in a fixed and in seeded random streams whose
// replies and final datasets (every database's) must be Redis's; SELECT
// inside MULTI; WATCH of a key in one database; blocked clients served only
// from their database (and by MOVE and SWAPDB into it); keyspace events on
// __keyspace@<db>__ and __keyevent@<db>__; INFO keyspace's line per
// database; and --databases. (Restarts: databases_restart_test.)
//
// To replay a random stream: SHARDD_DIFF_SEED=<seed> ./databases_test
#include <algorithm>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/database_dumps.h"
#include "tests/integration/reference_server_test.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/blocked_clients.h"
#include "tests/integration/support/dataset_dump.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/reply_tree.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;
constexpr int kCommandsPerSeed = 400;
constexpr std::string_view kNilArray = "*-1\r\n";

// Every key a full SCAN of the connection's database returns, sorted and
// without repeats (SCAN may return a key twice). Bounded: a cursor that
// never comes back to 0 fails the test.
std::vector<std::string> ScanKeys(RespClient& c) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  for (int calls = 0; calls < 10000; ++calls) {
    const std::string reply = Call(c, {"SCAN", cursor, "COUNT", "7"});
    // [cursor, [key, ...]]
    const std::optional<Reply> tree = ParseReply(reply);
    if (!tree || tree->elements.size() != 2) {
      ADD_FAILURE() << "SCAN " << cursor << ": " << Printable(reply);
      return keys;
    }
    for (const Reply& key : tree->elements[1].elements) {
      keys.push_back(key.text);
    }
    cursor = tree->elements[0].text;
    if (cursor == "0") {
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      return keys;
    }
  }
  ADD_FAILURE() << "SCAN did not end";
  return keys;
}

// INFO keyspace's "db<n>:keys=<k>,expires=<e>" lines, without avg_ttl
// (Redis's is an estimate; shardd says 0).
std::vector<std::string> KeyspaceLines(RespClient& c) {
  const std::optional<std::string> info = BulkOf(Call(c, {"INFO", "keyspace"}));
  EXPECT_TRUE(info.has_value());
  std::vector<std::string> lines;
  if (!info) return lines;
  for (absl::string_view line : absl::StrSplit(*info, "\r\n")) {
    if (!absl::StartsWith(line, "db")) continue;
    lines.emplace_back(line.substr(0, line.find(",avg_ttl=")));
  }
  return lines;
}

std::string Pair(const std::string& key, const std::string& value) {
  return absl::StrCat("*2\r\n", Bulk(key), Bulk(value));
}

// The keys the streams use, of each type, one per shard.
struct Keys {
  std::vector<std::string> strings;
  std::vector<std::string> lists;
  std::vector<std::string> sets;
  std::vector<std::string> all;
};

Keys StreamKeys() {
  Keys keys;
  for (uint32_t shard = 0; shard < kShards; ++shard) {
    keys.strings.push_back(KeyOn(shard, kShards, "str"));
    keys.lists.push_back(KeyOn(shard, kShards, "list"));
    keys.sets.push_back(KeyOn(shard, kShards, "set"));
  }
  for (const auto* pool : {&keys.strings, &keys.lists, &keys.sets}) {
    keys.all.insert(keys.all.end(), pool->begin(), pool->end());
  }
  return keys;
}

// The next command of a random stream over databases 0..3 (the rest stay
// empty unless a stream wrongly fills them). RANDOMKEY is the caller's.
class StreamGenerator {
 public:
  explicit StreamGenerator(uint64_t seed) : random_(seed) {}

  // True (rarely) when the caller should try a RANDOMKEY.
  bool RandomKeyNext() { return random_() % 25 == 0; }

  Command Next() {
    const int kind = static_cast<int>(random_() % 100);
    if (kind < 10) return {"SELECT", Db()};
    if (kind < 11) return {"SELECT", Pick({"16", "-1", "abc", "99999"})};
    if (kind < 19) return {"SET", Pick(keys_.strings), Value()};
    if (kind < 24) return {"GET", Pick(keys_.all)};
    if (kind < 28) return {"DEL", Pick(keys_.all), Pick(keys_.all)};
    if (kind < 34) return {"RPUSH", Pick(keys_.lists), Value(), Value()};
    if (kind < 37) return {"LRANGE", Pick(keys_.lists), "0", "-1"};
    if (kind < 42) return {"SADD", Pick(keys_.sets), Value()};
    if (kind < 45) return {"INCR", Pick(keys_.strings)};
    if (kind < 48) return {"EXPIRE", Pick(keys_.all), "100000"};
    if (kind < 52) {
      Command mset = {"MSET"};
      for (int i = 0; i < 3; ++i) {
        mset.insert(mset.end(), {Pick(keys_.strings), Value()});
      }
      return mset;
    }
    if (kind < 55) {
      return {"MGET", keys_.strings[0], keys_.strings[1], keys_.strings[2],
              keys_.strings[3]};
    }
    if (kind < 58) return {"DBSIZE"};
    if (kind < 61) return {"KEYS", "*"};
    if (kind < 64) return {"EXISTS", Pick(keys_.all), Pick(keys_.all)};
    if (kind < 65) return {"TYPE", Pick(keys_.all)};
    if (kind < 75) {
      return {"MOVE", Pick(keys_.all), random_() % 20 == 0 ? "16" : Db()};
    }
    if (kind < 80) {
      return {"SWAPDB", Db(), random_() % 20 == 0 ? "16" : Db()};
    }
    if (kind < 92) {
      Command copy = {"COPY", Pick(keys_.all), Pick(keys_.all), "DB",
                      random_() % 20 == 0 ? "16" : Db()};
      if (random_() % 2 == 0) copy.push_back("REPLACE");
      return copy;
    }
    if (kind < 94) return {"FLUSHDB"};
    return {"SCARD", Pick(keys_.sets)};
  }

 private:
  std::string Pick(const std::vector<std::string>& choices) {
    return choices[random_() % choices.size()];
  }
  std::string Db() { return absl::StrCat(random_() % 4); }
  std::string Value() { return Pick({"1", "2", "10", "x", "y"}); }

  std::mt19937_64 random_;
  const Keys keys_ = StreamKeys();
};

// A step of a scripted schedule of several clients.
struct Step {
  int client;
  Command command;
};

class DatabasesTest : public ReferenceServerTest {
 protected:
  Connector Ours() {
    return [this] { return Connect(); };
  }
  Connector Theirs() {
    return [this] { return ConnectReference(); };
  }

  // Sends `command` to both servers, expects shardd's reply to be Redis's
  // (KEYS: the same keys), and returns Redis's. `context` names the place
  // in the stream for a failure message.
  static std::string SendBoth(RespClient& ours, RespClient& theirs,
                              const Command& command,
                              const std::string& context) {
    const std::string a = Call(ours, command);
    const std::string b = Call(theirs, command);
    if (command[0] == "KEYS") {
      EXPECT_EQ(SortedKeys(a), SortedKeys(b)) << Describe(command) << context;
    } else {
      EXPECT_EQ(a, b) << Describe(command) << context;
    }
    return b;
  }

  // Every database of both servers, asked over `ours` and `theirs`: the
  // same keys, types, values and (whether they have) expiries. SCAN of each
  // database lists KEYS's keys.
  void ExpectSameDatabases(RespClient& ours, RespClient& theirs) {
    for (int db = 0; db < kDatabases; ++db) {
      ASSERT_EQ(Call(ours, {"SELECT", absl::StrCat(db)}), kOk);
      EXPECT_EQ(ScanKeys(ours), SortedKeys(Call(ours, {"KEYS", "*"})))
          << "db " << db;
    }
    absl::StatusOr<Databases> a = DumpDatabases(ours);
    absl::StatusOr<Databases> b = DumpDatabases(theirs);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    const Databases x = WithoutExpiryTimes(*a);
    const Databases y = WithoutExpiryTimes(*b);
    EXPECT_EQ(x, y) << DescribeDatabaseDifference(x, y);
  }

  // Runs `steps` with `clients` fresh connections to each server, in order,
  // and expects every shardd reply to be Redis's, byte for byte.
  void ExpectSameReplies(const std::vector<Step>& steps, int clients) {
    std::vector<RespClient> ours;
    std::vector<RespClient> theirs;
    for (int c = 0; c < clients; ++c) {
      ours.push_back(MustConnect());
      theirs.push_back(MustConnectTo(Theirs()));
    }
    ASSERT_FALSE(HasFailure());
    ASSERT_EQ(Call(ours[0], {"FLUSHALL"}), kOk);
    ASSERT_EQ(Call(theirs[0], {"FLUSHALL"}), kOk);
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& step = steps[i];
      const std::string a = Call(ours[step.client], step.command);
      const std::string b = Call(theirs[step.client], step.command);
      ASSERT_EQ(a, b) << "step " << i << " (client " << step.client
                      << "): " << Describe(step.command);
    }
  }
};

// The replies to SELECT's, MOVE's, SWAPDB's and COPY's errors, and the
// commands of one database that must see only its keys.
TEST_F(DatabasesTest, FixedSequenceMatchesRedis) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  const Keys keys = StreamKeys();
  const std::string& s0 = keys.strings[0];
  const std::string& s1 = keys.strings[1];
  const std::string& s2 = keys.strings[2];
  const std::string& s3 = keys.strings[3];
  const std::string& l0 = keys.lists[0];
  const std::string& l1 = keys.lists[1];
  const std::string& set0 = keys.sets[0];
  const std::vector<Command> commands = {
      {"SELECT", "16"},
      {"SELECT", "-1"},
      {"SELECT", "abc"},
      {"SELECT", "1"},
      {"SET", s0, "in1"},
      {"SELECT", "0"},
      {"GET", s0},
      {"SET", s0, "in0"},
      {"MOVE", s0, "0"},
      {"MOVE", s0, "16"},
      {"MOVE", s0, "-1"},
      {"MOVE", s0, "abc"},
      {"MOVE", s0, "1"},  // there already: 0
      {"MOVE", "absent", "1"},
      {"SET", s1, "v"},
      {"EXPIRE", s1, "100000"},
      {"MOVE", s1, "2"},
      {"EXISTS", s0, s1},
      {"SELECT", "2"},
      {"GET", s1},
      {"SELECT", "1"},
      {"GET", s0},
      {"RPUSH", l0, "a", "b"},
      {"COPY", l0, l1, "DB", "3"},
      {"COPY", l0, l1, "DB", "3"},  // there already: 0
      {"COPY", l0, l1, "DB", "3", "REPLACE"},
      {"COPY", l0, l0},
      {"COPY", l0, l0, "DB", "1"},
      {"COPY", l0, l0, "DB", "3"},
      {"COPY", l0, l1, "DB", "16"},
      {"COPY", l0, l1, "DB", "-1"},
      {"COPY", l0, l1, "DB", "abc"},
      {"COPY", "absent", l1, "DB", "2"},
      {"LRANGE", l1, "0", "-1"},
      {"SELECT", "3"},
      {"LRANGE", l1, "0", "-1"},
      {"LRANGE", l0, "0", "-1"},
      {"SWAPDB", "0", "99"},
      {"SWAPDB", "0", "16"},
      {"SWAPDB", "-1", "0"},
      {"SWAPDB", "abc", "0"},
      {"SWAPDB", "0", "abc"},
      {"SWAPDB", "1", "1"},
      {"SWAPDB", "3", "0"},
      {"DBSIZE"},  // db 3 now holds db 0's keys, the connection stays in 3
      {"KEYS", "*"},
      {"GET", s0},
      {"SELECT", "0"},
      {"KEYS", "*"},
      {"MSET", s0, "a", s1, "b", s2, "c", s3, "d"},
      {"MGET", s0, s1, s2, s3},
      {"SELECT", "2"},
      {"MGET", s0, s1, s2, s3},
      {"SELECT", "0"},
      {"DBSIZE"},
      {"FLUSHDB"},
      {"DBSIZE"},
      {"KEYS", "*"},
      {"SELECT", "3"},
      {"DBSIZE"},
      {"SELECT", "5"},
      {"RANDOMKEY"},  // empty
      {"SET", s2, "only"},
      {"RANDOMKEY"},  // one key
      {"SELECT", "3"},
      {"SADD", set0, "m"},
      {"MOVE", set0, "5"},
      {"SCARD", set0},
      {"SELECT", "5"},
      {"SMEMBERS", set0},
      {"INCR", s2},
      {"DEL", s2, set0},
      {"RANDOMKEY"},
      {"SELECT", "1"},
      {"EXISTS", s0, l0},
      {"FLUSHALL"},
      {"DBSIZE"},
      {"SELECT", "3"},
      {"DBSIZE"},
      {"SET", s3, "kept"},
      {"INCR", s1},
      {"SELECT", "2"},
      {"SET", s3, "two"},
      {"SADD", set0, "x", "y"},
  };
  for (size_t i = 0; i < commands.size(); ++i) {
    SendBoth(ours, theirs, commands[i], absl::StrCat(" (#", i, ")"));
    ASSERT_FALSE(HasFailure());
  }
  ExpectSameDatabases(ours, theirs);
}

// Seeded random streams of writes, reads and moves between databases 0..3
// over one connection each; every reply, then every database, Redis's.
TEST_F(DatabasesTest, RandomStreamsMatchRedis) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  for (const DiffCase& c : CasesToRun()) {
    if (c.protocol != 2) continue;
    SCOPED_TRACE(absl::StrCat("seed ", c.seed));
    ASSERT_EQ(Call(ours, {"FLUSHALL"}), kOk);
    ASSERT_EQ(Call(theirs, {"FLUSHALL"}), kOk);
    ASSERT_EQ(Call(ours, {"SELECT", "0"}), kOk);
    ASSERT_EQ(Call(theirs, {"SELECT", "0"}), kOk);
    StreamGenerator generator(c.seed);
    std::deque<std::string> recent;  // for a failure message
    int moved = 0;                   // MOVEs, COPYs and SWAPDBs that did
    int random_keys = 0;
    const auto send = [&](const Command& command, int i) {
      recent.push_back(Describe(command));
      if (recent.size() > 12) recent.pop_front();
      return SendBoth(ours, theirs, command,
                      absl::StrCat(" (#", i, "; last commands: ",
                                   absl::StrJoin(recent, " | "), ")"));
    };
    for (int i = 0; i < kCommandsPerSeed; ++i) {
      if (generator.RandomKeyNext()) {
        // Which of several keys is Redis's hash table's choice: ask only
        // where the answer is determined.
        const std::string size = send({"DBSIZE"}, i);
        ASSERT_FALSE(HasFailure());
        if (size == Integer(0) || size == Integer(1)) {
          send({"RANDOMKEY"}, i);
          ++random_keys;
        }
      }
      const Command command = generator.Next();
      const std::string reply = send(command, i);
      ASSERT_FALSE(HasFailure());
      if ((command[0] == "MOVE" || command[0] == "COPY") &&
          reply == Integer(1)) {
        ++moved;
      }
      if (command[0] == "SWAPDB" && reply == kOk) ++moved;
    }
    std::cout << "seed " << c.seed << ": " << moved
              << " moves, copies and swaps, " << random_keys << " RANDOMKEYs"
              << std::endl;
    // A stream whose moves all failed would prove little.
    EXPECT_GT(moved, kCommandsPerSeed / 20);
    ExpectSameDatabases(ours, theirs);
    ASSERT_FALSE(HasFailure());
  }
}

// SELECT queued in MULTI applies to the commands queued after it and stays
// the connection's database after EXEC; one that fails, or a transaction
// that does not run, leaves the database as it was.
TEST_F(DatabasesTest, SelectInsideMultiMatchesRedis) {
  const Keys keys = StreamKeys();
  const std::vector<std::string>& s = keys.strings;
  ExpectSameReplies(
      {
          {0, {"MULTI"}},
          {0, {"SELECT", "2"}},
          {0, {"SET", "a", "1"}},
          {0, {"EXEC"}},
          {0, {"GET", "a"}},  // "1": still in db 2
          {1, {"GET", "a"}},  // nil in db 0
          {1, {"EXISTS", "a"}},
          // A SELECT that fails is an error in EXEC's array.
          {0, {"MULTI"}},
          {0, {"SELECT", "99"}},
          {0, {"SET", "b", "2"}},
          {0, {"EXEC"}},
          {0, {"GET", "b"}},
          {1, {"GET", "b"}},
          // Several SELECTs in one transaction.
          {0, {"MULTI"}},
          {0, {"SELECT", "3"}},
          {0, {"SET", "c", "3"}},
          {0, {"SELECT", "1"}},
          {0, {"GET", "c"}},
          {0, {"SET", "c", "one"}},
          {0, {"EXEC"}},
          {0, {"GET", "c"}},
          {0, {"SELECT", "3"}},
          {0, {"GET", "c"}},
          // DISCARD drops the queued SELECT.
          {0, {"MULTI"}},
          {0, {"SELECT", "5"}},
          {0, {"DISCARD"}},
          {0, {"GET", "c"}},
          // So does an EXEC that a queueing error aborts.
          {0, {"MULTI"}},
          {0, {"SELECT", "4"}},
          {0, {"NOSUCHCOMMAND"}},
          {0, {"EXEC"}},
          {0, {"GET", "c"}},
          // And one a WATCH aborts.
          {0, {"WATCH", "c"}},
          {1, {"SELECT", "3"}},
          {1, {"SET", "c", "changed"}},
          {0, {"MULTI"}},
          {0, {"SELECT", "4"}},
          {0, {"EXEC"}},
          {0, {"GET", "c"}},
          // Keys of every shard in the new database, in one step.
          {0, {"MULTI"}},
          {0, {"SELECT", "6"}},
          {0, {"MSET", s[0], "0", s[1], "1", s[2], "2", s[3], "3"}},
          {0, {"SELECT", "3"}},
          {0, {"MGET", s[0], s[1], s[2], s[3]}},
          {0, {"SELECT", "6"}},
          {0, {"MGET", s[0], s[1], s[2], s[3]}},
          {0, {"EXEC"}},
          {0, {"DBSIZE"}},
          {1, {"SELECT", "6"}},
          {1, {"MGET", s[0], s[1], s[2], s[3]}},
          {1, {"SELECT", "0"}},
          {1, {"MGET", s[0], s[1], s[2], s[3]}},
      },
      2);
}

// A WATCH is of a key in the database it was made in: writes of the same
// name elsewhere leave it alone; MOVE, COPY, FLUSHDB, SWAPDB (where the key
// is in either database, as Redis 7.0) and FLUSHALL touch it.
TEST_F(DatabasesTest, WatchIsPerDatabaseAsInRedis) {
  // Client 0 watches in db 1; client 1 writes.
  ExpectSameReplies(
      {
          {0, {"SELECT", "1"}},
          {1, {"SELECT", "1"}},
          {1, {"SET", "k", "one"}},
          {1, {"SELECT", "0"}},
          // The name in another database.
          {0, {"WATCH", "k"}},
          {1, {"SET", "k", "zero"}},
          {0, {"MULTI"}},
          {0, {"SET", "k", "a"}},
          {0, {"EXEC"}},
          // The key in the watched database.
          {0, {"WATCH", "k"}},
          {1, {"SELECT", "1"}},
          {1, {"SET", "k", "b"}},
          {0, {"MULTI"}},
          {0, {"GET", "k"}},
          {0, {"EXEC"}},
          // The watch stays in its database when the watcher SELECTs
          // another: a write there does not touch it, one in db 1 does.
          {0, {"WATCH", "k"}},
          {0, {"SELECT", "0"}},
          {1, {"SELECT", "0"}},
          {1, {"SET", "k", "zero2"}},
          {0, {"MULTI"}},
          {0, {"GET", "k"}},
          {0, {"EXEC"}},
          {0, {"SELECT", "1"}},
          {0, {"WATCH", "k"}},
          {0, {"SELECT", "0"}},
          {1, {"SELECT", "1"}},
          {1, {"SET", "k", "c"}},
          {0, {"MULTI"}},
          {0, {"GET", "k"}},
          {0, {"EXEC"}},
          {0, {"SELECT", "1"}},
          // FLUSHDB of another database holding the name.
          {0, {"WATCH", "k"}},
          {1, {"SELECT", "0"}},
          {1, {"FLUSHDB"}},
          {0, {"MULTI"}},
          {0, {"GET", "k"}},
          {0, {"EXEC"}},
          // FLUSHDB of the watched database.
          {0, {"WATCH", "k"}},
          {1, {"SELECT", "1"}},
          {1, {"FLUSHDB"}},
          {0, {"MULTI"}},
          {0, {"GET", "k"}},
          {0, {"EXEC"}},
          // MOVE into the watched database.
          {1, {"SELECT", "0"}},
          {1, {"SET", "m", "x"}},
          {0, {"WATCH", "m"}},
          {1, {"MOVE", "m", "1"}},
          {0, {"MULTI"}},
          {0, {"GET", "m"}},
          {0, {"EXEC"}},
          // MOVE out of it.
          {0, {"WATCH", "m"}},
          {1, {"SELECT", "1"}},
          {1, {"MOVE", "m", "2"}},
          {0, {"MULTI"}},
          {0, {"GET", "m"}},
          {0, {"EXEC"}},
          // COPY into it.
          {0, {"WATCH", "c"}},
          {1, {"SELECT", "2"}},
          {1, {"COPY", "m", "c", "DB", "1"}},
          {0, {"MULTI"}},
          {0, {"GET", "c"}},
          {0, {"EXEC"}},
          // COPY out of it only reads it.
          {0, {"WATCH", "c"}},
          {1, {"SELECT", "1"}},
          {1, {"COPY", "c", "c", "DB", "3"}},
          {0, {"MULTI"}},
          {0, {"GET", "c"}},
          {0, {"EXEC"}},
          // SWAPDB, the key in the watched database.
          {0, {"WATCH", "c"}},
          {1, {"SWAPDB", "1", "4"}},
          {0, {"MULTI"}},
          {0, {"GET", "c"}},
          {0, {"EXEC"}},
          // SWAPDB, the key in neither database (swaps db 1 back).
          {0, {"WATCH", "nowhere"}},
          {1, {"SWAPDB", "1", "4"}},
          {0, {"MULTI"}},
          {0, {"GET", "c"}},
          {0, {"EXEC"}},
          // SWAPDB, the key only in the other database.
          {1, {"SELECT", "5"}},
          {1, {"SET", "only5", "v"}},
          {0, {"WATCH", "only5"}},
          {1, {"SWAPDB", "1", "5"}},
          {0, {"MULTI"}},
          {0, {"GET", "only5"}},
          {0, {"EXEC"}},
          // SWAPDB of two other databases.
          {0, {"WATCH", "only5"}},
          {1, {"SWAPDB", "0", "2"}},
          {0, {"MULTI"}},
          {0, {"GET", "only5"}},
          {0, {"EXEC"}},
          // FLUSHALL.
          {0, {"WATCH", "only5"}},
          {1, {"FLUSHALL"}},
          {0, {"MULTI"}},
          {0, {"GET", "only5"}},
          {0, {"EXEC"}},
      },
      2);
}

// A client blocked on a key of db 1 is not served by a push to the key of
// db 0, and is by one in db 1. Run on both servers: Redis behaves so too.
void ExpectBlockedClientServedOnlyFromItsDatabase(const Connector& connect) {
  const std::string queue = KeyOn(2, kShards, "queue");
  RespClient waiter = MustConnectTo(connect);
  RespClient pusher = MustConnectTo(connect);
  RespClient prober = MustConnectTo(connect);
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_EQ(Call(waiter, {"SELECT", "1"}), kOk);
  ASSERT_EQ(Call(prober, {"SELECT", "1"}), kOk);
  ASSERT_TRUE(waiter.Send(EncodeCommand({"BLPOP", queue, "0"})).ok());
  WaitForBlocked(pusher, 1);
  EXPECT_EQ(Call(pusher, {"RPUSH", queue, "x"}), Integer(1));
  // Another waiter in db 1 times out: db 1 has nothing for either, and by
  // the time it gives up a wrong serve from db 0 has had a second to come.
  EXPECT_EQ(Call(prober, {"BLPOP", queue, "1"}), kNilArray);
  EXPECT_EQ(Call(pusher, {"LRANGE", queue, "0", "-1"}), "*1\r\n$1\r\nx\r\n");
  ASSERT_EQ(Call(pusher, {"SELECT", "1"}), kOk);
  EXPECT_EQ(Call(pusher, {"RPUSH", queue, "y"}), Integer(1));
  absl::StatusOr<std::string> served = waiter.ReadReply();
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(*served, Pair(queue, "y"));
  EXPECT_EQ(Call(pusher, {"EXISTS", queue}), Integer(0));
  ASSERT_EQ(Call(pusher, {"SELECT", "0"}), kOk);
  EXPECT_EQ(Call(pusher, {"LLEN", queue}), Integer(1));
}

// MOVE of a list into the database a client waits in serves it, and so
// does SWAPDB bringing one in (Redis signals the moved keys as ready).
void ExpectMoveAndSwapdbServeWaiters(const Connector& connect) {
  const std::string moved = KeyOn(1, kShards, "moved");
  const std::string swapped = KeyOn(3, kShards, "swapped");
  RespClient waiter = MustConnectTo(connect);
  RespClient pusher = MustConnectTo(connect);
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_EQ(Call(waiter, {"SELECT", "1"}), kOk);
  ASSERT_TRUE(waiter.Send(EncodeCommand({"BLPOP", moved, "10"})).ok());
  WaitForBlocked(pusher, 1);
  EXPECT_EQ(Call(pusher, {"RPUSH", moved, "m"}), Integer(1));
  EXPECT_EQ(Call(pusher, {"MOVE", moved, "1"}), Integer(1));
  absl::StatusOr<std::string> served = waiter.ReadReply();
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(*served, Pair(moved, "m"));
  EXPECT_EQ(Call(waiter, {"EXISTS", moved}), Integer(0));

  ASSERT_TRUE(waiter.Send(EncodeCommand({"BLPOP", swapped, "10"})).ok());
  WaitForBlocked(pusher, 1);
  ASSERT_EQ(Call(pusher, {"SELECT", "2"}), kOk);
  EXPECT_EQ(Call(pusher, {"RPUSH", swapped, "s1", "s2"}), Integer(2));
  EXPECT_EQ(Call(pusher, {"SWAPDB", "1", "2"}), kOk);
  served = waiter.ReadReply();
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(*served, Pair(swapped, "s1"));
  EXPECT_EQ(Call(waiter, {"LRANGE", swapped, "0", "-1"}), "*1\r\n$2\r\ns2\r\n");
  EXPECT_EQ(Call(pusher, {"EXISTS", swapped}), Integer(0));
}

TEST_F(DatabasesTest, BlockedClientIsServedOnlyFromItsDatabase) {
  {
    SCOPED_TRACE("redis-server");
    ExpectBlockedClientServedOnlyFromItsDatabase(Theirs());
  }
  SCOPED_TRACE("shardd");
  ExpectBlockedClientServedOnlyFromItsDatabase(Ours());
}

TEST_F(DatabasesTest, MoveAndSwapdbServeBlockedClients) {
  {
    SCOPED_TRACE("redis-server");
    ExpectMoveAndSwapdbServeWaiters(Theirs());
  }
  SCOPED_TRACE("shardd");
  ExpectMoveAndSwapdbServeWaiters(Ours());
}

// One pmessage a subscriber of "__key*@*__:*" got.
struct Event {
  std::string channel;
  std::string payload;
  bool operator==(const Event&) const = default;
};

std::string DescribeEvents(const std::vector<Event>& events) {
  std::string text;
  for (const Event& e : events) {
    absl::StrAppend(&text, "\n    ", e.channel, " ", e.payload);
  }
  return text.empty() ? " (none)" : text;
}

RespClient SubscribeToEvents(const Connector& connect) {
  RespClient subscriber = MustConnectTo(connect);
  EXPECT_TRUE(
      subscriber.Send(EncodeCommand({"PSUBSCRIBE", "__key*@*__:*"})).ok());
  absl::StatusOr<std::string> confirmation = subscriber.ReadReply();
  EXPECT_TRUE(confirmation.ok()) << confirmation.status();
  return subscriber;
}

// The next `count` events (`count` < 0: up to the pong of a PING sent
// first, which Redis answers after every event it published before).
std::vector<Event> ReadEvents(RespClient& subscriber, int count) {
  const bool until_pong = count < 0;
  if (until_pong) {
    EXPECT_TRUE(subscriber.Send(EncodeCommand({"PING"})).ok());
  }
  std::vector<Event> events;
  while (until_pong || static_cast<int>(events.size()) < count) {
    absl::StatusOr<std::string> reply = subscriber.ReadReply();
    if (!reply.ok()) {
      ADD_FAILURE() << "after " << events.size()
                    << " events: " << reply.status();
      return events;
    }
    const std::optional<std::vector<std::string>> parts = BulkArrayOf(*reply);
    if (!parts || parts->size() != 4 || (*parts)[0] != "pmessage") {
      if (!until_pong) ADD_FAILURE() << "not an event: " << Printable(*reply);
      return events;
    }
    events.push_back({(*parts)[2], (*parts)[3]});
  }
  return events;
}

// Every command here raises events of one key, so their order is Redis's
// even where shards publish them.
TEST_F(DatabasesTest, KeyspaceEventsNameTheDatabase) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  for (RespClient* c : {&ours, &theirs}) {
    ASSERT_EQ(Call(*c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}),
              kOk);
  }
  RespClient our_events = SubscribeToEvents(Ours());
  RespClient their_events = SubscribeToEvents(Theirs());
  ASSERT_FALSE(HasFailure());
  // A missing event shows as a timeout, an extra one at the next command.
  our_events.set_timeout(absl::Seconds(5));
  const std::vector<Command> commands = {
      {"SELECT", "3"},          {"SET", "k", "v"},
      {"EXPIRE", "k", "10000"}, {"MOVE", "k", "5"},
      {"SET", "k2", "w"},       {"COPY", "k2", "k3", "DB", "4"},
      {"MOVE", "k2", "3"},  // fails: no event
      {"SELECT", "5"},          {"RPUSH", "q", "a"},
      {"PERSIST", "k"},         {"DEL", "k"},
      {"SWAPDB", "4", "6"},     {"SELECT", "6"},
      {"APPEND", "k3", "x"},    {"FLUSHDB"},
      {"SELECT", "0"},          {"SET", "last", "1"},
  };
  size_t compared = 0;
  std::vector<Event> move_events;
  for (const Command& command : commands) {
    ASSERT_EQ(Call(ours, command), Call(theirs, command)) << Describe(command);
    const std::vector<Event> expected = ReadEvents(their_events, -1);
    const std::vector<Event> got =
        ReadEvents(our_events, static_cast<int>(expected.size()));
    ASSERT_EQ(got, expected)
        << Describe(command) << "\n  shardd:" << DescribeEvents(got)
        << "\n  redis:" << DescribeEvents(expected);
    compared += expected.size();
    if (command == Command{"MOVE", "k", "5"}) move_events = expected;
  }
  EXPECT_GE(compared, 20u);
  // The MOVE alone names two databases: Redis 7.0 raises move_from on the
  // source's channels and move_to on the destination's.
  const std::vector<Event> move = {{"__keyspace@3__:k", "move_from"},
                                   {"__keyevent@3__:move_from", "k"},
                                   {"__keyspace@5__:k", "move_to"},
                                   {"__keyevent@5__:move_to", "k"}};
  EXPECT_EQ(move_events, move) << DescribeEvents(move_events);
  // Nothing more than Redis raised: the next SET's events come next.
  ASSERT_EQ(Call(ours, {"SET", "last", "2"}), kOk);
  const std::vector<Event> last = {{"__keyspace@0__:last", "set"},
                                   {"__keyevent@0__:set", "last"}};
  EXPECT_EQ(ReadEvents(our_events, 2), last);
}

TEST_F(DatabasesTest, InfoKeyspaceHasALinePerDatabaseWithKeys) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  const Keys keys = StreamKeys();
  const std::vector<Command> writes = {
      {"SET", keys.strings[0], "v"},
      {"SET", keys.strings[1], "v", "EX", "100000"},
      {"SELECT", "2"},
      {"RPUSH", keys.lists[2], "a"},
      {"SELECT", "5"},
      {"SADD", keys.sets[0], "a"},
      {"SET", keys.strings[2], "v", "PX", "100000000"},
      {"MSET", keys.strings[0], "1", keys.strings[3], "2"},
      {"EXPIRE", keys.strings[3], "100000"},
  };
  for (const Command& command : writes) {
    SendBoth(ours, theirs, command, "");
  }
  ASSERT_FALSE(HasFailure());
  const std::vector<std::string> expected = {
      "db0:keys=2,expires=1", "db2:keys=1,expires=0", "db5:keys=4,expires=2"};
  EXPECT_EQ(KeyspaceLines(theirs), expected);
  EXPECT_EQ(KeyspaceLines(ours), expected);
  // A database emptied loses its line; a swap moves one.
  for (const Command& command : std::vector<Command>{
           {"SELECT", "2"}, {"FLUSHDB"}, {"SWAPDB", "5", "9"}}) {
    SendBoth(ours, theirs, command, "");
  }
  ASSERT_FALSE(HasFailure());
  const std::vector<std::string> after = {"db0:keys=2,expires=1",
                                          "db9:keys=4,expires=2"};
  EXPECT_EQ(KeyspaceLines(theirs), after);
  EXPECT_EQ(KeyspaceLines(ours), after);
}

// A key MOVE or COPY ... DB makes in another database is stamped with the
// command's time, as in Redis: its idle time is 0, not the time since a
// command last ran in that database.
TEST_F(DatabasesTest, MovedAndCopiedKeysAreFreshInTheirNewDatabase) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  // Databases 7 and 8 of the shards that own strings[0] and strings[1]
  // (a shard keeps its own databases) run a command, then wait.
  const Keys keys = StreamKeys();
  for (const Command& command :
       std::vector<Command>{{"SELECT", "7"},
                            {"SET", keys.lists[0], "v"},
                            {"SELECT", "8"},
                            {"SET", keys.lists[1], "v"},
                            {"SELECT", "0"},
                            {"SET", keys.sets[0], "v"}}) {
    SendBoth(ours, theirs, command, "");
  }
  ASSERT_FALSE(HasFailure());
  const auto idle_seconds = [](RespClient& client, const std::string& db,
                               const std::string& key) {
    Call(client, {"SELECT", db});
    const std::string reply = Call(client, {"OBJECT", "IDLETIME", key});
    Call(client, {"SELECT", "0"});
    return reply.size() > 3 ? std::stoll(reply.substr(1)) : -1;
  };
  // Two seconds at least, watched in database 0 only (bounded: the clock
  // turns one a second).
  ASSERT_TRUE(Eventually(absl::Seconds(10), [&] {
    return idle_seconds(ours, "0", keys.sets[0]) >= 2 &&
           idle_seconds(theirs, "0", keys.sets[0]) >= 2;
  }));
  for (const Command& command : std::vector<Command>{
           {"SET", keys.strings[0], "v"},
           {"MOVE", keys.strings[0], "7"},
           {"SET", keys.strings[1], "v"},
           {"COPY", keys.strings[1], keys.strings[1], "DB", "8"}}) {
    SendBoth(ours, theirs, command, "");
  }
  ASSERT_FALSE(HasFailure());
  for (RespClient* client : {&ours, &theirs}) {
    const char* server = client == &ours ? "shardd" : "redis";
    // (0, or 1 if the clock has just turned a second.)
    EXPECT_LE(idle_seconds(*client, "7", keys.strings[0]), 1) << server;
    EXPECT_LE(idle_seconds(*client, "8", keys.strings[1]), 1) << server;
  }
}

TEST_F(DatabasesTest, ConfigGetDatabasesIsRedisDefault) {
  RespClient ours = MustConnect();
  RespClient theirs = MustConnectTo(Theirs());
  ASSERT_FALSE(HasFailure());
  const std::string expected =
      absl::StrCat("*2\r\n", Bulk("databases"), Bulk("16"));
  EXPECT_EQ(Call(theirs, {"CONFIG", "GET", "databases"}), expected);
  EXPECT_EQ(Call(ours, {"CONFIG", "GET", "databases"}), expected);
  EXPECT_EQ(Call(ours, {"SELECT", "15"}), kOk);
  EXPECT_EQ(Call(ours, {"SELECT", "16"}), Call(theirs, {"SELECT", "16"}));
}

class FourDatabasesTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards), "--databases=4"};
  }
};

TEST_F(FourDatabasesTest, OnlyDatabasesZeroToThreeExist) {
  RespClient c = MustConnect();
  ASSERT_FALSE(HasFailure());
  const std::string out_of_range = Error("ERR DB index is out of range");
  EXPECT_EQ(Call(c, {"CONFIG", "GET", "databases"}),
            absl::StrCat("*2\r\n", Bulk("databases"), Bulk("4")));
  EXPECT_EQ(Call(c, {"SELECT", "4"}), out_of_range);
  EXPECT_EQ(Call(c, {"SET", "k", "v"}), kOk);
  EXPECT_EQ(Call(c, {"MOVE", "k", "4"}), out_of_range);
  EXPECT_EQ(Call(c, {"SWAPDB", "0", "4"}), out_of_range);
  EXPECT_EQ(Call(c, {"COPY", "k", "k", "DB", "4"}), out_of_range);
  EXPECT_EQ(Call(c, {"SELECT", "3"}), kOk);
  EXPECT_EQ(Call(c, {"GET", "k"}), kNil);
  EXPECT_EQ(Call(c, {"SWAPDB", "0", "3"}), kOk);
  EXPECT_EQ(Call(c, {"GET", "k"}), Bulk("v"));
  absl::StatusOr<Databases> all = DumpDatabases(c, 4);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 1u);
  EXPECT_TRUE(all->contains(3));
}

}  // namespace
}  // namespace shardd::integration
