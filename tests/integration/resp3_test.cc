// RESP2 and RESP3 side by side: a fixed script of commands whose replies
// Redis 7.0 types differently in the two protocols (maps, sets, doubles,
// score pairs, nulls, verbatim text) goes to shardd (4 shards, so multi-key
// commands span shards) and to a real redis-server, over two connections
// each, both after HELLO <protocol>; every reply must be byte-for-byte equal.
// The random differential tests run in both protocols too; this script
// holds the cases a random stream reaches seldom (nulls inside EXEC, a
// WATCH that aborts, a blocking pop that times out, INFO).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

// One step: which of the two connections sends the command.
struct Step {
  int connection;
  std::vector<std::string> command;
};

const std::vector<Step>& Script() {
  static const std::vector<Step>* const script = new std::vector<Step>{
      {0, {"SET", "a", "1"}},
      {0, {"GET", "missing"}},
      {0, {"MGET", "a", "missing", "b", "c", "d"}},
      {0, {"HSET", "h", "f", "v", "g", "w"}},
      {0, {"HGETALL", "h"}},
      {0, {"HGETALL", "missing"}},
      {0, {"HKEYS", "missing"}},
      {0, {"HMGET", "h", "f", "missing"}},
      {0, {"HRANDFIELD", "missing", "2", "WITHVALUES"}},
      {0, {"SADD", "s", "x"}},
      {0, {"SMEMBERS", "s"}},
      {0, {"SMEMBERS", "missing"}},
      {0, {"SINTER", "s", "s"}},
      {0, {"SUNION", "s", "missing"}},
      {0, {"SDIFF", "missing", "s"}},
      {0, {"SRANDMEMBER", "missing", "2"}},
      {0, {"SPOP", "missing", "2"}},
      {0, {"SPOP", "s", "0"}},
      {0, {"SPOP", "s", "5"}},
      {0, {"ZADD", "z", "1", "a", "2", "b", "0.1", "c", "inf", "d"}},
      {0, {"ZSCORE", "z", "c"}},
      {0, {"ZSCORE", "z", "d"}},
      {0, {"ZSCORE", "z", "missing"}},
      {0, {"ZMSCORE", "z", "a", "missing"}},
      {0, {"ZMSCORE", "missing", "a"}},
      {0, {"ZINCRBY", "z", "1.5", "a"}},
      {0, {"ZADD", "z", "INCR", "1", "b"}},
      {0, {"ZADD", "z", "XX", "INCR", "1", "missing"}},
      {0, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}},
      {0, {"ZRANGE", "z", "0", "-1"}},
      {0,
       {"ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "2"}},
      {0, {"ZREVRANGE", "z", "0", "1", "WITHSCORES"}},
      {0, {"ZPOPMIN", "z"}},
      {0, {"ZPOPMAX", "z", "2"}},
      {0, {"ZPOPMIN", "missing"}},
      {0, {"ZPOPMIN", "missing", "2"}},
      {0, {"LPOP", "missing"}},
      {0, {"LPOP", "missing", "2"}},
      {0, {"BLPOP", "missing", "0.01"}},
      {0, {"BRPOP", "missing", "other", "0.01"}},
      {0, {"OBJECT", "ENCODING", "missing"}},
      {0, {"CONFIG", "GET", "nosuchparameter*"}},
      // Geo: coordinates are doubles in RESP3, distances stay strings.
      {0,
       {"GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269",
        "37.502669", "Catania"}},
      {0, {"GEOPOS", "geo", "Palermo", "missing"}},
      {0, {"GEODIST", "geo", "Palermo", "Catania", "km"}},
      {0, {"GEODIST", "geo", "Palermo", "missing"}},
      {0, {"GEOHASH", "geo", "Catania", "missing"}},
      {0,
       {"GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
        "ASC", "WITHCOORD", "WITHDIST", "WITHHASH"}},
      {0, {"GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHDIST", "DESC"}},
      // HyperLogLog and bit fields (a failed overflow is a null element).
      {0, {"PFADD", "hll", "a", "b", "c"}},
      {0, {"PFCOUNT", "hll", "missing"}},
      {0,
       {"BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET",
        "u4", "0"}},
      // SORT: nulls for the keys GET patterns miss, on any shard.
      {0, {"RPUSH", "sl", "3", "1", "2"}},
      {0, {"SET", "w_1", "one"}},
      {0, {"SORT", "sl", "GET", "w_*", "GET", "#"}},
      {0, {"SORT_RO", "sl", "BY", "nosort", "GET", "h_*->f"}},
      {0, {"SORT", "missing"}},
      // Nulls and doubles inside a transaction's reply.
      {0, {"MULTI"}},
      {0, {"GET", "missing"}},
      {0, {"ZSCORE", "z", "c"}},
      {0, {"HGETALL", "h"}},
      {0, {"EXEC"}},
      // A WATCH that aborts: EXEC's null.
      {0, {"WATCH", "a"}},
      {1, {"SET", "a", "2"}},
      {0, {"MULTI"}},
      {0, {"GET", "a"}},
      {0, {"EXEC"}},
      {0, {"FLUSHALL"}},
  };
  return *script;
}

class Resp3Test : public ShardServerTest,
                  public ::testing::WithParamInterface<int> {
 protected:
  void SetUp() override {
    ShardServerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::StatusOr<std::unique_ptr<RedisReference>> redis =
        RedisReference::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    for (int i = 0; i < 2; ++i) {
      absl::StatusOr<RespClient> ours = Connect();
      ASSERT_TRUE(ours.ok()) << ours.status();
      absl::StatusOr<RespClient> theirs = redis_->Connect();
      ASSERT_TRUE(theirs.ok()) << theirs.status();
      ours_.push_back(*std::move(ours));
      theirs_.push_back(*std::move(theirs));
    }
    const std::string version = absl::StrCat(GetParam());
    for (std::vector<RespClient>* side : {&ours_, &theirs_}) {
      for (RespClient& client : *side) {
        absl::StatusOr<std::string> hello = client.Command({"HELLO", version});
        ASSERT_TRUE(hello.ok()) << hello.status();
        ASSERT_EQ(hello->substr(0, 1), GetParam() == 3 ? "%" : "*");
      }
    }
  }

  std::unique_ptr<RedisReference> redis_;
  std::vector<RespClient> ours_;
  std::vector<RespClient> theirs_;
};

TEST_P(Resp3Test, RepliesMatchRedisInEachProtocol) {
  for (const Step& step : Script()) {
    absl::StatusOr<std::string> ours =
        ours_[step.connection].Command(step.command);
    ASSERT_TRUE(ours.ok()) << ours.status();
    absl::StatusOr<std::string> theirs =
        theirs_[step.connection].Command(step.command);
    ASSERT_TRUE(theirs.ok()) << theirs.status();
    EXPECT_EQ(Printable(*ours), Printable(*theirs)) << step.command[0];
  }
}

// INFO's text differs between the servers, its type must not: verbatim
// text ("txt") in RESP3, a bulk string in RESP2.
TEST_P(Resp3Test, InfoIsVerbatimTextInResp3) {
  for (std::vector<RespClient>* side : {&ours_, &theirs_}) {
    absl::StatusOr<std::string> info = (*side)[0].Command({"INFO", "server"});
    ASSERT_TRUE(info.ok()) << info.status();
    const size_t header_end = info->find("\r\n");
    ASSERT_NE(header_end, std::string::npos);
    const std::string body = info->substr(header_end + 2);
    if (GetParam() == 3) {
      EXPECT_EQ(info->substr(0, 1), "=");
      EXPECT_EQ(body.substr(0, 12), "txt:# Server");
    } else {
      EXPECT_EQ(info->substr(0, 1), "$");
      EXPECT_EQ(body.substr(0, 8), "# Server");
    }
    EXPECT_EQ(ScanReply(*info).length, info->size());
  }
}

// HELLO queued in a transaction switches the protocol when EXEC runs it.
TEST_P(Resp3Test, HelloInsideMultiSwitchesAtExec) {
  const std::string other = GetParam() == 3 ? "2" : "3";
  for (std::vector<RespClient>* side : {&ours_, &theirs_}) {
    RespClient& client = (*side)[0];
    ASSERT_EQ(*client.Command({"MULTI"}), "+OK\r\n");
    ASSERT_EQ(*client.Command({"HELLO", other}), "+QUEUED\r\n");
    ASSERT_EQ(*client.Command({"GET", "missing"}), "+QUEUED\r\n");
    const absl::StatusOr<std::string> exec = client.Command({"EXEC"});
    ASSERT_TRUE(exec.ok()) << exec.status();
    // The GET after HELLO already answers in the new protocol.
    EXPECT_TRUE(exec->ends_with(other == "3" ? "_\r\n" : "$-1\r\n"))
        << Printable(*exec);
    EXPECT_EQ(*client.Command({"GET", "missing"}),
              other == "3" ? "_\r\n" : "$-1\r\n");
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, Resp3Test, ::testing::Values(2, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return absl::StrCat("resp", info.param);
                         });

}  // namespace
}  // namespace shardd::integration
