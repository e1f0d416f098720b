// MULTI / EXEC / DISCARD / WATCH / UNWATCH against a real redis-server: the
// same scripted steps, each naming the client that sends it, run on both
// servers in the same order (a deterministic schedule of two clients), and
// every reply must be byte for byte Redis's.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

struct Step {
  int client;  // 0 or 1
  std::vector<std::string> command;
};

class TransactionDifferentialTest : public ShardServerTest {
 protected:
  void SetUp() override {
    ShardServerTest::SetUp();
    absl::StatusOr<std::unique_ptr<RedisReference>> redis =
        RedisReference::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  // Runs `steps` on both servers with two fresh clients each (after a
  // FLUSHALL) and compares every reply: once in RESP2, once in RESP3.
  void ExpectSameReplies(const std::vector<Step>& steps) {
    for (const int protocol : {2, 3}) {
      SCOPED_TRACE(absl::StrCat("RESP", protocol));
      ExpectSameReplies(steps, protocol);
      if (HasFatalFailure()) return;
    }
  }

  void ExpectSameReplies(const std::vector<Step>& steps, int protocol) {
    std::vector<RespClient> ours;
    std::vector<RespClient> theirs;
    for (int c = 0; c < 2; ++c) {
      absl::StatusOr<RespClient> a = Connect();
      absl::StatusOr<RespClient> b = redis_->Connect();
      ASSERT_TRUE(a.ok() && b.ok());
      ours.push_back(*std::move(a));
      theirs.push_back(*std::move(b));
      if (protocol == 3) {
        ASSERT_TRUE(ours.back().Command({"HELLO", "3"}).ok());
        ASSERT_TRUE(theirs.back().Command({"HELLO", "3"}).ok());
      }
    }
    ASSERT_TRUE(ours[0].Command({"FLUSHALL"}).ok());
    ASSERT_TRUE(theirs[0].Command({"FLUSHALL"}).ok());
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& step = steps[i];
      absl::StatusOr<std::string> mine =
          ours[step.client].Command(step.command);
      absl::StatusOr<std::string> reference =
          theirs[step.client].Command(step.command);
      ASSERT_TRUE(mine.ok()) << mine.status();
      ASSERT_TRUE(reference.ok()) << reference.status();
      ASSERT_EQ(Printable(*mine), Printable(*reference))
          << "step " << i << " (client " << step.client << "): "
          << Printable(EncodeCommand(step.command));
    }
  }

  std::unique_ptr<RedisReference> redis_;
};

// Keys spread over the 4 shards (by their slots): a, b, c, d, list, set.
std::vector<Step> SingleClientSteps() {
  return {
      {0, {"EXEC"}},
      {0, {"DISCARD"}},
      {0, {"MULTI"}},
      {0, {"MULTI"}},
      {0, {"WATCH", "a"}},
      {0, {"SET", "a", "1"}},
      {0, {"INCR", "b"}},
      {0, {"MSET", "c", "3", "d", "4"}},
      {0, {"MGET", "a", "b", "c", "d"}},
      {0, {"BLPOP", "list", "0"}},
      {0, {"RPUSH", "list", "x", "y"}},
      {0, {"BLPOP", "list", "0"}},
      {0, {"LPUSH", "a", "wrongtype"}},
      {0, {"RENAME", "c", "renamed"}},
      {0, {"SMOVE", "set", "d", "m"}},
      {0, {"PING"}},
      {0, {"ECHO", "hi"}},
      {0, {"DBSIZE"}},
      {0, {"UNWATCH"}},
      {0, {"EXEC"}},
      {0, {"GET", "renamed"}},
      {0, {"MULTI"}},
      {0, {"NOSUCHCOMMAND", "x"}},
      {0, {"GET"}},
      {0, {"SET", "a", "never"}},
      {0, {"EXEC"}},
      {0, {"GET", "a"}},
      {0, {"MULTI"}},
      {0, {"SET", "a", "discarded"}},
      {0, {"DISCARD"}},
      {0, {"GET", "a"}},
      {0, {"MULTI"}},
      {0, {"EXEC"}},
      {0, {"WATCH"}},
      {0, {"UNWATCH"}},
      // The connection's own write to a watched key aborts its EXEC too.
      {0, {"WATCH", "a", "b"}},
      {0, {"SET", "b", "own"}},
      {0, {"MULTI"}},
      {0, {"GET", "a"}},
      {0, {"EXEC"}},
      {0, {"WATCH", "a"}},
      {0, {"MULTI"}},
      {0, {"GET", "a"}},
      {0, {"EXEC"}},
  };
}

