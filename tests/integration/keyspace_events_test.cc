// Keyspace notifications (notify-keyspace-events) against the real binary
// (4 shards) and a real redis-server 7.0.
//
// The differential test sends the seeded command streams of the other
// differential tests (strings and keys, hashes and sets, lists and sorted
// sets, bit fields, HyperLogLogs and geo sets) to both servers, one command at
// a time, with every event class on, and compares the events each command
// raised as subscribers of both see them. Events of one key must match Redis's
// in number and order; events of different keys may interleave differently,
// since they come from different shards (README, "Differences from Redis"). Two
// shardd subscribers, on different connections, must each see them all.
//
// The other tests cover what a random stream does not: active expiry,
// key misses, "new" keys, CONFIG SET/GET of the classes, per-key order
// under a pipeline, and nothing published while notifications are off.
//
// To replay a failure: SHARDD_DIFF_SEED=<seed> ./keyspace_events_test
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/support/command_generator.h"
#include "tests/integration/support/data_model_generator.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/hash_set_generator.h"
#include "tests/integration/support/list_zset_generator.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;
constexpr int kCommandsPerSeed = 3000;
constexpr std::string_view kKeyspacePrefix = "__keyspace@0__:";

// One event as a subscriber of "__key*__:*" sees it.
struct Event {
  std::string channel;
  std::string payload;
  // The key it is about: the channel's tail or the payload.
  std::string Key() const {
    return channel.starts_with(kKeyspacePrefix)
               ? channel.substr(kKeyspacePrefix.size())
               : payload;
  }
  bool operator==(const Event&) const = default;
};

std::string DescribeEvents(const std::vector<Event>& events) {
  std::string text;
  for (const Event& e : events) {
    absl::StrAppend(&text, "\n    ", Printable(e.channel, 60), " ",
                    Printable(e.payload, 60));
  }
  return text.empty() ? " (none)" : text;
}

// The events of one command, by key, each key's in order.
std::map<std::string, std::vector<Event>> ByKey(
    const std::vector<Event>& events) {
  std::map<std::string, std::vector<Event>> by_key;
  for (const Event& e : events) by_key[e.Key()].push_back(e);
  return by_key;
}

// A pmessage push ("*4 pmessage pattern channel payload") as an Event.
std::optional<Event> ParsePatternMessage(std::string_view reply) {
  // The array's elements as bulk strings.
  const std::optional<std::vector<std::string>> parts = BulkArrayOf(reply);
  if (!parts || parts->size() != 4 || (*parts)[0] != "pmessage") {
    return std::nullopt;
  }
  return Event{(*parts)[2], (*parts)[3]};
}

// A subscriber of every keyspace and keyevent channel.
RespClient SubscribeToEvents(absl::StatusOr<RespClient> client) {
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return std::move(client).value();
  EXPECT_TRUE(client->Send(EncodeCommand({"PSUBSCRIBE", "__key*__:*"})).ok());
  absl::StatusOr<std::string> confirmation = client->ReadReply();
  EXPECT_TRUE(confirmation.ok()) << confirmation.status();
  return *std::move(client);
}

// Redis's events since the last call: PING in subscribed mode answers after
// every message published before it (Redis publishes an event before it
// replies to the command that raised it).
std::vector<Event> DrainReference(RespClient& subscriber) {
  std::vector<Event> events;
  EXPECT_TRUE(subscriber.Send(EncodeCommand({"PING"})).ok());
  while (true) {
    absl::StatusOr<std::string> reply = subscriber.ReadReply();
    if (!reply.ok()) {
      ADD_FAILURE() << "redis subscriber: " << reply.status();
      return events;
    }
    const std::optional<Event> event = ParsePatternMessage(*reply);
    if (!event) return events;  // the PING's pong
    events.push_back(*event);
  }
}

// `count` events from a shardd subscriber (which may get them after the
// command's reply, from another shard); failing on a timeout.
std::vector<Event> ReadEvents(RespClient& subscriber, size_t count) {
  std::vector<Event> events;
  while (events.size() < count) {
    absl::StatusOr<std::string> reply = subscriber.ReadReply();
    if (!reply.ok()) {
      ADD_FAILURE() << "shardd subscriber, after " << events.size() << " of "
                    << count << " events: " << reply.status();
      return events;
    }
    const std::optional<Event> event = ParsePatternMessage(*reply);
    if (!event) {
      ADD_FAILURE() << "not an event: " << Printable(*reply);
      return events;
    }
    events.push_back(*event);
  }
  return events;
}

class KeyspaceEventsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards),
            "--notify_keyspace_events=AKEn"};
  }
};

TEST_F(KeyspaceEventsTest, EventsOfEveryCommandMatchRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> reference = (*redis)->Connect();
  ASSERT_TRUE(reference.ok()) << reference.status();
  ASSERT_EQ(
      *reference->Command({"CONFIG", "SET", "notify-keyspace-events", "AKEn"}),
      kOk);
  RespClient reference_events = SubscribeToEvents((*redis)->Connect());
  std::vector<RespClient> subscribers;
  for (int i = 0; i < 2; ++i)
    subscribers.push_back(SubscribeToEvents(Connect()));
  std::vector<RespClient> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(MustConnect());
  ASSERT_FALSE(HasFailure());
  // A missing event shows as a timeout, an extra one at the next command.
  for (RespClient& subscriber : subscribers) {
    subscriber.set_timeout(absl::Seconds(5));
  }

  for (const DiffCase& c : CasesToRun()) {
    if (c.protocol != 2) continue;  // events are pushes either way
    std::cout << "keyspace events seed: " << c.seed << std::endl;
    CommandGenerator strings(c.seed);
    HashSetGenerator hashes_and_sets(c.seed);
    ListZSetGenerator lists_and_zsets(c.seed);
    DataModelGenerator data_models(c.seed);
    std::mt19937_64 random(c.seed);
    size_t compared = 0;
    for (int i = 0; i < kCommandsPerSeed; ++i) {
      std::vector<std::string> command;
      switch (random() % 4) {
        case 0:
          command = strings.Next();
          break;
        case 1:
          command = hashes_and_sets.Next();
          break;
        case 2:
          command = lists_and_zsets.Next();
          break;
        default:
          command = data_models.Next();
      }
      RespClient& client = clients[random() % clients.size()];
      ASSERT_TRUE(reference->Command(command).ok());
      const std::vector<Event> theirs = DrainReference(reference_events);
      compared += theirs.size();
      ASSERT_TRUE(client.Command(command).ok())
          << "seed " << c.seed << " #" << i << " " << Describe(command);
      for (RespClient& subscriber : subscribers) {
        const std::vector<Event> ours = ReadEvents(subscriber, theirs.size());
        ASSERT_EQ(ByKey(ours), ByKey(theirs))
            << "seed " << c.seed << ", command #" << i << ": "
            << Describe(command) << "\n  shardd:" << DescribeEvents(ours)
            << "\n  redis:" << DescribeEvents(theirs);
      }
    }
    std::cout << "  events compared: " << compared << std::endl;
    // A stream that raised next to nothing would prove nothing.
    EXPECT_GT(compared, static_cast<size_t>(kCommandsPerSeed / 2));
    ASSERT_EQ(*reference->Command({"FLUSHALL"}), kOk);
    ASSERT_EQ(*clients[0].Command({"FLUSHALL"}), kOk);
  }
  // Nothing more than Redis raised: a last event must come next.
  ASSERT_EQ(*clients[0].Command({"SET", "last", "1"}), kOk);
  for (RespClient& subscriber : subscribers) {
    const std::vector<Event> ours = ReadEvents(subscriber, 4);
    const std::vector<Event> expected = {{"__keyspace@0__:last", "new"},
                                         {"__keyevent@0__:new", "last"},
                                         {"__keyspace@0__:last", "set"},
                                         {"__keyevent@0__:set", "last"}};
    EXPECT_EQ(ours, expected) << DescribeEvents(ours);
  }
}

