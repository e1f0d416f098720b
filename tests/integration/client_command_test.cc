// CLIENT against the real binary (4 shards): connections on every shard are
// listed and killed wherever they are; names, ids and INFO; and the error
// replies compared with redis-server's.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

class ClientCommandTest : public ShardServerTest {};

// The lines of a CLIENT LIST reply (a bulk string in RESP2).
std::vector<std::string> Lines(const std::string& reply) {
  const std::optional<std::string> text = BulkOf(reply);
  if (!text.has_value()) return {"<not a bulk string: " + reply + ">"};
  return absl::StrSplit(*text, '\n', absl::SkipEmpty());
}

// The value of `field` in a CLIENT LIST line.
std::string Field(const std::string& line, const std::string& field) {
  for (absl::string_view part : absl::StrSplit(line, ' ')) {
    if (absl::StartsWith(part, absl::StrCat(field, "="))) {
      return std::string(part.substr(field.size() + 1));
    }
  }
  return "<none>";
}

TEST_F(ClientCommandTest, ListShowsEveryShardsConnections) {
  std::vector<RespClient> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(MustConnect());
    EXPECT_EQ(
        *clients.back().Command({"CLIENT", "SETNAME", absl::StrCat("c", i)}),
        kOk);
  }
  ASSERT_TRUE(clients[3].Command({"SUBSCRIBE", "news"}).ok());
  RespClient asker = MustConnect();
  const std::vector<std::string> lines =
      Lines(*asker.Command({"CLIENT", "LIST"}));
  EXPECT_EQ(lines.size(), 9u);
  for (int i = 0; i < 8; ++i) {
    const std::string name = absl::StrCat("c", i);
    int found = 0;
    for (const std::string& line : lines) {
      if (Field(line, "name") != name) continue;
      ++found;
      EXPECT_EQ(Field(line, "flags"), i == 3 ? "P" : "N") << line;
      EXPECT_EQ(Field(line, "sub"), i == 3 ? "1" : "0") << line;
      EXPECT_TRUE(absl::StartsWith(Field(line, "addr"), "127.0.0.1:")) << line;
      EXPECT_EQ(Field(line, "user"), "default") << line;
    }
    EXPECT_EQ(found, 1) << name;
  }
  EXPECT_EQ(Lines(*asker.Command({"CLIENT", "LIST", "TYPE", "pubsub"})).size(),
            1u);
  const std::string id = Field(lines[0], "id");
  const std::vector<std::string> by_id =
      Lines(*asker.Command({"CLIENT", "LIST", "ID", id, "999999"}));
  ASSERT_EQ(by_id.size(), 1u);
  EXPECT_EQ(Field(by_id[0], "id"), id);
}

TEST_F(ClientCommandTest, IdNameAndInfo) {
  RespClient client = MustConnect();
  const std::optional<int64_t> id =
      IntegerOf(*client.Command({"CLIENT", "ID"}));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(*client.Command({"CLIENT", "GETNAME"}), "$-1\r\n");
  EXPECT_EQ(*client.Command({"CLIENT", "SETNAME", "worker-1"}), kOk);
  EXPECT_EQ(*client.Command({"CLIENT", "GETNAME"}), Bulk("worker-1"));
  EXPECT_EQ(*client.Command({"CLIENT", "SETNAME", "two words"}),
            "-ERR Client names cannot contain spaces, newlines or special "
            "characters.\r\n");
  const std::vector<std::string> info =
      Lines(*client.Command({"CLIENT", "INFO"}));
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(Field(info[0], "id"), absl::StrCat(*id));
  EXPECT_EQ(Field(info[0], "name"), "worker-1");
  EXPECT_EQ(Field(info[0], "cmd"), "client");
  ASSERT_TRUE(client.Command({"HELLO", "3"}).ok());
  const absl::StatusOr<std::string> verbatim =
      client.Command({"CLIENT", "INFO"});
  EXPECT_TRUE(absl::StrContains(*verbatim, "txt:id=")) << Printable(*verbatim);
  EXPECT_EQ(*client.Command({"CLIENT", "SETNAME", ""}), kOk);
  EXPECT_EQ(*client.Command({"CLIENT", "GETNAME"}), "_\r\n");
}

