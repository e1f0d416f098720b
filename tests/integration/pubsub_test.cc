// Pub/sub across shards, against the real binary (4 shards): subscribers
// and publishers on many connections, which shardd spreads over its shards
// (checked with INFO's per-shard connection counts), so that messages cross
// shards. Counts, formats, per-publisher order, pattern and shard channels,
// PUBSUB's answers, RESP2's subscribed mode and RESP3's pushes, PUBLISH and
// SUBSCRIBE in MULTI, RESET, the --timeout exemption and the
// slow-subscriber limit.
// The replies of a one-connection script are compared with redis-server's.
#include <poll.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/support/differential_fixture.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;

// A message as RESP2 or RESP3 carries it.
std::string Message(std::string_view channel, std::string_view payload,
                    bool resp3 = false) {
  return absl::StrCat(resp3 ? ">3\r\n" : "*3\r\n", Bulk("message"),
                      Bulk(channel), Bulk(payload));
}
std::string PatternMessage(std::string_view pattern, std::string_view channel,
                           std::string_view payload) {
  return absl::StrCat("*4\r\n", Bulk("pmessage"), Bulk(pattern), Bulk(channel),
                      Bulk(payload));
}
std::string Confirmation(std::string_view word, std::string_view name,
                         int64_t count) {
  return absl::StrCat("*3\r\n", Bulk(word), Bulk(name), Integer(count));
}

class PubSubTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards)};
  }

  // Sends a (P|S)SUBSCRIBE of `names` and reads one confirmation each.
  void SubscribeTo(RespClient& client, const std::string& command,
                   const std::vector<std::string>& names) {
    std::vector<std::string> args = {command};
    args.insert(args.end(), names.begin(), names.end());
    ASSERT_TRUE(client.Send(EncodeCommand(args)).ok());
    for (size_t i = 0; i < names.size(); ++i) {
      absl::StatusOr<std::string> reply = client.ReadReply();
      ASSERT_TRUE(reply.ok()) << reply.status();
    }
  }

  // The connections of each shard, from INFO's "# Shards" section.
  std::vector<int> ConnectionsPerShard() {
    RespClient client = MustConnect();
    absl::StatusOr<std::string> info = client.Command({"INFO", "shards"});
    std::vector<int> counts;
    if (!info.ok()) return counts;
    for (absl::string_view line : absl::StrSplit(*info, "\r\n")) {
      if (!absl::StartsWith(line, "shard_")) continue;
      const size_t at = line.find("connections=");
      if (at == absl::string_view::npos) continue;
      int n = 0;
      absl::SimpleAtoi(line.substr(at + 12, line.find(',', at) - at - 12), &n);
      counts.push_back(n);
    }
    return counts;
  }
};

TEST_F(PubSubTest, EverySubscriberOnEveryShardGetsEachMessageOnce) {
  std::vector<RespClient> subscribers;
  for (int i = 0; i < 2 * kShards; ++i) {
    subscribers.push_back(MustConnect());
    SubscribeTo(subscribers.back(), "SUBSCRIBE", {"news"});
  }
  std::vector<RespClient> watchers;  // by pattern
  for (int i = 0; i < kShards; ++i) {
    watchers.push_back(MustConnect());
    SubscribeTo(watchers.back(), "PSUBSCRIBE", {"ne*"});
  }
  std::vector<RespClient> publishers;
  for (int i = 0; i < kShards; ++i) publishers.push_back(MustConnect());
  // Connections spread over the shards: a message must cross them.
  const std::vector<int> per_shard = ConnectionsPerShard();
  ASSERT_EQ(per_shard.size(), static_cast<size_t>(kShards));
  for (int n : per_shard) EXPECT_GE(n, 2);

  const int receivers = 3 * kShards;
  for (size_t p = 0; p < publishers.size(); ++p) {
    const std::string payload = absl::StrCat("from-", p);
    EXPECT_EQ(*publishers[p].Command({"PUBLISH", "news", payload}),
              Integer(receivers));
    for (RespClient& subscriber : subscribers) {
      EXPECT_EQ(*subscriber.ReadReply(), Message("news", payload));
    }
    for (RespClient& watcher : watchers) {
      EXPECT_EQ(*watcher.ReadReply(), PatternMessage("ne*", "news", payload));
    }
  }
  // Nobody listens to this one.
  EXPECT_EQ(*publishers[0].Command({"PUBLISH", "sports", "x"}), Integer(0));
}

