// CONFIG SET against the real binary (4 shards): the encoding limits take
// effect on every shard exactly as in redis-server (the same script, the
// same replies, OBJECT ENCODING included), errors are Redis's, a call is
// all or nothing, and --timeout, --requirepass and appendfsync change at
// run time.
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/server_process.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

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
      {"CONFIG", "SET", "proto-max-bulk-len", "1000"},
      {"CONFIG", "SET", "proto-max-bulk-len", "abc"},
      {"CONFIG", "SET", "client-query-buffer-limit", "1000"},
      {"CONFIG", "SET", "maxclients", "0"},
      {"CONFIG", "SET", "maxclients", "abc"},
      {"CONFIG", "SET", "tcp-keepalive", "-1"},
      {"CONFIG", "SET", "tcp-keepalive", "60", "proto-max-bulk-len", "2mb",
       "client-query-buffer-limit", "4mb"},
      {"CONFIG", "GET", "tcp-keepalive"},
      {"CONFIG", "GET", "proto-max-bulk-len"},
      {"CONFIG", "GET", "client-query-buffer-limit"},
      // All or nothing: the good first half is not applied either.
      {"CONFIG", "SET", "timeout", "9", "set-max-intset-entries", "x"},
      {"CONFIG", "GET", "timeout"},
      {"CONFIG", "SET", "hash-max-ziplist-entries", "512",
       "zset-max-listpack-entries", "128", "set-max-intset-entries", "512",
       "hash-max-listpack-value", "64", "zset-max-ziplist-value", "64"},
      {"CONFIG", "NOSUCH"},
      // No snapshots, as the reference runs.
      {"CONFIG", "SET", "save", ""},
      {"CONFIG", "GET", "save"},
  };
  script.insert(script.end(), errors.begin(), errors.end());
  for (const std::vector<std::string>& command : script) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)))
        << absl::StrJoin(command, " ");
  }
  // A snapshot schedule, which Redis would keep, shardd refuses.
  EXPECT_EQ(*ours.Command({"CONFIG", "SET", "save", "3600 1"}),
            "-ERR CONFIG SET failed (possibly related to argument 'save') - "
            "shardd saves no snapshots; its persistence is the append-only "
            "log\r\n");
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
  // Only the CONFIG RESETSTAT is counted: as in Redis, a command counts
  // once it has run (so an INFO does not count itself).
  EXPECT_NE(info.find("total_commands_processed:1\r\n"), std::string::npos)
      << info;
}

// INFO persistence's aof_fsyncs.
int64_t Fsyncs(RespClient& client) {
  const std::string info =
      BulkOf(*client.Command({"INFO", "persistence"})).value_or("");
  const size_t at = info.find("\r\naof_fsyncs:");
  if (at == std::string::npos) return -1;
  return ParseInt64(info.substr(at + 13, info.find("\r\n", at + 2) - at - 13))
      .value_or(-1);
}

// appendfsync changes at run time on every shard's log: under always each
// acknowledged write has been synced; under no nothing waits for a sync.
// dir is protected and appendonly fixed at start, with Redis's error form.
TEST_F(ConfigTest, AppendFsyncChangesAtRunTime) {
  RespClient client = MustConnect();
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "appendfsync", "no"}), kOk);
  EXPECT_EQ(*client.Command({"CONFIG", "GET", "appendfsync"}),
            "*2\r\n$11\r\nappendfsync\r\n$2\r\nno\r\n");
  ASSERT_EQ(*client.Command({"SET", "before", "v"}), kOk);
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "appendfsync", "ALWAYS"}), kOk);
  // Every shard syncs each acknowledged write, whichever shard the
  // connection is on (several connections land on several shards).
  std::vector<RespClient> writers;
  for (int i = 0; i < 8; ++i) writers.push_back(MustConnect());
  for (int round = 0; round < 3; ++round) {
    for (size_t w = 0; w < writers.size(); ++w) {
      const int64_t before = Fsyncs(client);
      ASSERT_EQ(
          *writers[w].Command({"SET", absl::StrCat("k", w, "-", round), "v"}),
          kOk);
      EXPECT_GT(Fsyncs(client), before) << w << " " << round;
    }
  }
  const std::string info =
      BulkOf(*client.Command({"INFO", "persistence"})).value_or("");
  EXPECT_NE(info.find("\r\naof_replies_before_durable:0\r\n"),
            std::string::npos)
      << info;
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "appendfsync", "everysec"}), kOk);
  EXPECT_EQ(*client.Command({"CONFIG", "GET", "appendfsync"}),
            "*2\r\n$11\r\nappendfsync\r\n$8\r\neverysec\r\n");
  // Under no, nothing syncs (but a sync that was on its way).
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "appendfsync", "no"}), kOk);
  const int64_t before_no = Fsyncs(client);
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(*writers[i % writers.size()].Command(
                  {"SET", absl::StrCat("no-", i), "v"}),
              kOk);
  }
  EXPECT_LE(Fsyncs(client), before_no + 1);
  EXPECT_EQ(
      *client.Command({"CONFIG", "SET", "appendfsync", "sometimes"}),
      "-ERR CONFIG SET failed (possibly related to argument 'appendfsync') - "
      "argument(s) must be one of the following: everysec, always, no\r\n");
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "dir", "/tmp"}),
            "-ERR CONFIG SET failed (possibly related to argument 'dir') - "
            "can't set protected config\r\n");
  EXPECT_EQ(*client.Command({"CONFIG", "SET", "appendonly", "no"}),
            "-ERR CONFIG SET failed (possibly related to argument "
            "'appendonly') - shardd turns its log on or off only at start "
            "(--appendonly)\r\n");
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

