// What tools ask a server about itself, against the real binary (4 shards)
// and redis-server: INFO's fields and counters (keyspace hits and misses,
// pub/sub counts), SLOWLOG, LATENCY, MEMORY, COMMAND (INFO, DOCS, LIST,
// GETKEYSANDFLAGS) and OBJECT IDLETIME/REFCOUNT.
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/reply_tree.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class IntrospectionTest : public ShardServerTest {
 protected:
  // A connection to a reference redis-server, started at the first call.
  absl::StatusOr<RespClient> ConnectReference() {
    if (redis_ == nullptr) {
      absl::StatusOr<std::unique_ptr<RedisReference>> redis =
          RedisReference::Start();
      if (!redis.ok()) return redis.status();
      redis_ = *std::move(redis);
    }
    return redis_->Connect();
  }

 private:
  std::unique_ptr<RedisReference> redis_;
};

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

// keyspace_hits and keyspace_misses count what Redis counts for a script of
// reads (one key, several, over several shards, of every type) and writes
// (which count nothing).
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

// How many times `needle` occurs in `text`.
size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// A COMMAND INFO or DOCS reply with every command's subcommands in name
// order: Redis lists them in its hash table's order, shardd by name.
std::string SortSubcommands(const std::string& reply) {
  std::optional<Reply> tree = ParseReply(reply);
  if (!tree.has_value()) return reply;
  const auto by_name = [](const Reply& a, const Reply& b) {
    return a.elements.empty() || b.elements.empty()
               ? false
               : a.elements[0].text < b.elements[0].text;
  };
  for (Reply& entry : tree->elements) {
    // COMMAND INFO: the tenth field of each entry.
    if (entry.type == '*' && entry.elements.size() == 10) {
      std::vector<Reply>& subs = entry.elements[9].elements;
      std::sort(subs.begin(), subs.end(), by_name);
    }
    // COMMAND DOCS (RESP3): the "subcommands" map, key by key.
    if (entry.type != '%') continue;
    for (size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
      if (entry.elements[i].text != "subcommands") continue;
      std::vector<Reply>& flat = entry.elements[i + 1].elements;
      std::vector<Reply> pairs;
      for (size_t j = 0; j + 1 < flat.size(); j += 2) {
        Reply pair;
        pair.elements = {std::move(flat[j]), std::move(flat[j + 1])};
        pairs.push_back(std::move(pair));
      }
      std::sort(pairs.begin(), pairs.end(), by_name);
      flat.clear();
      for (Reply& pair : pairs) {
        for (Reply& part : pair.elements) flat.push_back(std::move(part));
      }
    }
  }
  return Encode(*tree);
}

// COMMAND INFO of every command and subcommand shardd has is redis-server
// 7.0's, byte for byte in both protocols (arity, flags, key positions, ACL
// categories, tips, key specs, subcommands), but for the commands whose key
// specs carry notes (prose shardd leaves out) and those of whose
// subcommands shardd has only some.
TEST_F(IntrospectionTest, CommandInfoMatchesRedis) {
  for (const int protocol : {2, 3}) {
    absl::StatusOr<RespClient> theirs = ConnectReference();
    ASSERT_TRUE(theirs.ok()) << theirs.status();
    RespClient ours = MustConnect();
    if (protocol == 3) {
      ASSERT_TRUE(theirs->Command({"HELLO", "3"}).ok());
      ASSERT_TRUE(ours.Command({"HELLO", "3"}).ok());
    }
    const std::optional<std::vector<std::string>> names =
        BulkArrayOf(*MustConnect().Command({"COMMAND", "LIST"}));
    ASSERT_TRUE(names.has_value());
    int compared = 0;
    int subcommands = 0;
    for (const std::string& name : *names) {
      const std::string reference =
          SortSubcommands(*theirs->Command({"COMMAND", "INFO", name}));
      const std::string mine =
          SortSubcommands(*ours.Command({"COMMAND", "INFO", name}));
      // (DEBUG and MONITOR are refused inside MULTI here, so they have
      // no_multi.)
      const bool described =
          reference.find("$5\r\nnotes\r\n") == std::string::npos &&
          Occurrences(reference, name + "|") == Occurrences(mine, name + "|") &&
          name != "debug" && name != "monitor";
      EXPECT_NE(reference, protocol == 2 ? "*1\r\n$-1\r\n" : "*1\r\n_\r\n")
          << name << " is not a Redis 7.0 command";
      if (!described) continue;
      EXPECT_EQ(Printable(mine, 2000), Printable(reference, 2000))
          << name << " RESP" << protocol;
      ++compared;
      if (name.find('|') != std::string::npos) ++subcommands;
    }
    EXPECT_GT(compared, 150) << "RESP" << protocol;
    EXPECT_GT(subcommands, 40) << "RESP" << protocol;
  }
  RespClient client = MustConnect();
  std::optional<std::vector<std::string>> transaction =
      BulkArrayOf(*client.Command(
          {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "TRANSACTION"}));
  ASSERT_TRUE(transaction.has_value());
  std::sort(transaction->begin(), transaction->end());
  EXPECT_EQ(*transaction, (std::vector<std::string>{"discard", "exec", "multi",
                                                    "unwatch", "watch"}));
}

