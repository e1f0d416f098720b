// The file service's counters, as INFO, /metrics and /stats show them after
// a known set of requests: requests by method and status class, disk bytes
// read and written, fsyncs (two per PUT, one more per directory it makes,
// one per DELETE), connections.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/file_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/resp_client.h"

namespace shardd::integration {
namespace {

class FileStatsTest : public FileServiceTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=2", "--admin_port=0"};
  }
};

TEST_F(FileStatsTest, CountersFollowTheRequests) {
  const std::string content = Pattern(10000, 1);
  // 3 fsyncs (the new directory s in the root, the file, s), 10000 bytes.
  ASSERT_EQ(Put("/s/a.bin", content).status, 201);
  ASSERT_EQ(Get("/s/a.bin").status, 200);             // 10000 bytes read
  ASSERT_EQ(Get("/s/a.bin", {"-I"}).status, 200);     // HEAD: nothing read
  ASSERT_EQ(Get("/s/missing").status, 404);
  ASSERT_EQ(Curl("/s/a.bin", {"-X", "POST"}).status, 405);
  ASSERT_EQ(Delete("/s/a.bin").status, 204);          // 1 fsync

  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", server().port());
  ASSERT_TRUE(client.ok()) << client.status();
  // A request is counted once its response has gone out, which the client
  // may see first: the last one may still be on its way to the counters.
  absl::StatusOr<std::string> info;
  EXPECT_TRUE(Eventually(absl::Seconds(10), [&] {
    info = client->Command({"INFO", "files"});
    return !info.ok() || absl::StrContains(*info, "files_requests:6\r\n");
  }));
  ASSERT_TRUE(info.ok()) << info.status();
  for (const char* line :
       {"files_requests:6\r\n", "files_get:2\r\n", "files_head:1\r\n",
        "files_put:1\r\n", "files_delete:1\r\n", "files_other:1\r\n",
        "files_2xx:4\r\n", "files_4xx:2\r\n", "files_5xx:0\r\n",
        "files_disk_read_bytes:10000\r\n",
        "files_disk_written_bytes:10000\r\n", "files_fsyncs:4\r\n",
        "files_replies_before_durable:0\r\n"}) {
    EXPECT_TRUE(absl::StrContains(*info, line)) << line << " in " << *info;
  }

  absl::StatusOr<std::string> metrics =
      HttpGetBody(server().admin_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_TRUE(absl::StrContains(
      *metrics, "# TYPE shardd_files_requests_total counter"))
      << *metrics;
  EXPECT_TRUE(absl::StrContains(*metrics, "method=\"PUT\"}")) << *metrics;
  EXPECT_TRUE(absl::StrContains(*metrics, "class=\"4xx\"}")) << *metrics;
  EXPECT_TRUE(
      absl::StrContains(*metrics, "shardd_files_request_duration_seconds"))
      << *metrics;

  absl::StatusOr<std::string> stats =
      HttpGetBody(server().admin_port(), "/stats");
  ASSERT_TRUE(stats.ok()) << stats.status();
  // The totals object ends the document; its files object sums the shards.
  const size_t totals = stats->find("\"totals\"");
  ASSERT_NE(totals, std::string::npos) << *stats;
  const std::string tail = stats->substr(totals);
  EXPECT_TRUE(absl::StrContains(tail, "\"files\":{\"requests\":6,\"get\":2,"))
      << tail;
  EXPECT_TRUE(absl::StrContains(tail, "\"fsyncs\":4")) << tail;
}

// Every acknowledged PUT fsynced its file and its directory (two fsyncs
// each) and replied only after both and the rename: the server counts
// replies sent otherwise, and the count stays 0.
TEST_F(FileStatsTest, EveryPutReplyFollowsItsFsyncs) {
  constexpr int kPuts = 20;
  for (int i = 0; i < kPuts; ++i) {
    ASSERT_EQ(Put(absl::StrCat("/f", i % 3, ".bin"), Pattern(1000, i)).status,
              i < 3 ? 201 : 204);
  }
  absl::StatusOr<RespClient> client =
      RespClient::ConnectTcp("127.0.0.1", server().port());
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<std::string> info = client->Command({"INFO", "files"});
  ASSERT_TRUE(info.ok()) << info.status();
  const std::string puts = absl::StrCat("files_put:", kPuts, "\r\n");
  const std::string fsyncs = absl::StrCat("files_fsyncs:", 2 * kPuts, "\r\n");
  EXPECT_TRUE(absl::StrContains(*info, puts)) << *info;
  EXPECT_TRUE(absl::StrContains(*info, fsyncs)) << *info;
  EXPECT_TRUE(absl::StrContains(*info, "files_replies_before_durable:0\r\n"))
      << *info;
}

}  // namespace
}  // namespace shardd::integration