TEST_F(ClientCommandTest, DbIsTheConnectionsDatabase) {
  RespClient client = MustConnect();
  const auto db = [&client] {
    return Field(Lines(*client.Command({"CLIENT", "INFO"}))[0], "db");
  };
  EXPECT_EQ(db(), "0");
  EXPECT_EQ(*client.Command({"SELECT", "7"}), kOk);
  EXPECT_EQ(db(), "7");
  // Another connection sees it in CLIENT LIST.
  RespClient asker = MustConnect();
  const std::string name = "in-seven";
  EXPECT_EQ(*client.Command({"CLIENT", "SETNAME", name}), kOk);
  bool found = false;
  for (const std::string& line : Lines(*asker.Command({"CLIENT", "LIST"}))) {
    if (Field(line, "name") != name) continue;
    found = true;
    EXPECT_EQ(Field(line, "db"), "7") << line;
  }
  EXPECT_TRUE(found);
  // RESET selects database 0 again, as in Redis.
  EXPECT_EQ(*client.Command({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(db(), "0");
}

// CLIENT is refused inside MULTI (it ran on a null handler at EXEC and
// crashed the server): the transaction is aborted and the server answers.
TEST_F(ClientCommandTest, RefusedInsideMulti) {
  RespClient client = MustConnect();
  for (const char* sub : {"ID", "GETNAME", "LIST"}) {
    EXPECT_EQ(*client.Command({"MULTI"}), kOk);
    EXPECT_EQ(*client.Command({"CLIENT", sub}),
              "-ERR Command not allowed inside a transaction\r\n");
    EXPECT_EQ(*client.Command({"EXEC"}),
              "-EXECABORT Transaction discarded because of previous "
              "errors.\r\n");
  }
  ExpectServerAnswers();
}

TEST_F(ClientCommandTest, KillEndsConnectionsOnAnyShard) {
  std::vector<RespClient> victims;
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    victims.push_back(MustConnect());
    ids.push_back(
        absl::StrCat(*IntegerOf(*victims.back().Command({"CLIENT", "ID"}))));
  }
  RespClient killer = MustConnect();
  for (size_t i = 0; i < victims.size(); ++i) {
    EXPECT_EQ(*killer.Command({"CLIENT", "KILL", "ID", ids[i]}), Integer(1));
    victims[i].set_timeout(absl::Seconds(10));
    EXPECT_TRUE(victims[i].ReadUntilClosed().ok()) << i;
  }
  EXPECT_EQ(*killer.Command({"CLIENT", "KILL", "ID", ids[0]}), Integer(0));
  // The old form, by address.
  RespClient other = MustConnect();
  const std::string addr =
      Field(Lines(*other.Command({"CLIENT", "INFO"}))[0], "addr");
  EXPECT_EQ(*killer.Command({"CLIENT", "KILL", addr}), kOk);
  other.set_timeout(absl::Seconds(10));
  EXPECT_TRUE(other.ReadUntilClosed().ok());
  EXPECT_EQ(*killer.Command({"CLIENT", "KILL", addr}),
            "-ERR No such client\r\n");
  // SKIPME: by default the caller is spared; with "no" it goes too, after
  // its reply.
  const std::string own =
      Field(Lines(*killer.Command({"CLIENT", "INFO"}))[0], "addr");
  EXPECT_EQ(*killer.Command({"CLIENT", "KILL", "ADDR", own}), Integer(0));
  EXPECT_EQ(*killer.Command({"CLIENT", "KILL", "ADDR", own, "SKIPME", "no"}),
            Integer(1));
  killer.set_timeout(absl::Seconds(10));
  EXPECT_TRUE(killer.ReadUntilClosed().ok());
  ExpectServerAnswers();
}

TEST_F(ClientCommandTest, ErrorsMatchRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> theirs = (*redis)->Connect();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  const std::vector<std::vector<std::string>> commands = {
      {"CLIENT"},
      {"CLIENT", "FOO"},
      {"CLIENT", "SETNAME"},
      {"CLIENT", "INFO", "extra"},
      {"CLIENT", "KILL", "ID", "abc"},
      {"CLIENT", "KILL", "ID", "0"},
      {"CLIENT", "KILL", "USER", "nobody"},
      {"CLIENT", "KILL", "TYPE", "foo"},
      {"CLIENT", "KILL", "FOO", "bar"},
      {"CLIENT", "KILL", "ADDR", "1.1.1.1:1", "SKIPME", "maybe"},
      {"CLIENT", "KILL", "ADDR", "1.1.1.1:1"},
      {"CLIENT", "KILL", "1.1.1.1:1"},
      {"CLIENT", "LIST", "TYPE", "foo"},
      {"CLIENT", "LIST", "ID", "abc"},
      {"CLIENT", "LIST", "TYPE", "master"},
      {"CLIENT", "NO-EVICT", "maybe"},
      {"CLIENT", "NO-EVICT", "on"},
      {"CLIENT", "GETREDIR"},
      {"CLIENT", "TRACKINGINFO"},
      {"CLIENT", "REPLY", "maybe"},
      {"CLIENT", "REPLY"},
      {"CLIENT", "PAUSE", "abc"},
      {"CLIENT", "PAUSE", "-1"},
      {"CLIENT", "PAUSE", "10", "foo"},
      {"CLIENT", "PAUSE", "10", "write", "extra"},
      {"CLIENT", "UNPAUSE", "extra"},
  };
  for (const std::vector<std::string>& command : commands) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)))
        << absl::StrJoin(command, " ");
  }
}

