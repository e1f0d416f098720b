// CLIENT against the real binary (4 shards): connections on every shard are
// listed and killed wherever they are; names, ids and INFO; and the error
// replies compared with redis-server's.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
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
  };
  for (const std::vector<std::string>& command : commands) {
    EXPECT_EQ(Printable(*ours.Command(command)),
              Printable(*theirs->Command(command)))
        << absl::StrJoin(command, " ");
  }
}

}  // namespace
}  // namespace shardd::integration
