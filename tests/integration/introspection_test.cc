// What tools ask a server about itself, against the real binary (4 shards)
// and redis-server: INFO's fields and counters (keyspace hits and misses,
// pub/sub counts, traffic), SLOWLOG, LATENCY, MEMORY and OBJECT
// IDLETIME/REFCOUNT. COMMAND is command_introspection_test's.
#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/reference_server_test.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/blocked_clients.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class IntrospectionTest : public ReferenceServerTest {};

// The INFO stats field `name` of the server behind `client` (-1: none).
int64_t StatsField(RespClient& client, const std::string& name) {
  const std::string info =
      BulkOf(*client.Command({"INFO", "stats"})).value_or("");
  const size_t at = info.find("\r\n" + name + ":");
  if (at == std::string::npos) return -1;
  const size_t start = at + name.size() + 3;
  return ParseInt64(info.substr(start, info.find("\r\n", start) - start))
      .value_or(-1);
}

// The calls and time INFO commandstats gives `name` ("cmdstat_<name>").
struct CommandStat {
  int64_t calls = 0;
  int64_t usec = 0;
};
CommandStat StatOf(const std::string& info, const std::string& name) {
  CommandStat stat;
  const size_t at = info.find("cmdstat_" + name + ":calls=");
  if (at == std::string::npos) return stat;
  const std::string line = info.substr(at, info.find("\r\n", at) - at);
  const std::vector<std::string> fields = absl::StrSplit(line, ',');
  for (const std::string& field : fields) {
    const size_t eq = field.find('=');
    if (eq == std::string::npos) continue;
    const std::string name_part = field.substr(0, eq);
    const int64_t value = ParseInt64(field.substr(eq + 1)).value_or(-1);
    if (name_part == "cmdstat_" + name + ":calls") stat.calls = value;
    if (name_part == "usec") stat.usec = value;
  }
  return stat;
}

// Every kind of command is counted in INFO commandstats as Redis counts it:
// the ones the connection's own shard runs (session commands, MULTI, EXEC,
// WATCH, PUBLISH to subscribers on other shards, PUBSUB, CLIENT, and those
// queued in a transaction) as much as the keyed ones; and they are timed (two
// INFOs over every shard take microseconds, not none).
TEST_F(IntrospectionTest, CommandStatsCountEveryKindOfCommand) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  // Subscribers on every shard, so that PUBLISH visits them.
  std::vector<RespClient> subscribers;
  for (int i = 0; i < 8; ++i) {
    subscribers.push_back(MustConnect());
    ASSERT_TRUE(
        subscribers.back().Send(EncodeCommand({"SUBSCRIBE", "ch"})).ok());
    ASSERT_TRUE(subscribers.back().ReadReply().ok());
  }
  const std::vector<std::vector<std::string>> script = {
      {"CONFIG", "RESETSTAT"},
      {"PING"},
      {"ECHO", "x"},
      {"SELECT", "0"},
      {"HELLO", "2"},
      {"SET", "a", "1"},
      {"MSET", "b", "2", "c", "3", "d", "4", "e", "5"},
      {"MGET", "a", "b", "c", "d", "e"},
      {"WATCH", "a"},
      {"MULTI"},
      {"INCR", "a"},
      {"GET", "b"},
      {"EXEC"},
      {"MULTI"},
      {"DISCARD"},
      {"UNWATCH"},
      {"MULTI"},
      {"PING"},
      {"ECHO", "y"},
      {"UNWATCH"},
      {"EXEC"},
      {"PUBLISH", "ch", "hello"},
      {"PUBLISH", "ch", "again"},
      {"PUBSUB", "NUMSUB", "ch"},
      {"INFO", "server"},
      {"INFO", "stats"},
      {"DBSIZE"},
      {"EXISTS", "a", "d", "e"},
      {"MULTI"},
      {"MGET", "a", "d", "e"},
      {"DEL", "b", "c"},
      {"DBSIZE"},
      {"EXEC"},
  };
  for (const std::vector<std::string>& command : script) {
    absl::StatusOr<std::string> reply = ours.Command(command);
    ASSERT_TRUE(reply.ok()) << absl::StrJoin(command, " ");
    // The subscribers on the other shards were reached.
    if (command[0] == "PUBLISH") {
      EXPECT_EQ(*reply, ":8\r\n");
    }
    ASSERT_TRUE(theirs->Command(command).ok()) << absl::StrJoin(command, " ");
  }
  ASSERT_TRUE(ours.Command({"CLIENT", "LIST"}).ok());
  ASSERT_TRUE(ours.Command({"CLIENT", "ID"}).ok());
  // One more INFO: the last one of the script counted only once it ran.
  const std::string mine =
      BulkOf(*ours.Command({"INFO", "commandstats"})).value_or("");
  const std::string reference =
      BulkOf(*theirs->Command({"INFO", "commandstats"})).value_or("");
  // (MSET, MGET and DBSIZE reach several shards: each is counted once, at
  // home, not per part.)
  for (const char* name :
       {"ping", "echo", "select", "hello", "set", "mset", "mget", "dbsize",
        "exists", "del", "watch", "multi", "exec", "discard", "unwatch", "incr",
        "get", "publish", "info"}) {
    EXPECT_GT(StatOf(reference, name).calls, 0) << name;
    EXPECT_EQ(StatOf(mine, name).calls, StatOf(reference, name).calls)
        << name << "\nshardd:\n"
        << mine << "\nredis:\n"
        << reference;
  }
  // Redis names subcommands (cmdstat_pubsub|numsub); shardd counts the
  // command.
  EXPECT_EQ(StatOf(mine, "pubsub").calls, 1) << mine;
  EXPECT_EQ(StatOf(mine, "client").calls, 2) << mine;
  EXPECT_GT(StatOf(mine, "info").usec, 0) << mine;
}