std::vector<Step> TwoClientSteps() {
  return {
      {0, {"SET", "a", "1"}},
      {0, {"SET", "b", "1"}},
      // Another client's write to a watched key: EXEC is nil.
      {0, {"WATCH", "a"}},
      {1, {"INCR", "a"}},
      {0, {"MULTI"}},
      {0, {"INCR", "b"}},
      {0, {"EXEC"}},
      {0, {"MGET", "a", "b"}},
      // A write to another key leaves it alone.
      {0, {"WATCH", "a"}},
      {1, {"INCR", "c"}},
      {0, {"MULTI"}},
      {0, {"INCR", "b"}},
      {0, {"EXEC"}},
      // Deletion, RENAME onto it, and FLUSHALL all count as touching.
      {0, {"WATCH", "b"}},
      {1, {"DEL", "b"}},
      {0, {"MULTI"}},
      {0, {"SET", "x", "1"}},
      {0, {"EXEC"}},
      {0, {"WATCH", "b"}},
      {1, {"RENAME", "a", "b"}},
      {0, {"MULTI"}},
      {0, {"GET", "b"}},
      {0, {"EXEC"}},
      {0, {"WATCH", "b"}},
      {1, {"FLUSHALL"}},
      {0, {"MULTI"}},
      {0, {"GET", "b"}},
      {0, {"EXEC"}},
      // A key that did not exist and was created meanwhile.
      {0, {"WATCH", "fresh"}},
      {1, {"SET", "fresh", "1"}},
      {0, {"MULTI"}},
      {0, {"GET", "fresh"}},
      {0, {"EXEC"}},
      // UNWATCH forgets: the write no longer matters.
      {0, {"WATCH", "fresh"}},
      {0, {"UNWATCH"}},
      {1, {"SET", "fresh", "2"}},
      {0, {"MULTI"}},
      {0, {"GET", "fresh"}},
      {0, {"EXEC"}},
      // DISCARD ends the watches too.
      {0, {"WATCH", "fresh"}},
      {0, {"MULTI"}},
      {0, {"DISCARD"}},
      {1, {"SET", "fresh", "3"}},
      {0, {"MULTI"}},
      {0, {"GET", "fresh"}},
      {0, {"EXEC"}},
      // Writes that change nothing touch nothing, as in Redis: a member
      // already there, a key already gone, an expiry on a missing key, a
      // pop from an empty list.
      {0, {"SADD", "set", "m"}},
      {0, {"WATCH", "set", "gone", "list"}},
      {1, {"SADD", "set", "m"}},
      {1, {"SREM", "set", "absent"}},
      {1, {"DEL", "gone"}},
      {1, {"EXPIRE", "gone", "100"}},
      {1, {"LPOP", "list"}},
      {1, {"RENAMENX", "gone", "set"}},
      {0, {"MULTI"}},
      {0, {"SCARD", "set"}},
      {0, {"EXEC"}},
      // So do write commands that only read this time: BITFIELD of GETs or
      // of a value already there or of a write that fails, SETBIT of a bit
      // already so, SORT and
      // GEORADIUS without STORE, SET NX/XX that does not set, ZADD that
      // changes no score.
      {0, {"SET", "bits", "ab"}},
      {0, {"RPUSH", "list", "3", "1", "2"}},
      {0, {"GEOADD", "geo", "13.361389", "38.115556", "Palermo"}},
      {0, {"WATCH", "bits", "list", "geo"}},
      {1, {"BITFIELD", "bits", "GET", "u8", "0"}},
      {1, {"BITFIELD", "bits", "SET", "u8", "0", "97"}},
      {1, {"BITFIELD", "bits", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "200"}},
      {1, {"SETBIT", "bits", "0", "0"}},  // "a" is 0b01100001
      {1, {"SETBIT", "bits", "1", "1"}},
      {1, {"SORT", "list"}},
      {1, {"GEORADIUS", "geo", "13", "38", "100", "km"}},
      {1, {"SET", "bits", "x", "NX"}},
      {1, {"SET", "absent", "x", "XX"}},
      {1, {"ZADD", "geo", "XX", "1", "nobody"}},
      {1, {"ZADD", "geo", "NX", "1", "Palermo"}},
      {0, {"MULTI"}},
      {0, {"GET", "bits"}},
      {0, {"EXEC"}},
      // ... and a BITFIELD that changes a bit is a change.
      {0, {"WATCH", "bits"}},
      {1, {"BITFIELD", "bits", "SET", "u8", "0", "98"}},
      {0, {"MULTI"}},
      {0, {"GET", "bits"}},
      {0, {"EXEC"}},
      // ... and so is a SETBIT that changes one.
      {0, {"WATCH", "bits"}},
      {1, {"SETBIT", "bits", "2", "0"}},
      {0, {"MULTI"}},
      {0, {"GET", "bits"}},
      {0, {"EXEC"}},
      // ... and a SADD that does change a set still counts.
      {0, {"WATCH", "set"}},
      {1, {"SADD", "set", "new"}},
      {0, {"MULTI"}},
      {0, {"SCARD", "set"}},
      {0, {"EXEC"}},
      // Both clients in MULTI at once; the second EXEC sees the first.
      {0, {"MULTI"}},
      {1, {"MULTI"}},
      {0, {"INCRBY", "n", "5"}},
      {1, {"INCRBY", "n", "7"}},
      {1, {"GET", "n"}},
      {0, {"GET", "n"}},
      {1, {"EXEC"}},
      {0, {"EXEC"}},
  };
}

