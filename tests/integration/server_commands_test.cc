// TIME, LASTSAVE, WAIT, SHUTDOWN, DEBUG SLEEP and SET-ACTIVE-EXPIRE,
// DEBUG OBJECT, FUNCTION and the scripting commands, against the real
// binary (4 shards);
// the replies that do not depend on the clock compared with redis-server's.
#include <poll.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/redis_reference.h"
#include "tests/integration/support/resp_client.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class ServerCommandsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--enable_debug_command=true"};
  }
};

TEST_F(ServerCommandsTest, TimeAndLastSave) {
  RespClient client = MustConnect();
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  const std::optional<std::vector<std::string>> time =
      BulkArrayOf(*client.Command({"TIME"}));
  ASSERT_TRUE(time.has_value() && time->size() == 2u);
  const int64_t seconds = ParseInt64((*time)[0]).value_or(0);
  EXPECT_GE(seconds, before);
  EXPECT_LE(seconds, before + 5);
  const int64_t micros = ParseInt64((*time)[1]).value_or(-1);
  EXPECT_GE(micros, 0);
  EXPECT_LT(micros, 1'000'000);
  // No snapshot is ever saved: the server's start, which was just now.
  const int64_t last_save =
      IntegerOf(*client.Command({"LASTSAVE"})).value_or(0);
  EXPECT_LE(last_save, seconds);
  EXPECT_GE(last_save, before - 120);
}

// INFO's CPU section: the process's times, as Redis prints them.
TEST_F(ServerCommandsTest, InfoCpu) {
  RespClient client = MustConnect();
  const std::optional<std::string> info =
      BulkOf(*client.Command({"INFO", "cpu"}));
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->starts_with("# CPU\r\nused_cpu_sys:")) << *info;
  for (const char* field : {"used_cpu_user:", "used_cpu_sys_children:",
                            "used_cpu_user_children:"}) {
    EXPECT_NE(info->find(field), std::string::npos) << field;
  }
  // In the default sections too.
  EXPECT_NE(BulkOf(*client.Command({"INFO"}))->find("# CPU"),
            std::string::npos);
}

// INFO's expired_keys counts keys removed because their time was up,
// lazily or by the shards' own expiry; instantaneous_ops_per_sec is there.
TEST_F(ServerCommandsTest, InfoCountsExpiredKeys) {
  RespClient client = MustConnect();
  for (const std::string key : {"a", "b", "c", "d"}) {
    ASSERT_EQ(*client.Command({"SET", key, "v", "PX", "1"}), kOk);
  }
  const auto field = [&](const std::string& name) {
    const std::string info =
        BulkOf(*client.Command({"INFO", "stats"})).value_or("");
    const size_t at = info.find("\r\n" + name + ":");
    if (at == std::string::npos) return int64_t{-1};
    const size_t start = at + name.size() + 3;
    return ParseInt64(info.substr(start, info.find("\r\n", start) - start))
        .value_or(-1);
  };
  EXPECT_GE(field("instantaneous_ops_per_sec"), 0);
  EXPECT_TRUE(Eventually(absl::Seconds(10),
                         [&] { return field("expired_keys") == 4; }));
}