// A BLPOP's reply: the key it popped from and the value.
std::string PoppedFrom(const std::string& key, const std::string& value) {
  return absl::StrCat("*2\r\n", Bulk(key), Bulk(value));
}

// A blocking command is counted once, as Redis 7.0 counts it, however it
// ends: at once, timed out, served after it waited, or left by its client;
// and whether its keys are on one shard or several (a try over several
// shards tries each key in turn, which must not count per key).
TEST_F(IntrospectionTest, BlockingCommandsAreCountedOnce) {
  const std::string a = KeyOn(0, 4, "a");
  const std::string b = KeyOn(1, 4, "b");
  const std::string c = KeyOn(2, 4, "c");
  const std::string d = KeyOn(3, 4, "d");
  const auto script = [&](RespClient& observer,
                          const std::function<RespClient()>& connect) {
    ASSERT_EQ(*observer.Command({"CONFIG", "RESETSTAT"}), "+OK\r\n");
    ASSERT_TRUE(observer.Command({"RPUSH", a, "1"}).ok());
    ASSERT_EQ(*observer.Command({"BLPOP", a, "0"}), PoppedFrom(a, "1"));
    EXPECT_EQ(*observer.Command({"BLPOP", a, b, c, d, "0.05"}), "*-1\r\n");
    RespClient waiter = connect();
    ASSERT_TRUE(waiter.Send(EncodeCommand({"BLPOP", a, b, c, "0"})).ok());
    WaitForBlocked(observer, 1);
    ASSERT_TRUE(observer.Command({"RPUSH", c, "2"}).ok());
    EXPECT_EQ(waiter.ReadReply().value_or(""), PoppedFrom(c, "2"));
    ASSERT_TRUE(
        waiter.Send(EncodeCommand({"BLMOVE", b, d, "LEFT", "RIGHT", "0"}))
            .ok());
    WaitForBlocked(observer, 1);
    ASSERT_TRUE(observer.Command({"RPUSH", b, "3"}).ok());
    EXPECT_EQ(waiter.ReadReply().value_or(""), Bulk("3"));
    {
      RespClient leaving = connect();
      ASSERT_TRUE(leaving.Send(EncodeCommand({"BLPOP", a, b, "0"})).ok());
      WaitForBlocked(observer, 1);
    }
    WaitForBlocked(observer, 0);
  };
  RespClient ours = MustConnect();
  script(ours, [this] { return MustConnect(); });
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  script(*theirs, [this] { return *ConnectReference(); });
  const std::string mine =
      BulkOf(*ours.Command({"INFO", "commandstats"})).value_or("");
  const std::string reference =
      BulkOf(*theirs->Command({"INFO", "commandstats"})).value_or("");
  for (const char* name : {"blpop", "blmove", "rpush"}) {
    EXPECT_GT(StatOf(reference, name).calls, 0) << name;
    EXPECT_EQ(StatOf(mine, name).calls, StatOf(reference, name).calls)
        << name << "\nshardd:\n"
        << mine << "\nredis:\n"
        << reference;
  }
}