TEST_F(PubSubTest, MessagesOfOnePublisherArriveInOrder) {
  constexpr int kMessages = 2000;
  std::vector<RespClient> subscribers;
  for (int i = 0; i < kShards; ++i) {
    subscribers.push_back(MustConnect());
    SubscribeTo(subscribers.back(), "SUBSCRIBE", {"seq"});
  }
  std::vector<RespClient> publishers;
  for (int i = 0; i < 2; ++i) publishers.push_back(MustConnect());
  // Both publishers pipeline every message at once, interleaved.
  for (size_t p = 0; p < publishers.size(); ++p) {
    std::string pipeline;
    for (int i = 0; i < kMessages; ++i) {
      pipeline += EncodeCommand({"PUBLISH", "seq", absl::StrCat(p, ":", i)});
    }
    ASSERT_TRUE(publishers[p].Send(pipeline).ok());
  }
  for (RespClient& publisher : publishers) {
    for (int i = 0; i < kMessages; ++i) {
      ASSERT_EQ(*publisher.ReadReply(), Integer(kShards));
    }
  }
  for (RespClient& subscriber : subscribers) {
    std::vector<int> next(publishers.size(), 0);
    for (int i = 0; i < kMessages * 2; ++i) {
      absl::StatusOr<std::string> message = subscriber.ReadReply();
      ASSERT_TRUE(message.ok()) << message.status();
      // The payload "<publisher>:<seq>" is the last bulk string.
      const size_t colon = message->rfind(':');
      const size_t start = message->rfind('\n', colon) + 1;
      const int p = (*message)[start] - '0';
      ASSERT_TRUE(p == 0 || p == 1) << Printable(*message);
      int seq = -1;
      ASSERT_TRUE(absl::SimpleAtoi(
          message->substr(colon + 1, message->size() - colon - 3), &seq));
      ASSERT_EQ(seq, next[p]) << "publisher " << p;
      ++next[p];
    }
  }
}

TEST_F(PubSubTest, PubSubCommandsCountOverEveryShard) {
  std::vector<RespClient> clients;
  for (int i = 0; i < 2 * kShards; ++i) {
    clients.push_back(MustConnect());
    SubscribeTo(clients.back(), "SUBSCRIBE", {"a", absl::StrCat("own-", i)});
    SubscribeTo(clients.back(), "PSUBSCRIBE", {i % 2 == 0 ? "p*" : "q*"});
    SubscribeTo(clients.back(), "SSUBSCRIBE", {"s"});
  }
  RespClient asker = MustConnect();
  EXPECT_EQ(*asker.Command({"PUBSUB", "NUMSUB", "a", "own-3", "none"}),
            absl::StrCat("*6\r\n", Bulk("a"), Integer(2 * kShards),
                         Bulk("own-3"), Integer(1), Bulk("none"), Integer(0)));
  EXPECT_EQ(*asker.Command({"PUBSUB", "NUMPAT"}), Integer(2));
  const absl::StatusOr<std::string> channels =
      asker.Command({"PUBSUB", "CHANNELS"});
  ASSERT_TRUE(BulkArrayOf(*channels).has_value()) << Printable(*channels);
  EXPECT_EQ(BulkArrayOf(*channels)->size(), 1u + 2 * kShards);
  EXPECT_EQ(*asker.Command({"PUBSUB", "CHANNELS", "own-1*"}),
            absl::StrCat("*1\r\n", Bulk("own-1")));
  EXPECT_EQ(*asker.Command({"PUBSUB", "SHARDCHANNELS"}),
            absl::StrCat("*1\r\n", Bulk("s")));
  EXPECT_EQ(*asker.Command({"PUBSUB", "SHARDNUMSUB", "s"}),
            absl::StrCat("*2\r\n", Bulk("s"), Integer(2 * kShards)));
  EXPECT_EQ(*asker.Command({"SPUBLISH", "s", "x"}), Integer(2 * kShards));
  EXPECT_EQ(*clients[0].ReadReply(),
            absl::StrCat("*3\r\n", Bulk("smessage"), Bulk("s"), Bulk("x")));
  EXPECT_EQ(*asker.Command({"PUBSUB", "NOPE"}),
            "-ERR unknown subcommand 'NOPE'. Try PUBSUB HELP.\r\n");
  // Closed connections take their subscriptions with them.
  // (A close reaches each shard's session asynchronously.)
  clients.clear();
  const std::string none = absl::StrCat("*2\r\n", Bulk("a"), Integer(0));
  EXPECT_TRUE(Eventually(absl::Seconds(10), [&] {
    return *asker.Command({"PUBSUB", "NUMSUB", "a"}) == none;
  }));
  EXPECT_EQ(*asker.Command({"PUBSUB", "NUMPAT"}), Integer(0));
}

