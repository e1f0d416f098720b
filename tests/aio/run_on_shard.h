// RunOnShard: runs a coroutine on a one-shard loop and waits for it, for
// tests of code that needs a ring (the log writer, its files).
//
//   RunOnShard([&]() -> Task<void> { co_await file.Sync(); });
#ifndef SHARDD_TESTS_AIO_RUN_ON_SHARD_H_
#define SHARDD_TESTS_AIO_RUN_ON_SHARD_H_

#include <chrono>
#include <future>
#include <utility>

#include "gtest/gtest.h"
#include "shard/shard_set.h"
#include "shard/task.h"

namespace shardd::aio {

// Fails the test if `body` has not finished within 20 s. `options` may
// change the shard's set-up; its shard count stays 1.
template <typename Body>
void RunOnShard(Body body, ShardSet::Options options = {}) {
  options.shard_count = 1;
  ShardSet shards(std::move(options));
  std::promise<void> done;
  auto task = [&]() -> Task<void> {
    co_await body();
    done.set_value();
  };
  ASSERT_TRUE(shards.Start([&](Reactor& r) { r.Spawn(task()); }).ok());
  const bool finished = done.get_future().wait_for(std::chrono::seconds(20)) ==
                        std::future_status::ready;
  shards.Stop();
  ASSERT_TRUE(finished);
}

}  // namespace shardd::aio

#endif  // SHARDD_TESTS_AIO_RUN_ON_SHARD_H_