// maxclients, proto-max-bulk-len and client-query-buffer-limit change at
// run time, over connections on every shard.
TEST_F(ConfigTest, ClientLimitsChangeAtRunTime) {
  RespClient admin = MustConnect();
  std::vector<RespClient> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(MustConnect());
  // Four connections now (each accepted by its shard before the next
  // connects): a fifth is refused, as Redis refuses it.
  std::string info;
  ASSERT_TRUE(WaitForConnectedClients(admin, 4, absl::Seconds(10), &info))
      << info;
  ASSERT_EQ(*admin.Command({"CONFIG", "SET", "maxclients", "4"}), kOk);
  EXPECT_EQ(*admin.Command({"CONFIG", "GET", "maxclients"}),
            absl::StrCat("*2\r\n", Bulk("maxclients"), Bulk("4")));
  {
    RespClient refused = MustConnect();
    EXPECT_EQ(*refused.ReadUntilClosed(),
              "-ERR max number of clients reached\r\n");
  }
  ASSERT_EQ(*admin.Command({"CONFIG", "SET", "maxclients", "100"}), kOk);
  RespClient fifth = MustConnect();
  EXPECT_EQ(*fifth.Command({"PING"}), "+PONG\r\n");
  // More than the descriptor limit allows is refused.
  const std::string too_many =
      *admin.Command({"CONFIG", "SET", "maxclients", "4000000000"});
  EXPECT_TRUE(too_many.starts_with(
      "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - "
      "The operating system is not able to handle the specified number of "
      "clients, try with "))
      << too_many;

  // A 1.5 MiB argument: refused under a 1 MiB proto-max-bulk-len on an open
  // connection (the next batch sees the new limit), taken under 2 MiB. A
  // refused request is answered and the connection closed before all of
  // it is sent: send what goes, then read to the end.
  const std::string value(3 << 19, 'v');
  const std::string request = EncodeCommand({"SET", "big", value});
  ASSERT_EQ(*admin.Command({"CONFIG", "SET", "proto-max-bulk-len", "1mb"}),
            kOk);
  clients[0].SendSome(request, absl::Seconds(10)).IgnoreError();
  EXPECT_EQ(clients[0].ReadUntilClosed().value_or("<error>"),
            "-ERR Protocol error: invalid bulk length\r\n");
  ASSERT_EQ(*admin.Command({"CONFIG", "SET", "proto-max-bulk-len", "2mb"}),
            kOk);
  EXPECT_EQ(*clients[1].Command({"SET", "big", value}), kOk);
  // The same request over a 1 MiB client-query-buffer-limit.
  ASSERT_EQ(
      *admin.Command({"CONFIG", "SET", "client-query-buffer-limit", "1mb"}),
      kOk);
  clients[2].SendSome(request, absl::Seconds(10)).IgnoreError();
  const std::string reply = clients[2].ReadUntilClosed().value_or("<error>");
  EXPECT_TRUE(reply.starts_with("-ERR Protocol error")) << reply;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// CONFIG REWRITE writes what CONFIG SET changed into the --flagfile, keeping
// its other lines, and a shardd started from it again has those values.
TEST(ConfigRewriteTest, RewritesTheFlagFileAndARestartReadsIt) {
  if (ShardBinary().empty()) GTEST_SKIP() << "no shardd binary";
  absl::StatusOr<TempDir> dir = TempDir::Create("config_rewrite");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string flagfile = dir->path() + "/shardd.flags";
  {
    std::ofstream out(flagfile);
    out << "# shardd's configuration\n--shards=2\n--timeout=7\n"
        << "--port=0\n--timeout=8\n";
  }
  const std::vector<std::string> flags = {"--flagfile=" + flagfile};
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = StartShardd(flags);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", (*server)->port());
    ASSERT_TRUE(client.ok()) << client.status();
    EXPECT_EQ(*client->Command({"CONFIG", "GET", "timeout"}),
              absl::StrCat("*2\r\n", Bulk("timeout"), Bulk("8")));
    ASSERT_EQ(*client->Command({"CONFIG", "SET", "timeout", "42", "maxclients",
                                "55", "notify-keyspace-events", "KEx",
                                "protected-mode", "no"}),
              kOk);
    ASSERT_EQ(*client->Command({"CONFIG", "REWRITE"}), kOk);
  }
  const std::string text = ReadFile(flagfile);
  EXPECT_TRUE(text.starts_with(
      "# shardd's configuration\n--shards=2\n--timeout=42\n--port=0\n"))
      << text;
  EXPECT_NE(text.find("\n--maxclients=55\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n--notify_keyspace_events=xKE\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\n--protected_mode=false\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("--timeout=8"), std::string::npos) << text;
  EXPECT_EQ(text.find("--save"), std::string::npos) << text;  // no such flag

  absl::StatusOr<std::unique_ptr<ServerProcess>> again = StartShardd(flags);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", (*again)->port());
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ(*client->Command({"CONFIG", "GET", "timeout"}),
            absl::StrCat("*2\r\n", Bulk("timeout"), Bulk("42")));
  EXPECT_EQ(*client->Command({"CONFIG", "GET", "maxclients"}),
            absl::StrCat("*2\r\n", Bulk("maxclients"), Bulk("55")));
}

TEST_F(ConfigTest, RewriteWithoutAFlagFileFailsAsRedis) {
  RespClient client = MustConnect();
  EXPECT_EQ(*client.Command({"CONFIG", "REWRITE"}),
            "-ERR The server is running without a config file\r\n");
}

}  // namespace
}  // namespace shardd::integration
