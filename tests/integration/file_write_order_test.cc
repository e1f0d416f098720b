// Writes to one path are ordered on the path's owner shard: PUTs that race
// from connections on different shards with the same precondition commit
// one at a time, so exactly one of them finds the precondition true (the
// others get 412), and the file is that one's body.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/file_http.h"

namespace shardd::integration {
namespace {

constexpr int kRacers = 8;

class FileWriteOrderTest : public FileServiceTest {
 protected:
  // Runs kRacers PUTs of `path` at once, racer i sending Pattern(4096, i)
  // with `header`; returns their statuses.
  std::vector<int> Race(const std::string& path, const std::string& header) {
    std::vector<int> statuses(kRacers, 0);
    std::vector<std::string> bodies;
    for (int i = 0; i < kRacers; ++i) {
      bodies.push_back(WorkFile("racer"));
      EXPECT_TRUE(WriteFileBytes(bodies.back(), Pattern(4096, i)));
    }
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
      racers.emplace_back([&, i] {
        const ProgramResult r = RunProgram(
            {"curl", "-s", "-S", "-o", "/dev/null", "-w", "%{http_code}",
             "-H", "Expect:", "-H", header, "-T", bodies[i], Url(path)});
        statuses[i] = std::atoi(r.stdout_text.c_str());
      });
    }
    for (std::thread& racer : racers) racer.join();
    return statuses;
  }

  // The one racer with status `won`; -1 if not exactly one.
  static int OnlyWinner(const std::vector<int>& statuses, int won) {
    int winner = -1;
    for (int i = 0; i < kRacers; ++i) {
      if (statuses[i] == won) {
        if (winner != -1) return -1;
        winner = i;
      } else if (statuses[i] != 412) {
        return -1;
      }
    }
    return winner;
  }
};

TEST_F(FileWriteOrderTest, OnlyOneConcurrentCreateWins) {
  for (int round = 0; round < 5; ++round) {
    const std::string path = absl::StrCat("/create-", round, ".bin");
    const std::vector<int> statuses = Race(path, "If-None-Match: *");
    const int winner = OnlyWinner(statuses, 201);
    ASSERT_NE(winner, -1) << "statuses: " << testing::PrintToString(statuses);
    EXPECT_TRUE(ReadFileBytes(Root() + path) == Pattern(4096, winner));
  }
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

TEST_F(FileWriteOrderTest, OnlyOneConcurrentIfMatchReplaceWins) {
  for (int round = 0; round < 5; ++round) {
    const std::string path = absl::StrCat("/replace-", round, ".bin");
    ASSERT_EQ(Put(path, "v0").status, 201);
    HttpResult head = Get(path, {"-I"});
    const std::string etag = head.Header("ETag").value_or("");
    ASSERT_FALSE(etag.empty()) << head.Describe();
    const std::vector<int> statuses =
        Race(path, absl::StrCat("If-Match: ", etag));
    const int winner = OnlyWinner(statuses, 204);
    ASSERT_NE(winner, -1) << "statuses: " << testing::PrintToString(statuses);
    EXPECT_TRUE(ReadFileBytes(Root() + path) == Pattern(4096, winner));
  }
  EXPECT_TRUE(TempFilesUnder(Root()).empty());
}

}  // namespace
}  // namespace shardd::integration
