// MONITOR against the real binary (4 shards) and redis-server: a monitor
// sees the commands of clients on every shard, each client's in order, in
// Redis's format (escapes, redacted AUTH arguments, admin commands left
// out), is kept off the keyspace, shows as flag O in CLIENT LIST, and RESET
// ends it; one that does not read is cut off at the pub/sub output limit.
#include <algorithm>
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

class MonitorTest : public ShardServerTest {};

std::string AddressOf(RespClient& client) {
  const std::string info =
      BulkOf(*client.Command({"CLIENT", "INFO"})).value_or("");
  const size_t at = info.find(" addr=") + 6;
  return info.substr(at, info.find(' ', at) - at);
}

// What a monitor shows for this script, sent over `clients` in turn:
// each line's arguments, and the addresses the lines name.
struct Shown {
  std::vector<std::string> args;
  std::vector<std::string> addresses;
};

Shown Monitored(RespClient& monitor, std::vector<RespClient>& clients) {
  Shown shown;
  EXPECT_EQ(*monitor.Command({"MONITOR"}), kOk);
  const std::vector<std::vector<std::string>> script = {
      {"SET", "k\x01\"y\\", "a b\r\n\t"},
      {"AUTH", "secret"},
      {"CONFIG", "GET", "maxclients"},
      {"CLIENT", "SETNAME", "named"},
      {"CLIENT", "LIST"},
      {"HELLO", "2", "AUTH", "default", "secret"},
      {"MULTI"},
      {"INCR", "counter"},
      {"EXEC"},
      {"ECHO", std::string("\xff\x00z", 3)},
      // Shown although flagged skip_monitor: EVAL feeds monitors itself.
      {"EVAL", "return 1", "0"},
      {"SET", "last", "1"},
  };
  for (size_t i = 0; i < script.size(); ++i) {
    // MULTI ... EXEC on one connection.
    const size_t client = i >= 6 && i <= 8 ? 0 : i % clients.size();
    EXPECT_TRUE(clients[client].Command(script[i]).ok());
  }
  // Until the last command's line (lines of commands on other shards may
  // come in another order; one shard's come in order).
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<std::string> line = monitor.ReadReply();
    if (!line.ok()) {
      ADD_FAILURE() << line.status();
      break;
    }
    const size_t open = line->find(" [0 ");
    const size_t close = line->find("] ", open);
    if (!line->starts_with("+") || open == std::string::npos ||
        close == std::string::npos || !line->ends_with("\r\n")) {
      ADD_FAILURE() << "not a monitor line: " << Printable(*line);
      break;
    }
    shown.addresses.push_back(line->substr(open + 4, close - open - 4));
    shown.args.push_back(line->substr(close + 2, line->size() - close - 4));
  }
  return shown;
}

TEST_F(MonitorTest, LinesMatchRedisOnEveryShard) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> redis_monitor = (*redis)->Connect();
  ASSERT_TRUE(redis_monitor.ok());
  std::vector<RespClient> redis_clients;
  RespClient ours_monitor = MustConnect();
  std::vector<RespClient> ours_clients;
  std::vector<std::string> our_addresses;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<RespClient> c = (*redis)->Connect();
    ASSERT_TRUE(c.ok());
    redis_clients.push_back(*std::move(c));
    ours_clients.push_back(MustConnect());
    our_addresses.push_back(AddressOf(ours_clients.back()));
  }
  Shown theirs = Monitored(*redis_monitor, redis_clients);
  Shown ours = Monitored(ours_monitor, ours_clients);
  // Not CONFIG nor CLIENT LIST: 10 lines each.
  ASSERT_EQ(ours.args.size(), 10u);
  ASSERT_EQ(theirs.args.size(), 10u);
  // Each line names the client that sent it (Redis's here are over a unix
  // socket, so only shardd's are compared).
  for (const std::string& address : ours.addresses) {
    EXPECT_NE(std::find(our_addresses.begin(), our_addresses.end(), address),
              our_addresses.end())
        << address;
  }
  std::sort(theirs.args.begin(), theirs.args.end());
  std::sort(ours.args.begin(), ours.args.end());
  EXPECT_EQ(ours.args, theirs.args);
}