// A blocked command's time in INFO commandstats includes its run on the
// owner that served it, as Redis counts the run that unblocks a client: a
// BLMPOP served 400,000 elements takes about what an LMPOP of as many
// does (tens of milliseconds; a quarter of it at least here), where its
// try on the empty list takes at most a hop's round trip.
TEST_F(IntrospectionTest, AServedBlockingCommandCountsItsServingTime) {
  constexpr int kElements = 400000;
  RespClient observer = MustConnect();
  std::vector<std::string> push = {"RPUSH", "list"};
  for (int i = 0; i < kElements; ++i) push.push_back(absl::StrCat(i));
  ASSERT_EQ(*observer.Command({"CONFIG", "RESETSTAT"}), "+OK\r\n");
  ASSERT_TRUE(observer.Command(push).ok());
  const std::string count = absl::StrCat(kElements);
  ASSERT_TRUE(
      observer.Command({"LMPOP", "1", "list", "LEFT", "COUNT", count}).ok());
  RespClient waiter = MustConnect();
  ASSERT_TRUE(waiter
                  .Send(EncodeCommand(
                      {"BLMPOP", "0", "1", "list", "LEFT", "COUNT", count}))
                  .ok());
  WaitForBlocked(observer, 1);
  ASSERT_TRUE(observer.Command(push).ok());
  ASSERT_TRUE(waiter.ReadReply().ok());
  const std::string stats =
      BulkOf(*observer.Command({"INFO", "commandstats"})).value_or("");
  const CommandStat unblocked = StatOf(stats, "lmpop");
  const CommandStat served = StatOf(stats, "blmpop");
  ASSERT_EQ(unblocked.calls, 1) << stats;
  ASSERT_EQ(served.calls, 1) << stats;
  EXPECT_GE(served.usec * 4, unblocked.usec) << stats;
}

// keyspace_hits and keyspace_misses count what Redis counts for a script of
// reads (one key, several, over several shards, of every type) and writes
// (which count nothing, nor do WATCH and EXEC's look at watched keys).
TEST_F(IntrospectionTest, KeyspaceHitsAndMissesMatchRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::vector<std::vector<std::string>> script = {
      {"SET", "a", "1"},
      {"RPUSH", "l", "x", "y"},
      {"SADD", "s1", "m", "n"},
      {"SADD", "s2", "n"},
      {"HSET", "h", "f", "v"},
      {"ZADD", "z", "1", "m"},
      {"GET", "a"},
      {"GET", "nope"},
      {"EXISTS", "a", "b", "l"},
      {"MGET", "a", "b", "c", "l"},
      {"TYPE", "a"},
      {"TTL", "nope"},
      {"STRLEN", "a"},
      {"LRANGE", "l", "0", "-1"},
      {"LLEN", "nope"},
      {"SMEMBERS", "s1"},
      {"SISMEMBER", "s2", "n"},
      {"SINTER", "s1", "s2"},
      {"HGET", "h", "f"},
      {"HGETALL", "nope"},
      {"ZSCORE", "z", "m"},
      {"ZRANGE", "z", "0", "-1"},
      {"WATCH", "nope", "h", "a"},
      {"MULTI"},
      {"SET", "b", "2"},
      {"EXEC"},
      {"INCR", "a"},
      {"DEL", "a", "nope"},
      {"GET", "a"},
  };
  for (const std::vector<std::string>& command : script) {
    ASSERT_TRUE(ours.Command(command).ok());
    ASSERT_TRUE(theirs->Command(command).ok());
  }
  EXPECT_EQ(StatsField(ours, "keyspace_hits"),
            StatsField(*theirs, "keyspace_hits"));
  EXPECT_EQ(StatsField(ours, "keyspace_misses"),
            StatsField(*theirs, "keyspace_misses"));
  EXPECT_EQ(StatsField(ours, "evicted_keys"), 0);
  ASSERT_EQ(*ours.Command({"CONFIG", "RESETSTAT"}), kOk);
  EXPECT_EQ(StatsField(ours, "keyspace_hits"), 0);
}