// A write that finds it has nothing to change leaves a WATCHed key alone,
// as in Redis 7.0, and so does one that changes its other keys but not
// this one. Each runs from the second client between WATCH and EXEC; the
// last cases do change the key, and abort the EXEC. Keys named by KeyOn
// lie on different shards of 4 (values lent across threads), "{t}" keys
// on one.
std::vector<Step> WritesThatLeaveAWatchedKeyAlone() {
  const std::string src = KeyOn(0, 4, "src");
  const std::string dst = KeyOn(1, 4, "dst");
  const std::string other = KeyOn(2, 4, "other");
  struct Case {
    std::vector<std::vector<std::string>> setup;
    std::string watched;
    std::vector<std::string> command;
  };
  const std::vector<Case> cases = {
      // SMOVE of a member the destination holds already.
      {{{"SADD", "{t}src", "a", "b"}, {"SADD", "{t}dst", "a"}},
       "{t}dst",
       {"SMOVE", "{t}src", "{t}dst", "a"}},
      {{{"SADD", src, "a", "b"}, {"SADD", dst, "a"}},
       dst,
       {"SMOVE", src, dst, "a"}},
      // A STORE whose result is empty, into a key that is not there.
      {{{"SADD", "{t}s1", "a"}, {"SADD", "{t}s2", "b"}},
       "{t}dst",
       {"SINTERSTORE", "{t}dst", "{t}s1", "{t}s2"}},
      {{{"SADD", src, "a"}, {"SADD", other, "b"}},
       dst,
       {"SINTERSTORE", dst, src, other}},
      {{}, "{t}dst", {"SUNIONSTORE", "{t}dst", "{t}s1", "{t}s2"}},
      {{}, "{t}dst", {"SDIFFSTORE", "{t}dst", "{t}s1"}},
      {{}, "{t}dst", {"ZUNIONSTORE", "{t}dst", "1", "{t}z"}},
      {{}, "{t}dst", {"ZINTERSTORE", "{t}dst", "1", "{t}z"}},
      {{}, "{t}dst", {"ZDIFFSTORE", "{t}dst", "1", "{t}z"}},
      {{}, "{t}dst", {"ZRANGESTORE", "{t}dst", "{t}z", "0", "-1"}},
      {{}, "{t}dst", {"SORT", "{t}list", "STORE", "{t}dst"}},
      {{}, "{t}dst", {"BITOP", "OR", "{t}dst", "{t}bits"}},
      {{},
       "{t}dst",
       {"GEORADIUS", "{t}geo", "0", "0", "1", "km", "STORE", "{t}dst"}},
      {{{"GEOADD", "{t}geo", "13.361389", "38.115556", "Palermo"}},
       "{t}dst",
       {"GEOSEARCHSTORE", "{t}dst", "{t}geo", "FROMLONLAT", "0", "0",
        "BYRADIUS", "1", "km"}},
      // Writes that did nothing this time.
      {{{"ZADD", "{t}dst", "1", "a"}},
       "{t}dst",
       {"ZINCRBY", "{t}dst", "0", "a"}},
      {{{"SET", "{t}dst", "v"}}, "{t}dst", {"SETRANGE", "{t}dst", "0", ""}},
      {{}, "{t}dst", {"SETRANGE", "{t}dst", "0", ""}},
      {{}, "{t}dst", {"GETEX", "{t}dst", "EX", "100"}},
      {{{"SET", "{t}dst", "v"}}, "{t}dst", {"GETEX", "{t}dst"}},
      {{{"SET", "{t}dst", "v"}}, "{t}dst", {"GETEX", "{t}dst", "PERSIST"}},
      {{{"RPUSH", "{t}dst", "a"}},
       "{t}dst",
       {"LINSERT", "{t}dst", "BEFORE", "nothere", "b"}},
      {{}, "{t}dst", {"LINSERT", "{t}dst", "BEFORE", "a", "b"}},
      {{}, "{t}dst", {"LTRIM", "{t}dst", "0", "1"}},
      {{{"SADD", "{t}dst", "a"}}, "{t}dst", {"SPOP", "{t}dst", "0"}},
      {{{"RPUSH", "{t}dst", "a"}}, "{t}dst", {"LPOP", "{t}dst", "0"}},
      {{{"ZADD", "{t}dst", "1", "a"}}, "{t}dst", {"ZPOPMIN", "{t}dst", "0"}},
      {{}, "{t}dst", {"ZPOPMIN", "{t}dst"}},
      {{{"SET", "{t}dst", "v"}}, "{t}dst", {"RENAME", "{t}dst", "{t}dst"}},
      {{{"SADD", "{t}dst", "a"}}, "{t}dst", {"SMOVE", "{t}dst", "{t}dst", "a"}},
      // These change it.
      {{{"SADD", src, "a"}}, dst, {"SMOVE", src, dst, "a"}},
      {{{"SADD", "{t}dst", "a"}},
       "{t}dst",
       {"SINTERSTORE", "{t}dst", "{t}s1", "{t}s2"}},
      {{{"SET", "{t}dst", "v", "EX", "100"}},
       "{t}dst",
       {"GETEX", "{t}dst", "PERSIST"}},
      {{{"ZADD", "{t}dst", "1", "a"}},
       "{t}dst",
       {"ZINCRBY", "{t}dst", "1", "a"}},
  };
  std::vector<Step> steps;
  for (const Case& c : cases) {
    steps.push_back({0, {"FLUSHALL"}});
    for (const std::vector<std::string>& command : c.setup) {
      steps.push_back({0, command});
    }
    steps.push_back({0, {"WATCH", c.watched}});
    steps.push_back({1, c.command});
    steps.push_back({0, {"MULTI"}});
    steps.push_back({0, {"EXISTS", c.watched}});
    steps.push_back({0, {"EXEC"}});
  }
  return steps;
}