TEST_F(KeyspaceEventsTest, ActiveExpiryRaisesExpired) {
  RespClient subscriber = SubscribeToEvents(Connect());
  RespClient client = MustConnect();
  // Only expiries, and only by event.
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "Ex"}),
            kOk);
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(
        *client.Command({"SET", absl::StrCat("short:", i), "v", "PX", "20"}),
        kOk);
  }
  // Nobody reads the keys: the shards' expiry cycles find them.
  std::map<std::string, int> expired;
  for (const Event& e : ReadEvents(subscriber, 8)) {
    EXPECT_EQ(e.channel, "__keyevent@0__:expired");
    ++expired[e.payload];
  }
  for (int i = 0; i < 8; ++i) EXPECT_EQ(expired[absl::StrCat("short:", i)], 1);
}

TEST_F(KeyspaceEventsTest, ReadsOfMissingKeysRaiseKeymiss) {
  RespClient subscriber = SubscribeToEvents(Connect());
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "Km"}),
            kOk);
  ASSERT_EQ(*client.Command({"SET", "here", "1"}), kOk);
  EXPECT_EQ(*client.Command({"GET", "here"}), Bulk("1"));
  EXPECT_EQ(*client.Command({"GET", "absent"}), kNil);
  const std::vector<Event> expected = {{"__keyspace@0__:absent", "keymiss"}};
  EXPECT_EQ(ReadEvents(subscriber, 1), expected);
  // Nothing came for "here": the next event is the next miss.
  EXPECT_EQ(*client.Command({"LLEN", "absent2"}), Integer(0));
  const std::vector<Event> next = {{"__keyspace@0__:absent2", "keymiss"}};
  EXPECT_EQ(ReadEvents(subscriber, 1), next);
}

// Looking for key misses does not mark a key as used: with keymiss events
// on, EXISTS, TYPE and TTL still leave its idle time going, as in Redis
// (LOOKUP_NOTOUCH), while GET starts it again.
TEST_F(KeyspaceEventsTest, KeymissEventsLeaveIdleTimeAlone) {
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "Km"}),
            kOk);
  ASSERT_EQ(*client.Command({"SET", "idle", "1"}), kOk);
  // Idle for two seconds at least (bounded: the clock turns one a second),
  // so that a reset shows even across a second's turn.
  const auto idle_seconds = [&] {
    const std::string reply = *client.Command({"OBJECT", "IDLETIME", "idle"});
    return reply.size() > 3 ? std::stoll(reply.substr(1)) : -1;
  };
  ASSERT_TRUE(
      Eventually(absl::Seconds(10), [&] { return idle_seconds() >= 2; }));
  EXPECT_EQ(*client.Command({"EXISTS", "idle"}), Integer(1));
  EXPECT_EQ(*client.Command({"TYPE", "idle"}), "+string\r\n");
  EXPECT_EQ(*client.Command({"TTL", "idle"}), Integer(-1));
  EXPECT_GE(idle_seconds(), 2);
  EXPECT_EQ(*client.Command({"GET", "idle"}), Bulk("1"));
  EXPECT_LE(idle_seconds(), 1);
}

TEST_F(KeyspaceEventsTest, ConfigSetChoosesTheClassesAsRedisSpellsThem) {
  RespClient client = MustConnect();
  auto get = [&] {
    return *client.Command({"CONFIG", "GET", "notify-keyspace-events"});
  };
  auto config_value = [](std::string_view value) {
    return absl::StrCat("*2\r\n", Bulk("notify-keyspace-events"), Bulk(value));
  };
  // As Redis prints it: "n" is hidden beside "A".
  EXPECT_EQ(get(), config_value("AKE"));
  // The spellings redis-server 7.0.15 answers with.
  for (const auto& [set, shown] :
       std::vector<std::pair<std::string, std::string>>{
           {"g$lshzxetdKEmn", "AKEm"},
           {"ntdg$", "g$tdn"},
           {"mEKn", "nKEm"},
           {"Ad", "A"},
           {"", ""}}) {
    ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", set}),
              kOk);
    EXPECT_EQ(get(), config_value(shown)) << set;
  }
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "KQ"}),
            "-ERR CONFIG SET failed (possibly related to argument "
            "'notify-keyspace-events') - Invalid event class character. Use "
            "'Ag$lshzxeKEtmdn'.\r\n");
  EXPECT_EQ(get(), config_value(""));
}