TEST_F(MonitorTest, KeptOffTheKeyspaceListedAndEndedByReset) {
  RespClient monitor = MustConnect();
  RespClient client = MustConnect();
  ASSERT_EQ(*monitor.Command({"MONITOR"}), kOk);
  EXPECT_EQ(*monitor.Command({"GET", "k"}),
            "-ERR Replica can't interact with the keyspace\r\n");
  const std::string list =
      BulkOf(*client.Command({"CLIENT", "LIST"})).value_or("");
  EXPECT_NE(list.find("flags=O"), std::string::npos) << list;
  EXPECT_EQ(*monitor.Command({"RESET"}), "+RESET\r\n");
  ASSERT_EQ(*client.Command({"SET", "k", "v"}), kOk);
  // Nothing more comes: the next reply is the PING's.
  EXPECT_EQ(*monitor.Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*monitor.Command({"GET", "k"}), Bulk("v"));
}

// The database a line shows ("[<db> <address>]"), or "" if it is none.
std::string DbOf(const std::string& line) {
  const size_t open = line.find(" [");
  const size_t space = line.find(' ', open + 2);
  if (open == std::string::npos || space == std::string::npos) return "";
  return line.substr(open + 2, space - open - 2);
}

TEST_F(MonitorTest, LinesShowTheClientsDatabaseAsRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  const auto databases_shown = [](RespClient& monitor, RespClient& client) {
    EXPECT_EQ(*monitor.Command({"MONITOR"}), kOk);
    // (Redis shows a command once it ran: a SELECT in its new database.)
    for (const auto& command :
         std::vector<std::vector<std::string>>{{"SET", "a", "1"},
                                               {"SELECT", "5"},
                                               {"SET", "b", "2"},
                                               {"SELECT", "99"},
                                               {"SELECT", "2"},
                                               {"GET", "c"}}) {
      EXPECT_TRUE(client.Command(command).ok());
    }
    std::vector<std::string> dbs;
    for (int i = 0; i < 6; ++i) {
      absl::StatusOr<std::string> line = monitor.ReadReply();
      if (!line.ok()) {
        ADD_FAILURE() << line.status();
        break;
      }
      dbs.push_back(DbOf(*line));
    }
    return dbs;
  };
  absl::StatusOr<RespClient> redis_monitor = (*redis)->Connect();
  absl::StatusOr<RespClient> redis_client = (*redis)->Connect();
  ASSERT_TRUE(redis_monitor.ok() && redis_client.ok());
  RespClient monitor = MustConnect();
  RespClient client = MustConnect();
  const std::vector<std::string> theirs =
      databases_shown(*redis_monitor, *redis_client);
  // (Redis's lines leave database 0: the comparison can fail.)
  EXPECT_NE(std::count(theirs.begin(), theirs.end(), "0"), 6);
  EXPECT_EQ(databases_shown(monitor, client), theirs);
}

// A monitor is bounded as a subscriber is (--client_output_limit_pubsub,
// as Redis bounds it by its pubsub class): one that reads nothing is cut
// off once its lines pass the limit, and the server goes on.
class MonitorLimitTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--client_output_limit_pubsub=1mb 0 0"};
  }
};

TEST_F(MonitorLimitTest, AMonitorThatDoesNotReadIsCutOff) {
  RespClient monitor = MustConnect();
  ASSERT_EQ(*monitor.Command({"MONITOR"}), kOk);
  RespClient writer = MustConnect();
  const std::string value(64 << 10, 'v');
  // 64 MiB of lines: far past the limit and the kernel's socket buffers.
  for (int i = 0; i < 1024; ++i) {
    ASSERT_EQ(*writer.Command({"SET", absl::StrCat("k", i % 16), value}), kOk)
        << i;
  }
  monitor.set_timeout(absl::Seconds(10));
  absl::StatusOr<std::string> seen = monitor.ReadUntilClosed();
  ASSERT_TRUE(seen.ok()) << "the monitor was not cut off: " << seen.status();
  // The limit, plus what the kernel's socket buffers held.
  EXPECT_LT(seen->size(), size_t{16} << 20);
  EXPECT_EQ(*writer.Command({"PING"}), "+PONG\r\n");
}

}  // namespace
}  // namespace shardd::integration
