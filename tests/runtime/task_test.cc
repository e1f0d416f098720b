#include "shard/task.h"

#include <future>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "shard/shard_set.h"

namespace shardd {
namespace {

Task<int> Constant(int v) { co_return v; }

Task<int> Sum(int depth) {
  if (depth == 0) co_return 0;
  co_return depth + co_await Sum(depth - 1);
}

Task<std::unique_ptr<std::string>> MoveOnly() {
  co_return std::make_unique<std::string>("moved");
}

TEST(TaskTest, IsLazyUntilAwaited) {
  bool started = false;
  auto task = [](bool& flag) -> Task<void> {
    flag = true;
    co_return;
  }(started);
  EXPECT_FALSE(started);
}

TEST(TaskTest, ChainsValuesAndMoveOnlyResults) {
  ShardSet shards({.shard_count = 1});
  std::promise<std::string> result;
  ASSERT_TRUE(shards.Start([&](Reactor& r) {
    r.Spawn([](std::promise<std::string>& out) -> Task<void> {
      const int a = co_await Constant(2);
      const int b = co_await Sum(100);
      std::unique_ptr<std::string> s = co_await MoveOnly();
      out.set_value(std::to_string(a) + "," + std::to_string(b) + "," + *s);
    }(result));
  }).ok());
  EXPECT_EQ(result.get_future().get(), "2,5050,moved");
  shards.Stop();
}

}  // namespace
}  // namespace shardd