// With slowlog-log-slower-than 0 every command is slow: SLOWLOG GET lists
// them newest first over every shard, with their arguments cut as Redis
// cuts them and their client's address and name; LEN, RESET and
// slowlog-max-len as Redis.
TEST_F(IntrospectionTest, SlowLogListsEveryShardsSlowCommands) {
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"CLIENT", "SETNAME", "slowpoke"}), kOk);
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "slowlog-log-slower-than", "0"}),
            kOk);
  ASSERT_EQ(*client.Command({"SLOWLOG", "RESET"}), kOk);
  // Keys on every shard; a long argument; a command of 42 arguments.
  const std::vector<std::string> keys = {"a", "b", "c", "d", "e", "f"};
  for (const std::string& key : keys) {
    ASSERT_EQ(*client.Command({"SET", key, "v"}), kOk);
  }
  ASSERT_EQ(*client.Command({"SET", "long", std::string(200, 'x')}), kOk);
  std::vector<std::string> push = {"RPUSH", "list"};
  for (int i = 0; i < 40; ++i) push.push_back(absl::StrCat(i));
  ASSERT_EQ(*client.Command(push), Integer(40));
  EXPECT_EQ(*client.Command({"SLOWLOG", "LEN"}), Integer(8));

  const std::string reply = *client.Command({"SLOWLOG", "GET", "3"});
  // Three entries of six fields, newest first.
  const std::string addr = [&] {
    const std::string info =
        BulkOf(*client.Command({"CLIENT", "INFO"})).value_or("");
    const size_t at = info.find(" addr=") + 6;
    return info.substr(at, info.find(' ', at) - at);
  }();
  ASSERT_TRUE(reply.starts_with("*3\r\n*6\r\n:")) << reply;
  std::vector<std::string> pushed = {"RPUSH", "list"};
  for (int i = 0; i < 29; ++i) pushed.push_back(absl::StrCat(i));
  pushed.push_back("... (11 more arguments)");
  std::string pushed_args = absl::StrCat("*", pushed.size(), "\r\n");
  for (const std::string& arg : pushed) pushed_args += Bulk(arg);
  const size_t first = reply.find(pushed_args);
  ASSERT_NE(first, std::string::npos) << reply;
  EXPECT_EQ(reply.substr(first + pushed_args.size(),
                         Bulk(addr).size() + Bulk("slowpoke").size()),
            Bulk(addr) + Bulk("slowpoke"));
  const std::string cut = std::string(128, 'x') + "... (72 more bytes)";
  const size_t second =
      reply.find(absl::StrCat("*3\r\n", Bulk("SET"), Bulk("long"), Bulk(cut)));
  EXPECT_GT(second, first) << reply;
  const size_t third =
      reply.find(absl::StrCat("*3\r\n", Bulk("SET"), Bulk("f"), Bulk("v")));
  EXPECT_GT(third, second) << reply;

  ASSERT_EQ(*client.Command({"CONFIG", "SET", "slowlog-max-len", "3"}), kOk);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(*client.Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*client.Command({"SLOWLOG", "LEN"}), Integer(3));
  ASSERT_EQ(*client.Command({"SLOWLOG", "RESET"}), kOk);
  EXPECT_EQ(*client.Command({"SLOWLOG", "LEN"}), Integer(0));
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "slowlog-log-slower-than", "-1"}),
            kOk);
  ASSERT_EQ(*client.Command({"GET", "a"}), Bulk("v"));
  EXPECT_EQ(*client.Command({"SLOWLOG", "GET"}), "*0\r\n");
}