// CLIENT REPLY OFF, SKIP and ON over a pipeline whose commands run here,
// on other shards (hops), over several shards (an MSET, deferred) and as
// errors: only the replies Redis would send arrive, in order.
TEST_F(ClientCommandTest, ReplyOffAndSkipDropExactlyThoseReplies) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  absl::StatusOr<RespClient> theirs = (*redis)->Connect();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  std::vector<std::vector<std::string>> script;
  for (int round = 0; round < 3; ++round) {
    const std::string n = absl::StrCat(round);
    script.push_back({"CLIENT", "REPLY", "OFF"});
    for (int k = 0; k < 8; ++k) {
      script.push_back({"SET", absl::StrCat("key", k), n});
    }
    script.push_back({"MSET", "key1", "a", "key2", "b", "key3", "c"});
    script.push_back({"INCR", "key1"});  // an error, muted too
    script.push_back({"GET", "key4"});
    script.push_back({"CLIENT", "REPLY", "ON"});
    script.push_back({"GET", "key5"});
    script.push_back({"CLIENT", "REPLY", "SKIP"});
    script.push_back({"MGET", "key1", "key2", "key6"});
    script.push_back({"GET", "key7"});
    script.push_back({"CLIENT", "REPLY", "SKIP"});
    script.push_back({"GET", "key0"});
    script.push_back({"ECHO", "end"});
  }
  std::string pipeline;
  for (const auto& command : script) pipeline += EncodeCommand(command);
  // Redis's replies: what it sends, read until the last ECHO's.
  ASSERT_TRUE(theirs->Send(pipeline).ok());
  ASSERT_TRUE(ours.Send(pipeline).ok());
  std::vector<std::string> expected;
  int ends = 0;
  while (ends < 3) {
    absl::StatusOr<std::string> reply = theirs->ReadReply();
    ASSERT_TRUE(reply.ok()) << reply.status();
    if (*reply == Bulk("end")) ++ends;
    expected.push_back(*reply);
  }
  ASSERT_EQ(expected.size(), 12u);  // (ON, GET, GET, ECHO) x 3
  for (const std::string& reply : expected) {
    EXPECT_EQ(Printable(*ours.ReadReply()), Printable(reply));
  }
  // Nothing else was sent: the next reply is the next command's.
  EXPECT_EQ(*ours.Command({"PING"}), "+PONG\r\n");
}

// CLIENT PAUSE WRITE holds writes on every shard until it ends, and reads
// go on meanwhile; CLIENT UNPAUSE lifts it; ALL holds reads too.
TEST_F(ClientCommandTest, PauseHoldsWritesOnEveryShardUntilUnpause) {
  RespClient admin = MustConnect();
  std::vector<RespClient> writers;
  for (int i = 0; i < 4; ++i) writers.push_back(MustConnect());
  RespClient reader = MustConnect();
  ASSERT_EQ(*admin.Command({"SET", "k", "before"}), kOk);
  ASSERT_EQ(*admin.Command({"CLIENT", "PAUSE", "60000", "WRITE"}), kOk);
  for (size_t i = 0; i < writers.size(); ++i) {
    ASSERT_TRUE(writers[i]
                    .Send(EncodeCommand({"SET", "k", absl::StrCat("w", i)}))
                    .ok());
  }
  // Reads are served while the writes wait (bounded: each read has its
  // own deadline).
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(*reader.Command({"GET", "k"}), Bulk("before"));
  }
  ASSERT_EQ(*admin.Command({"CLIENT", "UNPAUSE"}), kOk);
  for (RespClient& writer : writers) EXPECT_EQ(*writer.ReadReply(), kOk);
  EXPECT_NE(*reader.Command({"GET", "k"}), Bulk("before"));

  // A pause that ends by itself.
  ASSERT_EQ(*admin.Command({"CLIENT", "PAUSE", "300", "ALL"}), kOk);
  const absl::Time paused_at = absl::Now();
  EXPECT_EQ(*reader.Command({"PING"}), "+PONG\r\n");
  // Held for the rest of the pause, whatever shard the reader is on (with
  // room for the time the +OK took to come back).
  EXPECT_GE(absl::Now() - paused_at, absl::Milliseconds(150));
  // A client that hangs up while its write is held loses the write, as in
  // Redis (its connection ends without waiting for the pause).
  ASSERT_EQ(*admin.Command({"CLIENT", "PAUSE", "60000", "WRITE"}), kOk);
  {
    RespClient leaver = MustConnect();
    ASSERT_TRUE(leaver.Send(EncodeCommand({"SET", "gone", "1"})).ok());
    std::string info;
    ASSERT_TRUE(WaitForConnectedClients(admin, 7, absl::Seconds(10), &info))
        << info;
  }
  std::string info;
  ASSERT_TRUE(WaitForConnectedClients(admin, 6, absl::Seconds(10), &info))
      << info;
  ASSERT_EQ(*admin.Command({"CLIENT", "UNPAUSE"}), kOk);
  EXPECT_EQ(*reader.Command({"GET", "gone"}), kNil);
  // A held write runs with its own time: its expiry counts from when it
  // ran, not from when it arrived.
  ASSERT_EQ(*admin.Command({"CLIENT", "PAUSE", "500", "WRITE"}), kOk);
  EXPECT_EQ(*reader.Command({"SET", "ttl", "v", "PX", "400"}), kOk);
  EXPECT_EQ(*reader.Command({"GET", "ttl"}), Bulk("v"));
}