TEST_F(TransactionDifferentialTest, SingleClientSequences) {
  ExpectSameReplies(SingleClientSteps());
}

TEST_F(TransactionDifferentialTest, TwoClientsInterleaveWatchAndWrites) {
  ExpectSameReplies(TwoClientSteps());
}

TEST_F(TransactionDifferentialTest, WritesThatLeaveAWatchedKeyAlone) {
  ExpectSameReplies(WritesThatLeaveAWatchedKeyAlone());
}

// With one shard every EXEC runs right where its connection is, without
// suspending (TryExecHere): the same sequences, the same replies.
class OneShardTransactionTest : public TransactionDifferentialTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=1"};
  }
};

TEST_F(OneShardTransactionTest, SingleClientSequences) {
  ExpectSameReplies(SingleClientSteps());
}

TEST_F(OneShardTransactionTest, TwoClientsInterleaveWatchAndWrites) {
  ExpectSameReplies(TwoClientSteps());
}

TEST_F(OneShardTransactionTest, WritesThatLeaveAWatchedKeyAlone) {
  ExpectSameReplies(WritesThatLeaveAWatchedKeyAlone());
}

// INFO counts transactions: MULTI begun, EXECs that ran, EXECs that did
// not and DISCARDs.
TEST_F(TransactionDifferentialTest, InfoCountsTransactions) {
  absl::StatusOr<RespClient> a = Connect();
  absl::StatusOr<RespClient> b = Connect();
  ASSERT_TRUE(a.ok() && b.ok());
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{
           {"MULTI"}, {"SET", "a", "1"}, {"EXEC"},         // committed
           {"MULTI"}, {"DISCARD"},                           // aborted
           {"MULTI"}, {"NOSUCH"}, {"EXEC"},                  // aborted
           {"WATCH", "a"}}) {
    ASSERT_TRUE(a->Command(command).ok());
  }
  ASSERT_TRUE(b->Command({"SET", "a", "2"}).ok());
  ASSERT_TRUE(a->Command({"MULTI"}).ok());
  EXPECT_EQ(*a->Command({"EXEC"}), "*-1\r\n");  // aborted: a changed
  const std::string info = *a->Command({"INFO", "stats"});
  EXPECT_NE(info.find("transactions_started:4\r\n"), std::string::npos) << info;
  EXPECT_NE(info.find("transactions_committed:1\r\n"), std::string::npos);
  EXPECT_NE(info.find("transactions_aborted:3\r\n"), std::string::npos);
  EXPECT_NE(info.find("lock_waiting:0\r\n"), std::string::npos);
}