TEST_F(KeyspaceEventsTest, NothingIsPublishedWhileOff) {
  RespClient subscriber = SubscribeToEvents(Connect());
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", ""}),
            kOk);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(*client.Command({"SET", absl::StrCat("k", i), "v"}), kOk);
  }
  // Only K or E without a class publishes nothing either.
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "KE"}),
            kOk);
  ASSERT_EQ(*client.Command({"DEL", "k1"}), Integer(1));
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "Eg"}),
            kOk);
  ASSERT_EQ(*client.Command({"DEL", "k2"}), Integer(1));
  // The first event the subscriber sees is the last DEL's.
  const std::vector<Event> expected = {{"__keyevent@0__:del", "k2"}};
  EXPECT_EQ(ReadEvents(subscriber, 1), expected);
}

TEST_F(KeyspaceEventsTest, OneKeysEventsArriveInOrderOnEveryShard) {
  constexpr int kRounds = 500;
  std::vector<RespClient> subscribers;
  for (int i = 0; i < kShards; ++i) {
    subscribers.push_back(SubscribeToEvents(Connect()));
  }
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"CONFIG", "SET", "notify-keyspace-events", "Kl"}),
            kOk);
  std::string pipeline;
  for (int i = 0; i < kRounds; ++i) {
    pipeline += EncodeCommand({"RPUSH", "queue", "a", "b"});
    pipeline += EncodeCommand({"LPOP", "queue"});
    pipeline += EncodeCommand({"RPOP", "queue"});
  }
  ASSERT_TRUE(client.Send(pipeline).ok());
  for (int i = 0; i < 3 * kRounds; ++i) ASSERT_TRUE(client.ReadReply().ok());
  for (RespClient& subscriber : subscribers) {
    const std::vector<Event> events = ReadEvents(subscriber, 3 * kRounds);
    ASSERT_EQ(events.size(), static_cast<size_t>(3 * kRounds));
    for (int i = 0; i < kRounds; ++i) {
      ASSERT_EQ(events[3 * i].payload, "rpush") << i;
      ASSERT_EQ(events[3 * i + 1].payload, "lpop") << i;
      ASSERT_EQ(events[3 * i + 2].payload, "rpop") << i;
    }
  }
}

// A server whose shards may hold next to no events for another: every
// batch that starts while an outbox is away waits for it.
class KeyspaceBacklogTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards),
            "--notify_keyspace_events=E$", "--keyspace_events_backlog=1"};
  }
};

TEST_F(KeyspaceBacklogTest, WritersWaitAndNoEventIsLost) {
  constexpr int kWrites = 20000;
  std::vector<RespClient> subscribers;
  for (int i = 0; i < kShards; ++i) {
    subscribers.push_back(SubscribeToEvents(Connect()));
  }
  std::vector<RespClient> writers;
  for (int i = 0; i < 2; ++i) writers.push_back(MustConnect());
  for (size_t w = 0; w < writers.size(); ++w) {
    std::string pipeline;
    for (int i = 0; i < kWrites; ++i) {
      pipeline += EncodeCommand({"SET", absl::StrCat("w", w, ":", i), "v"});
    }
    ASSERT_TRUE(writers[w].Send(pipeline).ok());
  }
  for (RespClient& writer : writers) {
    for (int i = 0; i < kWrites; ++i) ASSERT_EQ(*writer.ReadReply(), kOk);
  }
  // Every subscriber got every event once, each writer's in order where
  // one shard owns the keys (checked as counts: all arrive, none twice).
  for (RespClient& subscriber : subscribers) {
    std::map<std::string, int> seen;
    for (const Event& e : ReadEvents(subscriber, writers.size() * kWrites)) {
      ASSERT_EQ(e.channel, "__keyevent@0__:set");
      ASSERT_EQ(++seen[e.payload], 1) << e.payload;
    }
  }
  RespClient client = MustConnect();
  absl::StatusOr<std::string> info = client.Command({"INFO", "stats"});
  ASSERT_TRUE(info.ok());
  const std::optional<int64_t> waits =
      InfoInteger(*info, "keyspace_events_backlog_waits");
  ASSERT_TRUE(waits.has_value());
  EXPECT_GT(*waits, 0) << "the limit was never reached";
}

}  // namespace
}  // namespace shardd::integration
