// shardd spreads client connections evenly over its shards, and INFO's
// "# Shards" section reports one line per shard:
//
//   shard_<i>:connections=<n>,keys=<k>,expires=<e>[,<more fields>]
#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;
constexpr double kMaxOverMean = 1.25;

struct ShardLine {
  int64_t connections = -1;
  int64_t keys = -1;
  int64_t expires = -1;
};

// Parses the "# Shards" section of an INFO reply's text.
absl::StatusOr<std::vector<ShardLine>> ParseShards(const std::string& info) {
  std::vector<ShardLine> shards;
  bool in_section = false;
  for (absl::string_view raw_line : absl::StrSplit(info, "\r\n")) {
    const std::string line(raw_line);
    if (line.starts_with("#")) {
      in_section = line == "# Shards";
      continue;
    }
    if (!in_section || line.empty()) continue;
    const std::string prefix = absl::StrCat("shard_", shards.size(), ":");
    if (!line.starts_with(prefix)) {
      return absl::DataLossError(absl::StrCat("unexpected line: ", line));
    }
    std::map<std::string, int64_t> fields;
    for (absl::string_view field :
         absl::StrSplit(absl::string_view(line).substr(prefix.size()), ',')) {
      const std::vector<std::string> parts = absl::StrSplit(field, '=');
      const std::optional<int64_t> value =
          parts.size() == 2 ? ParseInt64(parts[1]) : std::nullopt;
      if (!value) {
        return absl::DataLossError(absl::StrCat("bad field in: ", line));
      }
      fields[parts[0]] = *value;
    }
    // Further fields are allowed: INFO lines grow, clients ignore extras.
    if (!fields.contains("connections") || !fields.contains("keys") ||
        !fields.contains("expires")) {
      return absl::DataLossError(absl::StrCat("unexpected fields: ", line));
    }
    shards.push_back(
        {fields["connections"], fields["keys"], fields["expires"]});
  }
  return shards;
}

absl::StatusOr<std::vector<ShardLine>> ReadShards(RespClient& client) {
  absl::StatusOr<std::string> reply = client.Command({"INFO"});
  if (!reply.ok()) return reply.status();
  const std::optional<std::string> info = BulkOf(*reply);
  if (!info) {
    return absl::DataLossError(absl::StrCat("INFO: ", Printable(*reply)));
  }
  return ParseShards(*info);
}

// The parser itself, on a fixed text: a wrong parse must not pass as a
// balanced spread.
TEST(ShardsSectionTest, ParsesOneLinePerShard) {
  const std::string info =
      "# Server\r\nredis_version:7.0.15\r\n\r\n"
      "# Shards\r\n"
      "shard_0:connections=3,keys=10,expires=1\r\n"
      "shard_1:connections=2,keys=0,expires=0,commands=7\r\n"
      "\r\n# Keyspace\r\ndb0:keys=10,expires=1,avg_ttl=0\r\n";
  absl::StatusOr<std::vector<ShardLine>> shards = ParseShards(info);
  ASSERT_TRUE(shards.ok()) << shards.status();
  ASSERT_EQ(shards->size(), 2u);
  EXPECT_EQ((*shards)[0].connections, 3);
  EXPECT_EQ((*shards)[0].keys, 10);
  EXPECT_EQ((*shards)[0].expires, 1);
  EXPECT_EQ((*shards)[1].connections, 2);
  EXPECT_FALSE(ParseShards("# Shards\r\nshard_1:connections=1,keys=0,"
                           "expires=0\r\n")
                   .ok());  // numbering gap
  EXPECT_FALSE(ParseShards("# Shards\r\nshard_0:connections=x,keys=0,"
                           "expires=0\r\n")
                   .ok());
}

class ConnectionSpreadTest : public ShardServerTest,
                             public ::testing::WithParamInterface<int> {};

TEST_P(ConnectionSpreadTest, ConnectionsAreBalancedOverShards) {
  const int count = GetParam();
  std::vector<RespClient> clients;
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << "connection " << i << ": " << client.status();
    clients.push_back(*std::move(client));
  }
  // A reply proves the server has registered the connection.
  for (RespClient& client : clients) {
    absl::StatusOr<std::string> pong = client.Command({"PING"});
    ASSERT_TRUE(pong.ok()) << pong.status();
    ASSERT_EQ(*pong, "+PONG\r\n");
  }

  // INFO on one of the counted connections, so the total is exactly `count`.
  absl::StatusOr<std::vector<ShardLine>> shards = ReadShards(clients.front());
  ASSERT_TRUE(shards.ok()) << shards.status();
  ASSERT_EQ(shards->size(), static_cast<size_t>(kShards));

  int64_t total = 0;
  int64_t busiest = 0;
  std::string spread;
  for (const ShardLine& shard : *shards) {
    total += shard.connections;
    busiest = std::max(busiest, shard.connections);
    absl::StrAppend(&spread, spread.empty() ? "" : " ", shard.connections);
  }
  const double mean = static_cast<double>(total) / kShards;
  std::cout << count << " connections over " << kShards << " shards: " << spread
            << " (max/mean " << static_cast<double>(busiest) / mean << ")\n";
  EXPECT_EQ(total, count);
  EXPECT_LE(static_cast<double>(busiest), kMaxOverMean * mean)
      << "spread: " << spread;
}

INSTANTIATE_TEST_SUITE_P(Counts, ConnectionSpreadTest,
                         ::testing::Values(8, 64, 256));

class ShardsInfoTest : public ShardServerTest {};

TEST_F(ShardsInfoTest, InfoHasRedisSectionsAndPerShardKeyCounts) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  // 200 keys spread over every shard; every third with a TTL.
  for (int i = 0; i < 200; ++i) {
    std::vector<std::string> set = {"SET", absl::StrCat("info:", i), "v"};
    if (i % 3 == 0) set.insert(set.end(), {"EX", "10000"});
    ASSERT_EQ(*client->Command(set), kOk);
  }

  absl::StatusOr<std::string> reply = client->Command({"INFO"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  const std::optional<std::string> info = BulkOf(*reply);
  ASSERT_TRUE(info.has_value()) << Printable(*reply);
  for (const char* section :
       {"# Server\r\n", "# Clients\r\n", "# Keyspace\r\n", "# Shards\r\n"}) {
    EXPECT_NE(info->find(section), std::string::npos) << section;
  }
  EXPECT_NE(info->find("db0:keys=200,expires=67,"), std::string::npos)
      << "# Keyspace should say db0:keys=200,expires=67,avg_ttl=...";

  absl::StatusOr<std::vector<ShardLine>> shards = ParseShards(*info);
  ASSERT_TRUE(shards.ok()) << shards.status();
  ASSERT_EQ(shards->size(), static_cast<size_t>(kShards));
  int64_t keys = 0;
  int64_t expires = 0;
  for (const ShardLine& shard : *shards) {
    EXPECT_GT(shard.keys, 0) << "200 keys should reach every shard";
    keys += shard.keys;
    expires += shard.expires;
  }
  EXPECT_EQ(keys, 200);
  EXPECT_EQ(expires, 67);
}

}  // namespace
}  // namespace shardd::integration