// LATENCY: nothing while latency-monitor-threshold is 0; a command over it
// becomes a "command" spike in LATEST and HISTORY, over every shard; RESET
// counts the events it forgot.
TEST_F(IntrospectionTest, LatencyRecordsSpikesOverTheThreshold) {
  RespClient client = MustConnect();
  EXPECT_EQ(*client.Command({"LATENCY", "LATEST"}), "*0\r\n");
  EXPECT_TRUE(BulkOf(*client.Command({"LATENCY", "DOCTOR"}))
                  .value_or("")
                  .starts_with("Latency monitoring is off"));
  // A list of 300,000 elements: reading it whole takes well over 1 ms.
  for (int chunk = 0; chunk < 300; ++chunk) {
    std::vector<std::string> push = {"RPUSH", "big"};
    for (int i = 0; i < 1000; ++i) push.push_back(absl::StrCat(i));
    ASSERT_TRUE(client.Command(push).ok());
  }
  ASSERT_EQ(*client.Command({"LATENCY", "RESET"}), Integer(0));
  ASSERT_EQ(
      *client.Command({"CONFIG", "SET", "latency-monitor-threshold", "1"}),
      kOk);
  ASSERT_TRUE(client.Command({"LRANGE", "big", "0", "-1"}).ok());
  const std::string latest = *client.Command({"LATENCY", "LATEST"});
  EXPECT_TRUE(
      latest.starts_with(absl::StrCat("*1\r\n*4\r\n", Bulk("command"), ":")))
      << latest;
  const std::string history =
      *client.Command({"LATENCY", "HISTORY", "command"});
  EXPECT_TRUE(history.starts_with("*1\r\n*2\r\n:")) << history;
  EXPECT_EQ(*client.Command({"LATENCY", "HISTORY", "nosuch"}), "*0\r\n");
  EXPECT_TRUE(BulkOf(*client.Command({"LATENCY", "DOCTOR"}))
                  .value_or("")
                  .find("- command:") != std::string::npos);
  EXPECT_EQ(*client.Command({"LATENCY", "RESET", "command", "nosuch"}),
            Integer(1));
  EXPECT_EQ(*client.Command({"LATENCY", "LATEST"}), "*0\r\n");
}

// MEMORY USAGE estimates grow with what a key holds, on whatever shard it
// is; STATS counts every shard's keys; DOCTOR answers in text.
TEST_F(IntrospectionTest, MemoryUsageAndStats) {
  RespClient client = MustConnect();
  const std::vector<std::string> keys = {"a", "b", "c", "d", "e", "f"};
  for (const std::string& key : keys) {
    ASSERT_EQ(*client.Command({"SET", key, "small"}), kOk);
    ASSERT_EQ(*client.Command({"SET", key + ":big", std::string(10000, 'v')}),
              kOk);
    std::vector<std::string> push = {"RPUSH", key + ":list"};
    for (int i = 0; i < 1000; ++i) push.push_back(std::string(40, 'x'));
    ASSERT_EQ(*client.Command(push), Integer(1000));
  }
  for (const std::string& key : keys) {
    const int64_t small =
        IntegerOf(*client.Command({"MEMORY", "USAGE", key})).value_or(-1);
    const int64_t big =
        IntegerOf(*client.Command({"MEMORY", "USAGE", key + ":big"}))
            .value_or(-1);
    const int64_t list =
        IntegerOf(
            *client.Command({"MEMORY", "USAGE", key + ":list", "SAMPLES", "0"}))
            .value_or(-1);
    EXPECT_GT(small, 0) << key;
    EXPECT_GE(big, 10000) << key;
    EXPECT_GE(list, 1000 * 40) << key;
    // Five samples of identical elements estimate the same as all of them.
    EXPECT_EQ(IntegerOf(*client.Command({"MEMORY", "USAGE", key + ":list"})),
              list)
        << key;
  }
  const std::string stats = *client.Command({"MEMORY", "STATS"});
  EXPECT_NE(stats.find(absl::StrCat(Bulk("keys.count"), ":18\r\n")),
            std::string::npos)
      << stats;
  EXPECT_TRUE(BulkOf(*client.Command({"MEMORY", "DOCTOR"})).has_value());
}

// INFO's pub/sub counts: distinct names over subscribers on every shard.
TEST_F(IntrospectionTest, InfoCountsSubscriptionsOverShards) {
  std::vector<RespClient> subscribers;
  for (int i = 0; i < 4; ++i) {
    subscribers.push_back(MustConnect());
    ASSERT_TRUE(subscribers.back().Command({"SUBSCRIBE", "news"}).ok());
  }
  ASSERT_TRUE(subscribers[0].Command({"SUBSCRIBE", "sports"}).ok());
  ASSERT_TRUE(subscribers[1].Command({"PSUBSCRIBE", "n*"}).ok());
  ASSERT_TRUE(subscribers[2].Command({"SSUBSCRIBE", "{s}1"}).ok());
  RespClient client = MustConnect();
  EXPECT_EQ(StatsField(client, "pubsub_channels"), 2);
  EXPECT_EQ(StatsField(client, "pubsub_patterns"), 1);
  EXPECT_EQ(StatsField(client, "pubsubshard_channels"), 1);
}