// `docs` without what shardd words itself or leaves out (summaries,
// complexity, history), and without the subcommands not in `kept`
// (nor a "subcommands" field left empty).
void StripProse(Reply* docs, const std::set<std::string>& kept) {
  if (docs->type != '%') {
    for (Reply& element : docs->elements) StripProse(&element, kept);
    return;
  }
  std::vector<Reply> elements;
  for (size_t i = 0; i + 1 < docs->elements.size(); i += 2) {
    const std::string& key = docs->elements[i].text;
    if (key == "summary" || key == "complexity" || key == "history" ||
        (key.find('|') != std::string::npos && !kept.contains(key))) {
      continue;
    }
    Reply value = std::move(docs->elements[i + 1]);
    StripProse(&value, kept);
    // (None of SCRIPT's subcommands is shardd's.)
    if (key == "subcommands" && value.elements.empty()) continue;
    elements.push_back(std::move(docs->elements[i]));
    elements.push_back(std::move(value));
  }
  docs->elements = std::move(elements);
}

// The value of `key` in a RESP3 map, or null.
const Reply* MapValue(const Reply& map, const std::string& key) {
  for (size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].text == key) return &map.elements[i + 1];
  }
  return nullptr;
}

// COMMAND DOCS of every command and subcommand shardd has is redis-server
// 7.0's (since, group, doc flags, arguments, subcommands shardd has), with
// a summary and a complexity of shardd's own; the whole table is served
// without names, and a RESP2 client gets the same as flat arrays.
TEST_F(IntrospectionTest, CommandDocsMatchRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  ASSERT_TRUE(theirs->Command({"HELLO", "3"}).ok());
  ASSERT_TRUE(ours.Command({"HELLO", "3"}).ok());
  const std::optional<std::vector<std::string>> names =
      BulkArrayOf(*MustConnect().Command({"COMMAND", "LIST"}));
  ASSERT_TRUE(names.has_value());
  const std::set<std::string> kept(names->begin(), names->end());
  for (const std::string& name : *names) {
    std::optional<Reply> mine =
        ParseReply(*ours.Command({"COMMAND", "DOCS", name}));
    std::optional<Reply> reference =
        ParseReply(*theirs->Command({"COMMAND", "DOCS", name}));
    ASSERT_TRUE(mine.has_value() && reference.has_value()) << name;
    ASSERT_EQ(mine->elements.size(), 2u) << name;
    // Each where Redis has one (MONITOR has no complexity).
    for (const char* field : {"summary", "complexity"}) {
      if (MapValue(reference->elements[1], field) == nullptr) continue;
      const Reply* text = MapValue(mine->elements[1], field);
      EXPECT_TRUE(text != nullptr && !text->text.empty()) << name << field;
    }
    StripProse(&*mine, kept);
    StripProse(&*reference, kept);
    mine = ParseReply(SortSubcommands(Encode(*mine)));
    reference = ParseReply(SortSubcommands(Encode(*reference)));
    ASSERT_TRUE(mine.has_value() && reference.has_value()) << name;
    EXPECT_EQ(Printable(Encode(*mine), 3000),
              Printable(Encode(*reference), 3000))
        << name;
  }
  // Every command at once; unknown names are left out.
  std::optional<Reply> all = ParseReply(*ours.Command({"COMMAND", "DOCS"}));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(static_cast<int64_t>(all->elements.size() / 2),
            IntegerOf(*ours.Command({"COMMAND", "COUNT"})).value_or(-1));
  EXPECT_EQ(*ours.Command({"COMMAND", "DOCS", "nosuch", "nosuch|x"}), "%0\r\n");
  // RESP2: the map as a flat array.
  RespClient resp2 = MustConnect();
  std::optional<Reply> get =
      ParseReply(*resp2.Command({"COMMAND", "DOCS", "GET"}));
  ASSERT_TRUE(get.has_value());
  ASSERT_EQ(get->type, '*');
  ASSERT_EQ(get->elements.size(), 2u);
  EXPECT_EQ(get->elements[0].text, "get");
  std::vector<std::string> keys;
  for (size_t i = 0; i < get->elements[1].elements.size(); i += 2) {
    keys.push_back(get->elements[1].elements[i].text);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"summary", "since", "group",
                                            "complexity", "arguments"}));
}