// Not a difference from Redis (which has no such bound): what one
// connection's MULTI queue and watched keys hold is bounded by
// --client_query_buffer_limit, and past it the transaction fails cleanly.
class TransactionLimitTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--client_query_buffer_limit=65536"};
  }
};

TEST_F(TransactionLimitTest, QueuePastTheLimitAbortsExec) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok());
  ASSERT_EQ(*client->Command({"MULTI"}), "+OK\r\n");
  const std::string value(1000, 'v');
  int queued = 0;
  std::string refused;
  for (int i = 0; i < 200 && refused.empty(); ++i) {
    absl::StatusOr<std::string> reply = client->Command({"SET", "k", value});
    ASSERT_TRUE(reply.ok());
    if (*reply == "+QUEUED\r\n") {
      ++queued;
    } else {
      refused = *reply;
    }
  }
  EXPECT_GT(queued, 30);
  EXPECT_LT(queued, 66);
  EXPECT_EQ(refused,
            "-ERR transaction exceeds client-query-buffer-limit\r\n");
  EXPECT_EQ(*client->Command({"EXEC"}),
            "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(*client->Command({"EXISTS", "k"}), ":0\r\n");
  // The budget is free again: a small transaction runs.
  ASSERT_EQ(*client->Command({"MULTI"}), "+OK\r\n");
  ASSERT_EQ(*client->Command({"SET", "k", "v"}), "+QUEUED\r\n");
  EXPECT_EQ(*client->Command({"EXEC"}), "*1\r\n+OK\r\n");
}

TEST_F(TransactionLimitTest, WatchPastTheLimitFails) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok());
  std::string refused;
  int watched = 0;
  for (int i = 0; i < 200 && refused.empty(); ++i) {
    std::vector<std::string> watch = {"WATCH"};
    for (int k = 0; k < 10; ++k) {
      watch.push_back(std::string(100, 'a' + k) + std::to_string(i));
    }
    absl::StatusOr<std::string> reply = client->Command(watch);
    ASSERT_TRUE(reply.ok());
    if (*reply == "+OK\r\n") {
      ++watched;
    } else {
      refused = *reply;
    }
  }
  EXPECT_GT(watched, 10);
  EXPECT_EQ(refused,
            "-ERR transaction exceeds client-query-buffer-limit\r\n");
  EXPECT_EQ(*client->Command({"UNWATCH"}), "+OK\r\n");
  EXPECT_EQ(*client->Command({"WATCH", "x"}), "+OK\r\n");
}

}  // namespace
}  // namespace shardd::integration