// OBJECT IDLETIME counts the seconds since a command used the key; reads
// and writes reset it, commands that only look at the key (TYPE, EXISTS,
// TTL, OBJECT) do not. OBJECT REFCOUNT is Redis's: INT_MAX for a shared
// integer, else 1.
TEST_F(IntrospectionTest, ObjectIdleTimeAndRefCount) {
  RespClient client = MustConnect();
  // The clock counts whole seconds: a second may begin between two
  // commands, so "just used" reads 0 or 1.
  const auto idle = [&](const char* key) {
    return IntegerOf(*client.Command({"OBJECT", "IDLETIME", key})).value_or(-1);
  };
  ASSERT_EQ(*client.Command({"SET", "idle", "v"}), "+OK\r\n");
  ASSERT_EQ(*client.Command({"RPUSH", "idle-list", "a"}), ":1\r\n");
  EXPECT_LE(idle("idle"), 1);
  ASSERT_TRUE(Eventually(absl::Seconds(6), [&] { return idle("idle") >= 2; }));
  for (const std::vector<std::string>& look :
       std::vector<std::vector<std::string>>{{"TYPE", "idle"},
                                             {"EXISTS", "idle"},
                                             {"TTL", "idle"},
                                             {"OBJECT", "ENCODING", "idle"}}) {
    ASSERT_TRUE(client.Command(look).ok());
  }
  EXPECT_GE(idle("idle"), 2);
  ASSERT_EQ(*client.Command({"GET", "idle"}), "$1\r\nv\r\n");
  EXPECT_LE(idle("idle"), 1);
  EXPECT_GE(idle("idle-list"), 2);
  ASSERT_EQ(*client.Command({"LPUSH", "idle-list", "b"}), ":2\r\n");
  EXPECT_LE(idle("idle-list"), 1);

  ASSERT_EQ(*client.Command({"SET", "small", "42"}), "+OK\r\n");
  ASSERT_EQ(*client.Command({"SET", "large", "10000"}), "+OK\r\n");
  EXPECT_EQ(*client.Command({"OBJECT", "REFCOUNT", "small"}),
            ":2147483647\r\n");
  EXPECT_EQ(*client.Command({"OBJECT", "REFCOUNT", "large"}), ":1\r\n");
  EXPECT_EQ(*client.Command({"OBJECT", "REFCOUNT", "idle-list"}), ":1\r\n");
}

// The field names of an INFO reply's lines.
std::set<std::string> InfoFields(RespClient& client,
                                 const std::string& section) {
  std::set<std::string> fields;
  const std::string text =
      BulkOf(*client.Command({"INFO", section})).value_or("");
  for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
    const size_t colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == absl::string_view::npos) {
      continue;
    }
    fields.emplace(line.substr(0, colon));
  }
  return fields;
}

// The field `name` of INFO `section` (-1: none or not an integer).
int64_t InfoField(RespClient& client, const std::string& section,
                  const std::string& name) {
  const std::string info =
      BulkOf(*client.Command({"INFO", section})).value_or("");
  const size_t at = info.find("\r\n" + name + ":");
  if (at == std::string::npos) return -1;
  const size_t start = at + name.size() + 3;
  return ParseInt64(info.substr(start, info.find("\r\n", start) - start))
      .value_or(-1);
}