TEST_F(ServerCommandsTest, RepliesMatchRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> theirs = (*redis)->Connect();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::vector<std::vector<std::string>> commands = {
      {"WAIT", "0", "0"},
      {"WAIT", "x", "0"},
      {"WAIT", "0", "-1"},
      {"SLOWLOG", "GET", "abc"},
      {"SLOWLOG", "GET", "-2"},
      {"SLOWLOG", "GET", "-1", "x"},
      {"SLOWLOG", "FOO"},
      {"SLOWLOG", "LEN", "x"},
      {"SLOWLOG", "RESET", "x"},
      {"MEMORY", "USAGE"},
      {"MEMORY", "USAGE", "nosuch"},
      {"MEMORY", "USAGE", "nosuch", "SAMPLES"},
      {"MEMORY", "USAGE", "nosuch", "SAMPLES", "x"},
      {"MEMORY", "USAGE", "nosuch", "SAMPLES", "-1"},
      {"MEMORY", "USAGE", "nosuch", "FOO", "1"},
      {"MEMORY", "FOO"},
      {"MEMORY", "STATS", "x"},
      {"MEMORY", "DOCTOR", "x"},
      {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"},
      {"LATENCY", "FOO"},
      {"LATENCY", "HISTORY"},
      {"LATENCY", "LATEST", "x"},
      {"LATENCY", "RESET"},
      {"LATENCY", "HISTORY", "command"},
      {"FUNCTION", "LIST"},
      {"FUNCTION", "FLUSH"},
      {"FUNCTION", "FLUSH", "ASYNC"},
      {"FUNCTION", "STATS"},
      {"FUNCTION", "NOPE"},
      {"SHUTDOWN", "ABORT"},
      {"SHUTDOWN", "NOPE"},
      {"WAIT", "0", "x"},
      // Refused inside MULTI, which then aborts.
      {"MULTI"},
      {"SHUTDOWN"},
      {"EXEC"},
      {"COMMAND", "GETKEYS", "GET", "k"},
      {"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"},
      {"COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b"},
      {"COMMAND", "GETKEYS", "NOSUCH", "a"},
      {"COMMAND", "GETKEYS", "GET"},
      {"COMMAND", "GETKEYS", "GET", "a", "b"},
      {"COMMAND", "GETKEYS", "PING", "x"},
      {"COMMAND", "LIST", "FILTERBY", "PATTERN", "hincrbyf*"},
      {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
      {"COMMAND", "LIST", "FILTERBY", "FOO", "x"},
      {"COMMAND", "LIST", "FILTERBY", "PATTERN"},
  };
  for (const std::vector<std::string>& command : commands) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)))
        << absl::StrJoin(command, " ");
  }
  // Redis 7.0 refuses DEBUG unless enable-debug-command is set; shardd
  // serves the subcommands it has.
  EXPECT_EQ(*ours.Command({"DEBUG", "SLEEP", "0"}), kOk);
  EXPECT_EQ(*ours.Command({"DEBUG", "SLEEP", "x"}),
            "-ERR value is not a valid float\r\n");
  EXPECT_EQ(*ours.Command({"DEBUG", "NOPE"}),
            "-ERR unknown subcommand 'NOPE'. Try DEBUG HELP.\r\n");
  EXPECT_EQ(*ours.Command({"EVAL", "return 1", "0"}),
            "-ERR Lua scripting and functions are not supported by "
            "shardd\r\n");
}