TEST_F(PubSubTest, Resp2SubscribedModeAllowsOnlyPubSubCommands) {
  RespClient client = MustConnect();
  SubscribeTo(client, "SUBSCRIBE", {"c"});
  EXPECT_EQ(*client.Command({"GET", "k"}),
            "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / "
            "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
            "context\r\n");
  EXPECT_EQ(*client.Command({"PING"}),
            absl::StrCat("*2\r\n", Bulk("pong"), Bulk("")));
  EXPECT_EQ(*client.Command({"PING", "hi"}),
            absl::StrCat("*2\r\n", Bulk("pong"), Bulk("hi")));
  EXPECT_EQ(*client.Command({"UNSUBSCRIBE"}),
            Confirmation("unsubscribe", "c", 0));
  // Out of subscribed mode, everything again.
  EXPECT_EQ(*client.Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*client.Command({"GET", "k"}), "$-1\r\n");
}

TEST_F(PubSubTest, Resp3MixesCommandsAndPushes) {
  RespClient subscriber = MustConnect();
  ASSERT_TRUE(subscriber.Command({"HELLO", "3"}).ok());
  EXPECT_EQ(*subscriber.Command({"SUBSCRIBE", "c"}),
            absl::StrCat(">3\r\n", Bulk("subscribe"), Bulk("c"), Integer(1)));
  std::vector<RespClient> publishers;
  for (int i = 0; i < kShards; ++i) {
    publishers.push_back(MustConnect());
    EXPECT_EQ(*publishers.back().Command({"PUBLISH", "c", "m"}), Integer(1));
  }
  // Any command works while subscribed; the pushes delivered before it
  // come first, each whole, then its reply.
  ASSERT_TRUE(subscriber.Send(EncodeCommand({"SET", "k", "v"})).ok());
  for (int i = 0; i < kShards; ++i) {
    EXPECT_EQ(*subscriber.ReadReply(), Message("c", "m", /*resp3=*/true));
  }
  EXPECT_EQ(*subscriber.ReadReply(), kOk);
  EXPECT_EQ(*subscriber.Command({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(*subscriber.Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*subscriber.Command({"UNSUBSCRIBE"}),
            absl::StrCat(">3\r\n", Bulk("unsubscribe"), Bulk("c"), Integer(0)));
  EXPECT_EQ(*subscriber.Command({"UNSUBSCRIBE"}),
            absl::StrCat(">3\r\n", Bulk("unsubscribe"), "_\r\n", Integer(0)));
}

TEST_F(PubSubTest, PublishInsideMultiAndReset) {
  std::vector<RespClient> subscribers;
  for (int i = 0; i < kShards; ++i) {
    subscribers.push_back(MustConnect());
    SubscribeTo(subscribers.back(), "SUBSCRIBE", {"tx"});
  }
  RespClient client = MustConnect();
  EXPECT_EQ(*client.Command({"MULTI"}), kOk);
  EXPECT_EQ(*client.Command({"SET", "k", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(*client.Command({"PUBLISH", "tx", "done"}), "+QUEUED\r\n");
  EXPECT_EQ(*client.Command({"EXEC"}),
            absl::StrCat("*2\r\n", std::string(kOk), Integer(kShards)));
  for (RespClient& subscriber : subscribers) {
    EXPECT_EQ(*subscriber.ReadReply(), Message("tx", "done"));
  }
  // RESET: out of subscribed mode and back to RESP2, even inside MULTI.
  RespClient other = MustConnect();
  ASSERT_TRUE(other.Command({"HELLO", "3"}).ok());
  SubscribeTo(other, "PSUBSCRIBE", {"t*"});
  EXPECT_EQ(*other.Command({"MULTI"}), kOk);
  EXPECT_EQ(*other.Command({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(*other.Command({"GET", "nothing"}), "$-1\r\n");
  EXPECT_EQ(*client.Command({"PUBLISH", "tx", "again"}), Integer(kShards));
}

// A subscription made inside EXEC: no message to the new channel reaches
// the client before EXEC's reply (which holds the subscribe's
// confirmation), even while other connections publish to it as EXEC runs,
// and for a connection that had subscribed before.
TEST_F(PubSubTest, NoMessageBeforeTheExecThatSubscribed) {
  constexpr int kWrites = 2000;
  constexpr int kRound = 20;  // publishes per publisher per round
  RespClient client = MustConnect();
  SubscribeTo(client, "SUBSCRIBE", {"earlier"});
  ASSERT_EQ(*client.Command({"UNSUBSCRIBE", "earlier"}),
            Confirmation("unsubscribe", "earlier", 0));
  ASSERT_EQ(*client.Command({"MULTI"}), kOk);
  ASSERT_EQ(*client.Command({"SUBSCRIBE", "during"}), "+QUEUED\r\n");
  // Writes to a few keys (on several shards) keep EXEC running a while
  // after it has locked them.
  std::string writes;
  for (int i = 0; i < kWrites; ++i) {
    writes += EncodeCommand({"SET", absl::StrCat("exec-key-", i % 4), "v"});
  }
  ASSERT_TRUE(client.Send(writes).ok());
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_EQ(*client.ReadReply(), "+QUEUED\r\n");
  }
  std::vector<RespClient> publishers;
  for (int i = 0; i < kShards; ++i) publishers.push_back(MustConnect());
  std::string round;
  for (int i = 0; i < kRound; ++i) {
    round += EncodeCommand({"PUBLISH", "during", "m"});
  }
  // Rounds of publishes from every shard until the client has something
  // to read: they span EXEC's run.
  ASSERT_TRUE(client.Send(EncodeCommand({"EXEC"})).ok());
  int64_t received = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  for (;;) {
    for (RespClient& publisher : publishers) {
      ASSERT_TRUE(publisher.Send(round).ok());
    }
    for (RespClient& publisher : publishers) {
      for (int i = 0; i < kRound; ++i) {
        const absl::StatusOr<std::string> reply = publisher.ReadReply();
        ASSERT_TRUE(reply.ok()) << reply.status();
        received += IntegerOf(*reply).value_or(0);
      }
    }
    pollfd readable = {client.fd(), POLLIN, 0};
    if (poll(&readable, 1, 0) == 1) break;
    ASSERT_LT(absl::Now(), deadline);
  }
  const absl::StatusOr<std::string> exec = client.ReadReply();
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_TRUE(absl::StartsWith(
      *exec, absl::StrCat("*", kWrites + 1, "\r\n",
                          Confirmation("subscribe", "during", 1))))
      << Printable(*exec, 100);
  // Every message the publishers counted comes, after EXEC's reply.
  for (int64_t i = 0; i < received; ++i) {
    ASSERT_EQ(*client.ReadReply(), Message("during", "m")) << i;
  }
}

// A slow subscriber: one that never reads. Its unsent bytes grow until they
// pass the hard limit; then it is disconnected, and publishers go on.
class SlowSubscriberTest : public PubSubTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards),
            "--client_output_limit_pubsub=1mb 0 0"};
  }
};

TEST_F(SlowSubscriberTest, PastTheHardLimitItIsDisconnected) {
  RespClient slow = MustConnect();
  SubscribeTo(slow, "SUBSCRIBE", {"flood"});
  RespClient publisher = MustConnect();
  const std::string payload(64 << 10, 'x');
  // The kernel's socket buffers take some megabytes first; 64 MiB is far
  // past both them and the limit.
  bool dropped = false;
  for (int i = 0; i < 1024 && !dropped; ++i) {
    absl::StatusOr<std::string> receivers =
        publisher.Command({"PUBLISH", "flood", payload});
    ASSERT_TRUE(receivers.ok()) << receivers.status();
    dropped = *receivers == Integer(0);
  }
  EXPECT_TRUE(dropped) << "the slow subscriber was never disconnected";
  slow.set_timeout(absl::Seconds(10));
  EXPECT_TRUE(slow.ReadUntilClosed().ok());
  EXPECT_EQ(*publisher.Command({"PING"}), "+PONG\r\n");
}

// --timeout closes idle clients, but not subscribed ones (as in Redis).
class SubscriberTimeoutTest : public PubSubTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", absl::StrCat("--shards=", kShards), "--timeout=1"};
  }
};

TEST_F(SubscriberTimeoutTest, SubscribersAreExempt) {
  RespClient subscriber = MustConnect();
  SubscribeTo(subscriber, "SUBSCRIBE", {"c"});
  RespClient idle = MustConnect();
  ASSERT_EQ(*idle.Command({"PING"}), "+PONG\r\n");
  // The idle client goes after a second; the subscriber, idle as long,
  // stays.
  idle.set_timeout(absl::Seconds(10));
  ASSERT_TRUE(idle.ReadUntilClosed().ok());
  RespClient publisher = MustConnect();
  EXPECT_EQ(*publisher.Command({"PUBLISH", "c", "still here"}), Integer(1));
  EXPECT_EQ(*subscriber.ReadReply(), Message("c", "still here"));
}

// One connection's pub/sub replies, step by step, against redis-server
// (one channel or pattern at a time, so that no reply depends on a hash
// table's order).
TEST_F(PubSubTest, RepliesMatchRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  struct Step {
    int client;
    std::vector<std::string> command;
    int pushes;           // replies to read after the command's own (messages)
    bool compare = true;  // false: HELLO (the version and id differ)
  };
  const std::vector<Step> steps = {
      {0, {"UNSUBSCRIBE"}, 0},
      {0, {"PUNSUBSCRIBE", "x"}, 0},
      {0, {"SUBSCRIBE", "a"}, 0},
      {0, {"SUBSCRIBE", "a"}, 0},
      {0, {"PSUBSCRIBE", "a*"}, 0},
      {0, {"SSUBSCRIBE", "s"}, 0},
      {1, {"PUBLISH", "a", "hello"}, 0},
      {1, {"SPUBLISH", "s", "shard"}, 0},
      {1, {"PUBLISH", "ab", "by pattern"}, 0},
      {0, {"PING"}, 4},
      {0, {"PING", "x"}, 0},
      {0, {"GET", "a"}, 0},
      {0, {"MULTI"}, 0},
      {0, {"UNSUBSCRIBE", "a", "b"}, 0},
      {0, {"PUNSUBSCRIBE"}, 0},
      {0, {"SUNSUBSCRIBE"}, 0},
      {0, {"PING"}, 0},
      {1, {"PUBSUB", "NUMSUB", "a"}, 0},
      {1, {"PUBSUB", "NUMPAT"}, 0},
      {1, {"PUBSUB", "CHANNELS"}, 0},
      {1, {"PUBSUB", "CHANNELS", "a", "b"}, 0},
      {1, {"PUBSUB", "NUMSUB"}, 0},
      {1, {"SUBSCRIBE"}, 0},
      {1, {"PUBLISH", "a"}, 0},
      {0, {"HELLO", "3"}, 0, false},
      {0, {"SUBSCRIBE", "a"}, 0},
      {1, {"PUBLISH", "a", "three"}, 0},
      {0, {"GET", "a"}, 1},
      // Its own message comes before PUBLISH's reply.
      {0, {"PUBLISH", "a", "self"}, 1},
      {0, {"UNSUBSCRIBE"}, 0},
      {0, {"UNSUBSCRIBE"}, 0},
      {0, {"RESET"}, 0},
      {0, {"PING"}, 0},
      // Subscriptions inside MULTI run in EXEC, in order with the rest (a
      // RESP2 PING after one answers as a message); SSUBSCRIBE is refused.
      {0, {"MULTI"}, 0},
      {0, {"SUBSCRIBE", "c"}, 0},
      {0, {"PSUBSCRIBE", "c*"}, 0},
      {0, {"SSUBSCRIBE", "s"}, 0},
      {0, {"PING"}, 0},
      {0, {"SET", "k", "v"}, 0},
      {0, {"PUNSUBSCRIBE", "c*"}, 0},
      {0, {"EXEC"}, 0},
      {1, {"PUBLISH", "c", "after exec"}, 0},
      {0, {"GET", "k"}, 1},
      {0, {"UNSUBSCRIBE"}, 0},
      {0, {"HELLO", "3"}, 0, false},
      {0, {"MULTI"}, 0},
      {0, {"SUBSCRIBE", "e"}, 0},
      {0, {"PING"}, 0},
      {0, {"EXEC"}, 0},
      {1, {"PUBLISH", "e", "resp3"}, 0},
      {0, {"GET", "k"}, 1},
      {0, {"RESET"}, 0},
  };
  std::vector<RespClient> ours;
  std::vector<RespClient> theirs;
  for (int i = 0; i < 2; ++i) {
    ours.push_back(MustConnect());
    absl::StatusOr<RespClient> reference = (*redis)->Connect();
    ASSERT_TRUE(reference.ok()) << reference.status();
    theirs.push_back(*std::move(reference));
  }
  bool in_multi[2] = {false, false};
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    for (std::vector<RespClient>* side : {&ours, &theirs}) {
      ASSERT_TRUE((*side)[step.client].Send(EncodeCommand(step.command)).ok());
    }
    // A (P|S)(UN)SUBSCRIBE replies once per name (inside MULTI, once).
    const std::string name = absl::AsciiStrToLower(step.command[0]);
    const bool per_name =
        name.find("subscribe") != std::string::npos && step.command.size() > 2;
    if (name == "exec") in_multi[step.client] = false;
    const int replies = 1 + step.pushes +
                        (per_name && !in_multi[step.client]
                             ? static_cast<int>(step.command.size()) - 2
                             : 0);
    for (int r = 0; r < replies; ++r) {
      absl::StatusOr<std::string> mine = ours[step.client].ReadReply();
      absl::StatusOr<std::string> reference = theirs[step.client].ReadReply();
      ASSERT_TRUE(mine.ok()) << "step " << i << ": " << mine.status();
      ASSERT_TRUE(reference.ok()) << "step " << i << ": " << reference.status();
      // (A subscribed RESP2 client's MULTI is refused.)
      if (name == "multi") in_multi[step.client] = *mine == kOk;
      if (!step.compare) continue;
      EXPECT_EQ(Printable(*mine), Printable(*reference))
          << "step " << i << ": " << Describe(step.command) << ", reply " << r;
    }
  }
}

}  // namespace
}  // namespace shardd::integration
