// CONFIG SET against the real binary (4 shards): the encoding limits take
// effect on every shard exactly as in redis-server (the same script, the
// same replies, OBJECT ENCODING included), errors are Redis's, a call is
// all or nothing, and --timeout and --requirepass change at run time.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class ConfigTest : public ShardServerTest {};

TEST_F(ConfigTest, EncodingLimitsAndErrorsMatchRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> theirs = (*redis)->Connect();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  std::vector<std::vector<std::string>> script = {
      {"CONFIG", "SET", "hash-max-ziplist-entries", "4",
       "zset-max-listpack-entries", "3", "set-max-intset-entries", "5",
       "hash-max-listpack-value", "8", "zset-max-ziplist-value", "8"},
      {"CONFIG", "GET", "hash-max-listpack-entries"},
      {"CONFIG", "GET", "zset-max-ziplist-entries"},
      {"CONFIG", "GET", "set-max-intset-entries"},
  };
  // Keys on every shard (they hash to different slots).
  for (const std::string key : {"a", "b", "c", "d", "e", "f"}) {
    const std::string h = "h" + key, z = "z" + key, s = "s" + key;
    std::vector<std::vector<std::string>> per_key = {
        {"HSET", h, "f1", "1", "f2", "2", "f3", "3", "f4", "4"},
        {"OBJECT", "ENCODING", h},
        {"HSET", h, "f5", "5"},
        {"OBJECT", "ENCODING", h},
        {"HSET", h + ":long", "f", "123456789"},
        {"OBJECT", "ENCODING", h + ":long"},
        {"ZADD", z, "1", "a", "2", "b", "3", "c"},
        {"OBJECT", "ENCODING", z},
        {"ZADD", z, "4", "d"},
        {"OBJECT", "ENCODING", z},
        {"ZADD", z + ":long", "1", "a-long-member"},
        {"OBJECT", "ENCODING", z + ":long"},
        {"SADD", s, "1", "2", "3", "4", "5"},
        {"OBJECT", "ENCODING", s},
        {"SADD", s, "6"},
        {"OBJECT", "ENCODING", s},
    };
    script.insert(script.end(), per_key.begin(), per_key.end());
  }
  const std::vector<std::vector<std::string>> errors = {
      {"CONFIG", "SET", "nosuch", "1"},
      {"CONFIG", "SET", "hash-max-listpack-entries", "abc"},
      {"CONFIG", "SET", "hash-max-listpack-entries", "-1"},
      {"CONFIG", "SET", "timeout", "1.5"},
      {"CONFIG", "SET", "timeout", "-1"},
      {"CONFIG", "SET", "hash-max-listpack-entries"},
      {"CONFIG", "SET", "timeout", "5", "timeout", "6"},
      {"CONFIG", "SET", "hash-max-ziplist-entries", "5",
       "hash-max-listpack-entries", "6"},
      {"CONFIG", "SET", "protected-mode", "maybe"},
      {"CONFIG", "SET", "auto-aof-rewrite-min-size", "lots"},
      // All or nothing: the good first half is not applied either.
      {"CONFIG", "SET", "timeout", "9", "set-max-intset-entries", "x"},
      {"CONFIG", "GET", "timeout"},
      {"CONFIG", "SET", "hash-max-ziplist-entries", "512",
       "zset-max-listpack-entries", "128", "set-max-intset-entries", "512",
       "hash-max-listpack-value", "64", "zset-max-ziplist-value", "64"},
      {"CONFIG", "NOSUCH"},
  };
  script.insert(script.end(), errors.begin(), errors.end());
  for (const std::vector<std::string>& command : script) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)))
        << absl::StrJoin(command, " ");
  }
}

// CONFIG RESETSTAT clears every shard's counters; INFO, asked next on the
// same connection, sees them cleared.
TEST_F(ConfigTest, ResetStatClearsEveryShard) {
  RespClient client = MustConnect();
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(*client.Command({"SET", absl::StrCat("k", i), "v"}), kOk);
  }
  ASSERT_EQ(*client.Command({"GET", "nosuch"}), "$-1\r\n");
  EXPECT_EQ(*client.Command({"CONFIG", "RESETSTAT"}), kOk);
  const std::string info =
      BulkOf(*client.Command({"INFO", "stats", "commandstats"})).value_or("");
  EXPECT_EQ(info.find("cmdstat_set"), std::string::npos) << info;
  EXPECT_NE(info.find("total_connections_received:0\r\n"), std::string::npos)
      << info;
  // Only the INFO itself is counted.
  EXPECT_NE(info.find("total_commands_processed:1\r\n"), std::string::npos)
      << info;
  EXPECT_EQ(*client.Command({"CONFIG", "REWRITE"}),
            "-ERR CONFIG REWRITE is not supported by shardd yet\r\n");
}

TEST_F(ConfigTest, TimeoutChangesForOpenConnections) {
  RespClient idle = MustConnect();
  ASSERT_EQ(*idle.Command({"PING"}), "+PONG\r\n");
  RespClient admin = MustConnect();
  EXPECT_EQ(*admin.Command({"CONFIG", "SET", "timeout", "1"}), kOk);
  // The idle connection's next wait has the new timeout.
  ASSERT_EQ(*idle.Command({"PING"}), "+PONG\r\n");
  idle.set_timeout(absl::Seconds(10));
  EXPECT_TRUE(idle.ReadUntilClosed().ok());
}

TEST_F(ConfigTest, RequirepassChangesAtRunTime) {
  RespClient admin = MustConnect();
  EXPECT_EQ(*admin.Command({"CONFIG", "SET", "requirepass", "pw"}), kOk);
  // Connections made before stay authenticated, as in Redis.
  EXPECT_EQ(*admin.Command({"PING"}), "+PONG\r\n");
  RespClient late = MustConnect();
  EXPECT_EQ(*late.Command({"PING"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(*late.Command({"AUTH", "pw"}), kOk);
  EXPECT_EQ(*late.Command({"CONFIG", "GET", "requirepass"}),
            absl::StrCat("*2\r\n", Bulk("requirepass"), Bulk("pw")));
  EXPECT_EQ(*late.Command({"CONFIG", "SET", "requirepass", ""}), kOk);
  RespClient free = MustConnect();
  EXPECT_EQ(*free.Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*free.Command({"CONFIG", "SET", "port", "1"}),
            "-ERR CONFIG SET failed (possibly related to argument 'port') - "
            "can't set immutable config\r\n");
}

}  // namespace
}  // namespace shardd::integration