// DEBUG OBJECT describes a key's value with Redis's fields, in its order:
// the value's address, references, encoding, serialized length (here what
// the key takes in the log), LRU clock and idle seconds. It does not count
// as using the key.
TEST_F(ServerCommandsTest, DebugObjectDescribesTheValue) {
  RespClient client = MustConnect();
  ASSERT_EQ(*client.Command({"SET", "dbg", "hello"}), kOk);
  ASSERT_EQ(*client.Command({"HSET", "dbg-hash", "f", "v"}), ":1\r\n");
  const std::string line = *client.Command({"DEBUG", "OBJECT", "dbg"});
  ASSERT_TRUE(line.starts_with("+Value at:0x")) << line;
  std::vector<std::string> names;
  std::vector<std::string> values;
  const std::string body = line.substr(1, line.size() - 3);  // no + or CRLF
  for (absl::string_view field : absl::StrSplit(body, ' ')) {
    if (field == "Value") continue;
    const size_t colon = field.find(':');
    ASSERT_NE(colon, absl::string_view::npos) << line;
    names.emplace_back(field.substr(0, colon));
    values.emplace_back(field.substr(colon + 1));
  }
  ASSERT_EQ(names, (std::vector<std::string>{"at", "refcount", "encoding",
                                             "serializedlength", "lru",
                                             "lru_seconds_idle"}));
  EXPECT_EQ(values[1], "1");
  EXPECT_EQ(values[2], "embstr");
  // SET dbg hello, as the log writes it.
  EXPECT_EQ(values[3], std::to_string(std::string("*3\r\n$3\r\nSET\r\n"
                                                  "$3\r\ndbg\r\n$5\r\nhello"
                                                  "\r\n")
                                          .size()));
  const int64_t clock = absl::ToUnixSeconds(absl::Now()) & ((1 << 24) - 1);
  EXPECT_LE(std::abs(ParseInt64(values[4]).value_or(0) - clock), 5);
  // (0, or 1 if a second began between the two commands.)
  EXPECT_LE(ParseInt64(values[5]).value_or(-1), 1);
  EXPECT_GE(ParseInt64(values[5]).value_or(-1), 0);
  EXPECT_NE(client.Command({"DEBUG", "OBJECT", "dbg-hash"})
                ->find("encoding:listpack "),
            std::string::npos);
  EXPECT_EQ(*client.Command({"DEBUG", "OBJECT", "nosuch"}),
            "-ERR no such key\r\n");
  EXPECT_EQ(*client.Command({"DEBUG", "OBJECT"}),
            "-ERR unknown subcommand 'OBJECT'. Try DEBUG HELP.\r\n");
  // Neither a hit nor a miss.
  const std::string stats = *client.Command({"INFO", "stats"});
  EXPECT_NE(stats.find("keyspace_hits:0\r\n"), std::string::npos);
  EXPECT_NE(stats.find("keyspace_misses:0\r\n"), std::string::npos);
}

// Without --enable_debug_command, DEBUG is refused as Redis refuses it
// without enable-debug-command.
class DebugDisabledTest : public ServerCommandsTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2"};
  }
};

TEST_F(DebugDisabledTest, RefusedAsRedisDoes) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> theirs = (*redis)->Connect();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{
           {"DEBUG", "SLEEP", "0"}, {"DEBUG", "SET-ACTIVE-EXPIRE", "0"}}) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)));
  }
}

TEST_F(ServerCommandsTest, DebugSleepHoldsOnlyItsConnection) {
  RespClient sleeper = MustConnect();
  RespClient other = MustConnect();
  ASSERT_TRUE(sleeper.Send(EncodeCommand({"DEBUG", "SLEEP", "0.5"})).ok());
  const absl::Time start = absl::Now();
  EXPECT_EQ(*other.Command({"PING"}), "+PONG\r\n");
  // The PING was answered while the sleeper still waited for its reply.
  pollfd readable{.fd = sleeper.fd(), .events = POLLIN, .revents = 0};
  EXPECT_EQ(poll(&readable, 1, 0), 0);
  EXPECT_EQ(*sleeper.ReadReply(), kOk);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(500));
}

TEST_F(ServerCommandsTest, ActiveExpireCanBeStopped) {
  RespClient client = MustConnect();
  EXPECT_EQ(*client.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}), kOk);
  EXPECT_EQ(*client.Command({"SET", "k", "v", "PX", "20"}), kOk);
  // Several expiry cycles (10 a second) pass; DBSIZE does not touch keys.
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_EQ(*client.Command({"DBSIZE"}), Integer(1));
  EXPECT_EQ(*client.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "1"}), kOk);
  EXPECT_TRUE(Eventually(absl::Seconds(10), [&] {
    return *client.Command({"DBSIZE"}) == Integer(0);
  }));
}

TEST_F(ServerCommandsTest, ShutdownStopsTheServer) {
  RespClient client = MustConnect();
  ASSERT_TRUE(client.Send(EncodeCommand({"SHUTDOWN", "NOSAVE"})).ok());
  client.set_timeout(absl::Seconds(20));
  // No reply: the connection closes as the server stops.
  EXPECT_EQ(*client.ReadUntilClosed(), "");
  EXPECT_TRUE(Eventually(absl::Seconds(20),
                         [&] { return server().TryReap().has_value(); }));
}

}  // namespace
}  // namespace shardd::integration