// A client whose command waits, held by a pause or for a key, counts in
// INFO's blocked_clients and has CLIENT LIST's flag "b", as in Redis:
// the same script on both servers.
TEST_F(ClientCommandTest, HeldAndBlockedClientsCountAsBlockedAsInRedis) {
  absl::StatusOr<std::unique_ptr<RedisReference>> redis =
      RedisReference::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  const auto blocked_clients = [](RespClient& client) {
    const std::string info =
        BulkOf(*client.Command({"INFO", "clients"})).value_or("");
    const size_t at = info.find("blocked_clients:");
    if (at == std::string::npos) return std::string("none");
    return info.substr(at + 16, info.find('\r', at) - at - 16);
  };
  // The flags of client `id`, without "U" (the reference's Unix socket).
  const auto flags_of = [](RespClient& client, const std::string& id) {
    const std::string list =
        BulkOf(*client.Command({"CLIENT", "LIST", "ID", id})).value_or("");
    const size_t at = list.find(" flags=");
    if (at == std::string::npos) return std::string("no such client");
    std::string flags = list.substr(at + 7, list.find(' ', at + 7) - at - 7);
    flags.erase(std::remove(flags.begin(), flags.end(), 'U'), flags.end());
    return flags;
  };
  const auto id_of = [](RespClient& client) {
    const std::string reply = *client.Command({"CLIENT", "ID"});
    return reply.substr(1, reply.size() - 3);  // ":<id>\r\n"
  };
  for (const bool reference : {false, true}) {
    SCOPED_TRACE(reference ? "redis-server" : "shardd");
    const auto connect = [&] {
      if (!reference) return MustConnect();
      absl::StatusOr<RespClient> client = (*redis)->Connect();
      EXPECT_TRUE(client.ok()) << client.status();
      return std::move(*client);
    };
    RespClient admin = connect();
    RespClient writer = connect();
    RespClient popper = connect();
    const std::string writer_id = id_of(writer);
    const std::string popper_id = id_of(popper);
    EXPECT_EQ(blocked_clients(admin), "0");
    ASSERT_EQ(*admin.Command({"CLIENT", "PAUSE", "60000", "WRITE"}), kOk);
    ASSERT_TRUE(writer.Send(EncodeCommand({"SET", "held", "1"})).ok());
    EXPECT_TRUE(Eventually(absl::Seconds(10),
                           [&] { return blocked_clients(admin) == "1"; }));
    EXPECT_EQ(flags_of(admin, writer_id), "b");
    ASSERT_EQ(*admin.Command({"CLIENT", "UNPAUSE"}), kOk);
    EXPECT_EQ(*writer.ReadReply(), kOk);
    EXPECT_FALSE(absl::StrContains(flags_of(admin, writer_id), "b"));
    ASSERT_TRUE(popper.Send(EncodeCommand({"BLPOP", "nothing", "0"})).ok());
    EXPECT_TRUE(Eventually(absl::Seconds(10),
                           [&] { return blocked_clients(admin) == "1"; }));
    EXPECT_EQ(flags_of(admin, popper_id), "b");
    ASSERT_EQ(*admin.Command({"RPUSH", "nothing", "a"}), ":1\r\n");
    EXPECT_EQ(*popper.ReadReply(), "*2\r\n$7\r\nnothing\r\n$1\r\na\r\n");
    EXPECT_EQ(blocked_clients(admin), "0");
    EXPECT_FALSE(absl::StrContains(flags_of(admin, popper_id), "b"));
  }
}

}  // namespace
}  // namespace shardd::integration