// COMMAND LIST names every subcommand after its command, each one Redis
// has; GETKEYS and GETKEYSANDFLAGS find the keys and their key spec flags
// as Redis does; COMMAND HELP and the other containers' HELP answer.
TEST_F(IntrospectionTest, CommandSubcommandsMatchRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::optional<std::vector<std::string>> mine =
      BulkArrayOf(*ours.Command({"COMMAND", "LIST"}));
  const std::optional<std::vector<std::string>> reference =
      BulkArrayOf(*theirs->Command({"COMMAND", "LIST"}));
  ASSERT_TRUE(mine.has_value() && reference.has_value());
  const std::set<std::string> known(reference->begin(), reference->end());
  std::string parent;
  for (const std::string& name : *mine) {
    EXPECT_TRUE(known.contains(name)) << name;
    const size_t bar = name.find('|');
    if (bar == std::string::npos) {
      parent = name;
    } else {
      EXPECT_EQ(name.substr(0, bar), parent) << name;
    }
  }
  EXPECT_NE(std::find(mine->begin(), mine->end(), "client|list"), mine->end());
  // CLIENT TRACKING is refused, so it is not listed.
  EXPECT_EQ(std::find(mine->begin(), mine->end(), "client|tracking"),
            mine->end());
  for (const int protocol : {2, 3}) {
    RespClient a = MustConnect();
    absl::StatusOr<RespClient> b = ConnectReference();
    ASSERT_TRUE(b.ok()) << b.status();
    if (protocol == 3) {
      ASSERT_TRUE(a.Command({"HELLO", "3"}).ok());
      ASSERT_TRUE(b->Command({"HELLO", "3"}).ok());
    }
    const std::vector<std::vector<std::string>> commands = {
        {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"},
        {"COMMAND", "GETKEYSANDFLAGS", "get", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"},
        {"COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"},
        {"COMMAND", "GETKEYSANDFLAGS", "del", "a", "b", "c"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "x", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "3", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "0", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a"},
        {"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a", "b", "LIMIT",
         "1"},
        {"COMMAND", "GETKEYSANDFLAGS", "eval", "return 1", "0"},
        {"COMMAND", "GETKEYSANDFLAGS", "eval", "return 1", "2", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "object", "encoding", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "object", "nosuch", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "spublish", "ch", "m"},
        {"COMMAND", "GETKEYS", "object", "encoding", "k"},
        {"COMMAND", "GETKEYSANDFLAGS", "blpop", "a", "b", "0"},
        {"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"},
        {"COMMAND", "GETKEYSANDFLAGS", "ping"},
        {"COMMAND", "GETKEYSANDFLAGS", "ping", "x"},
        {"COMMAND", "GETKEYSANDFLAGS", "nosuch", "x"},
        {"COMMAND", "GETKEYSANDFLAGS", "get", "a", "b"},
        {"COMMAND", "GETKEYS", "get"},
        {"COMMAND", "GETKEYS", "ping", "x"},
        {"COMMAND", "INFO", "client|list", "CLIENT|ID", "client|nosuch"},
        {"COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"},
        {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "pubsub"},
        {"OBJECT", "HELP", "x"},
        {"CONFIG", "HELP", "x"},
        {"COMMAND", "HELP", "x"},
        {"FUNCTION", "HELP", "x"},
        {"OBJECT", "IDLETIME"},
        {"OBJECT", "REFCOUNT", "nosuch"},
        {"OBJECT", "IDLETIME", "nosuch"},
    };
    for (const std::vector<std::string>& command : commands) {
      const std::string x = *a.Command(command);
      const std::string y = *b->Command(command);
      if (command[1] == "LIST") {
        // Redis's list is in its table's order; compare as sets.
        std::optional<std::vector<std::string>> xs = BulkArrayOf(x);
        std::optional<std::vector<std::string>> ys = BulkArrayOf(y);
        ASSERT_TRUE(xs.has_value() && ys.has_value());
        std::sort(xs->begin(), xs->end());
        std::sort(ys->begin(), ys->end());
        EXPECT_EQ(*xs, *ys) << absl::StrJoin(command, " ");
        continue;
      }
      EXPECT_EQ(Printable(x, 1000), Printable(y, 1000))
          << absl::StrJoin(command, " ") << " RESP" << protocol;
    }
  }
  for (const char* container :
       {"COMMAND", "CONFIG", "FUNCTION", "OBJECT", "CLIENT", "MEMORY",
        "SLOWLOG", "LATENCY", "PUBSUB", "ACL"}) {
    const std::string help = *ours.Command({container, "HELP"});
    EXPECT_TRUE(help.starts_with("*")) << container << Printable(help);
    EXPECT_NE(help.find(absl::StrCat(container, " <subcommand>")),
              std::string::npos)
        << container;
  }
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
       {"server", "clients", "memory", "persistence", "stats", "cpu"}) {
    const std::set<std::string> ours_fields = InfoFields(ours, section);
    for (const std::string& field : InfoFields(*theirs, section)) {
      if (not_measured.contains(field)) continue;
      EXPECT_TRUE(ours_fields.contains(field)) << section << ": " << field;
    }
  }
}

}  // namespace
}  // namespace shardd::integration
