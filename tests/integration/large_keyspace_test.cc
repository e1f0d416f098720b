// Pipelines over a keyspace large enough that every store prefetches its
// keys (Store::PrefetchPays: 16,384 keys or more; smaller stores, as in every
// other test, are left alone). So the session's key prefetcher, a hop batch's
// prefetch on its owner and the windows of MGET and EXISTS all run here,
// and must change nothing: every reply is the value written, in order. Four
// shards over the machine's CPUs (two here: shards s and s + 2 share a
// thread), so that commands run on their own shard, on a thread mate's in
// place, and on another thread's after a hop; the suite's packed run puts
// all four on one thread, its epoll run gives each a thread.
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

// 20,000 keys a shard (19,998 to 20,002 by their key slots), each store
// past Store::kPrefetchFrom (16,384) with room to spare.
constexpr int kKeys = 80'000;

std::string KeyAt(int i) { return absl::StrCat("key:", i); }
std::string ValueAt(int i) { return absl::StrCat("value:", i); }
std::string Bulk(const std::string& value) {
  return absl::StrCat("$", value.size(), "\r\n", value, "\r\n");
}

class LargeKeyspaceTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4"};
  }
};

TEST_F(LargeKeyspaceTest, PipelinedReadsSeeEveryWrite) {
  RespClient client = MustConnect();
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> expected;
  const auto run = [&] {
    absl::StatusOr<std::vector<std::string>> replies =
        client.Pipeline(commands);
    ASSERT_TRUE(replies.ok()) << replies.status();
    ASSERT_EQ(*replies, expected);
    commands.clear();
    expected.clear();
  };
  // Loaded with MSETs of 100 keys, 50 to a pipeline.
  for (int i = 0; i < kKeys; i += 100) {
    std::vector<std::string> mset = {"MSET"};
    for (int k = i; k < i + 100; ++k) {
      mset.push_back(KeyAt(k));
      mset.push_back(ValueAt(k));
    }
    commands.push_back(std::move(mset));
    expected.push_back("+OK\r\n");
    if (commands.size() == 50) {
      ASSERT_NO_FATAL_FAILURE(run());
    }
  }
  commands.push_back({"DBSIZE"});
  expected.push_back(absl::StrCat(":", kKeys, "\r\n"));
  ASSERT_NO_FATAL_FAILURE(run());

  // Batches of 16 as redis-benchmark -P 16 sends them: GETs of random keys
  // (one absent), an MGET of ten, an EXISTS of four.
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> pick(0, kKeys - 1);
  for (int batch = 0; batch < 300; ++batch) {
    for (int i = 0; i < 13; ++i) {
      const int k = pick(random);
      commands.push_back({"GET", KeyAt(k)});
      expected.push_back(Bulk(ValueAt(k)));
    }
    commands.push_back({"GET", absl::StrCat("absent:", batch)});
    expected.push_back("$-1\r\n");
    std::vector<std::string> mget = {"MGET"};
    std::string mget_reply = "*10\r\n";
    for (int i = 0; i < 10; ++i) {
      const int k = pick(random);
      mget.push_back(KeyAt(k));
      absl::StrAppend(&mget_reply, Bulk(ValueAt(k)));
    }
    commands.push_back(std::move(mget));
    expected.push_back(std::move(mget_reply));
    commands.push_back({"EXISTS", KeyAt(pick(random)), "absent",
                        KeyAt(pick(random)), KeyAt(pick(random))});
    expected.push_back(":3\r\n");
    ASSERT_NO_FATAL_FAILURE(run());
  }
}

}  // namespace
}  // namespace shardd::integration