// The fields INFO measures beyond counting commands: read and write calls,
// byte rates, the memory peak, blocked clients with a timeout.
TEST_F(IntrospectionTest, InfoMeasuresTraffic) {
  RespClient client = MustConnect();
  const std::string value(4096, 'v');
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(*client.Command({"SET", absl::StrCat("traffic-", i), value}),
              "+OK\r\n");
  }
  EXPECT_GE(InfoField(client, "stats", "total_reads_processed"), 20);
  EXPECT_GE(InfoField(client, "stats", "total_writes_processed"), 20);
  // The rates are sampled every 100 ms over the last 1.6 s.
  EXPECT_TRUE(Eventually(absl::Seconds(5), [&] {
    const std::string info =
        BulkOf(*client.Command({"INFO", "stats"})).value_or("");
    const size_t at = info.find("instantaneous_input_kbps:");
    return at != std::string::npos && info.compare(at + 25, 5, "0.00\r") != 0;
  }));
  // The peak stays after the memory goes: 8 MiB of values, measured, then
  // deleted.
  const std::string big(1 << 20, 'b');
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(*client.Command({"SET", absl::StrCat("big-", i), big}),
              "+OK\r\n");
  }
  const int64_t used = InfoField(client, "memory", "used_memory");
  EXPECT_GT(used, 8 << 20);
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(*client.Command({"DEL", absl::StrCat("big-", i)}), ":1\r\n");
  }
  EXPECT_LT(InfoField(client, "memory", "used_memory"), used - (4 << 20));
  EXPECT_GE(InfoField(client, "memory", "used_memory_peak"), used);
  EXPECT_GT(InfoField(client, "memory", "used_memory_rss"), 0);
  // A BLPOP with a timeout is in the timeout table; one without is not.
  RespClient timed = MustConnect();
  RespClient forever = MustConnect();
  ASSERT_TRUE(timed.Send(EncodeCommand({"BLPOP", "nothing-1", "30"})).ok());
  ASSERT_TRUE(forever.Send(EncodeCommand({"BLPOP", "nothing-2", "0"})).ok());
  EXPECT_TRUE(Eventually(absl::Seconds(5), [&] {
    return InfoField(client, "clients", "blocked_clients") == 2;
  }));
  EXPECT_EQ(InfoField(client, "clients", "clients_in_timeout_table"), 1);
  ASSERT_EQ(*client.Command({"RPUSH", "nothing-1", "a"}), ":1\r\n");
  EXPECT_TRUE(Eventually(absl::Seconds(5), [&] {
    return InfoField(client, "clients", "clients_in_timeout_table") == 0;
  }));
  EXPECT_EQ(
      InfoField(client, "persistence", "aof_rewrites_consecutive_failures"), 0);
}

// INFO prints every field redis-server 7.0 prints in the sections shardd
// has, but for those it does not measure (README, "Differences from
// Redis").
TEST_F(IntrospectionTest, InfoHasRedisFields) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::set<std::string> not_measured = {"client_recent_max_input_buffer",
                                              "client_recent_max_output_buffer",
                                              "used_memory_overhead",
                                              "used_memory_startup",
                                              "used_memory_dataset",
                                              "used_memory_dataset_perc",
                                              "mem_clients_normal",
                                              "expired_stale_perc",
                                              "reply_buffer_shrinks",
                                              "reply_buffer_expands",
                                              "used_cpu_sys_main_thread",
                                              "used_cpu_user_main_thread"};
  for (const std::string section :
       {"server", "clients", "memory", "persistence", "stats", "replication",
        "cpu", "cluster"}) {
    const std::set<std::string> ours_fields = InfoFields(ours, section);
    for (const std::string& field : InfoFields(*theirs, section)) {
      if (not_measured.contains(field)) continue;
      EXPECT_TRUE(ours_fields.contains(field)) << section << ": " << field;
    }
  }
}

// INFO's sections come in Redis's order, shardd's own after them; all but
// Errorstats, which shardd does not keep. ROLE and INFO replication say,
// as Redis does when it has no replicas, that the server is a master.
TEST_F(IntrospectionTest, InfoSectionsAndRoleAreRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const auto headers = [](RespClient& client) {
    std::vector<std::string> names;
    const std::string text =
        BulkOf(*client.Command({"INFO", "everything"})).value_or("");
    for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
      if (absl::StartsWith(line, "# ")) names.emplace_back(line.substr(2));
    }
    return names;
  };
  std::vector<std::string> expected = headers(*theirs);
  expected.erase(std::remove(expected.begin(), expected.end(), "Errorstats"),
                 expected.end());
  expected.push_back("Files");
  expected.push_back("Shards");
  EXPECT_EQ(absl::StrJoin(headers(ours), ","), absl::StrJoin(expected, ","));
  EXPECT_EQ(*ours.Command({"ROLE"}), *theirs->Command({"ROLE"}));
  // The same lines but for the random replication id.
  const auto replication = [](RespClient& client) {
    std::string text =
        BulkOf(*client.Command({"INFO", "replication"})).value_or("");
    const size_t at = text.find("master_replid:");
    if (at != std::string::npos) text.replace(at + 14, 40, "<id>");
    return text;
  };
  EXPECT_EQ(replication(ours), replication(*theirs));
  EXPECT_EQ(*ours.Command({"INFO", "cluster"}),
            *theirs->Command({"INFO", "cluster"}));
}

}  // namespace
}  // namespace shardd::integration
