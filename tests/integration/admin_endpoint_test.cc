// The admin endpoint of a real shardd (4 shards): HTTP behaviour, a valid
// Prometheus exposition, a JSON /stats with one object per shard.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/stats/exposition_validator.h"

namespace shardd::integration {
namespace {

class AdminEndpointTest : public ShardServerTest {
 protected:
  void SetUp() override {
    ShardServerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_GT(server().admin_port(), 0) << "no admin_port in the ready line";
  }
  int admin_port() const { return server().admin_port(); }

  // Keys on every shard, single-key and cross-shard multi-key commands.
  void DriveWorkload() {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(client->Command({"SET", absl::StrCat("key:", i), "v"}).ok());
    }
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(client->Command({"MGET", "key:1", "key:2", "key:3", "key:4",
                                   "key:5", "key:6"})
                      .ok());
    }
  }
};

TEST_F(AdminEndpointTest, HealthzNotFoundAndMethodNotAllowed) {
  absl::StatusOr<std::string> ok = HttpExchange(
      admin_port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->starts_with("HTTP/1.1 200 OK\r\n")) << *ok;
  EXPECT_TRUE(ok->ends_with("\r\n\r\nok\n")) << *ok;
  absl::StatusOr<std::string> missing = HttpExchange(
      admin_port(), "GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->starts_with("HTTP/1.1 404 ")) << *missing;
  absl::StatusOr<std::string> post = HttpExchange(
      admin_port(), "DELETE /stats HTTP/1.1\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(post.ok());
  EXPECT_TRUE(post->starts_with("HTTP/1.1 405 ")) << *post;
  EXPECT_NE(post->find("Allow: GET, HEAD\r\n"), std::string::npos);
  absl::StatusOr<std::string> garbage =
      HttpExchange(admin_port(), "\x01\x02 garbage\r\n\r\n");
  ASSERT_TRUE(garbage.ok());
  EXPECT_TRUE(garbage->starts_with("HTTP/1.1 400 ")) << *garbage;
}

TEST_F(AdminEndpointTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  absl::StatusOr<std::string> both = HttpExchange(
      admin_port(),
      "GET /healthz HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\n"
      "Connection: close\r\n\r\n");
  ASSERT_TRUE(both.ok()) << both.status();
  size_t responses = 0;
  for (size_t at = 0; (at = both->find("HTTP/1.1 200 OK", at)) != std::string::npos;
       ++at) {
    ++responses;
  }
  EXPECT_EQ(responses, 2u) << *both;
}

TEST_F(AdminEndpointTest, MetricsAreValidExpositionWithEveryShard) {
  DriveWorkload();
  absl::StatusOr<std::string> text = HttpGetBody(admin_port(), "/metrics");
  ASSERT_TRUE(text.ok()) << text.status();
  std::vector<stats::ExpositionSample> samples;
  const std::vector<std::string> errors =
      stats::ValidateExposition(*text, &samples);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  std::set<std::string> shards;
  double keys = 0;
  for (const stats::ExpositionSample& s : samples) {
    ASSERT_TRUE(s.labels.contains("shard")) << s.name;
    shards.insert(s.labels.at("shard"));
    if (s.name == "shardd_keys") keys += s.value;
  }
  EXPECT_EQ(shards, (std::set<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(keys, 100);
}

TEST_F(AdminEndpointTest, StatsJsonHasOneObjectPerShardAndTotals) {
  DriveWorkload();
  absl::StatusOr<std::string> json = HttpGetBody(admin_port(), "/stats");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_TRUE(json->starts_with("{\"shards\":[{\"shard\":0,")) << *json;
  EXPECT_NE(json->find("\"totals\":{\"shard\":4,"), std::string::npos);
  EXPECT_NE(json->find("\"keys\":100,"), std::string::npos) << *json;
}

}  // namespace
}  // namespace shardd::integration
