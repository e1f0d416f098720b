#include "shard/kv/exec/key_locks.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "shard/kv/exec/watch_table.h"

namespace shardd::kv {
namespace {

// Records the order in which waiters are granted; a waiter may release
// its keys as soon as it is granted, as a single command does.
struct Recorder {
  KeyLocks locks;
  std::vector<std::string> granted;
};

class TestWaiter : public LockWaiter {
 public:
  // No keys: the whole shard, in `mode`.
  TestWaiter(Recorder& recorder, std::string name,
             std::vector<std::string_view> keys, bool release_at_once = false,
             ShardMode mode = ShardMode::kExclusive)
      : recorder_(recorder),
        name_(std::move(name)),
        keys_(std::move(keys)),
        release_at_once_(release_at_once),
        mode_(mode) {}

  bool TryAcquire() {
    return keys_.empty() ? recorder_.locks.TryAcquireShard(this, mode_)
                         : recorder_.locks.TryAcquire(this, keys_);
  }
  bool Acquire() {
    return keys_.empty() ? recorder_.locks.AcquireShard(this, mode_)
                         : recorder_.locks.Acquire(this, keys_);
  }
  void Release() {
    if (keys_.empty()) {
      recorder_.locks.ReleaseShard(this);
    } else {
      recorder_.locks.Release(this, keys_);
    }
  }
  void Granted() override {
    recorder_.granted.push_back(name_);
    if (release_at_once_) Release();
  }

 private:
  Recorder& recorder_;
  std::string name_;
  std::vector<std::string_view> keys_;
  bool release_at_once_;
  ShardMode mode_;
};

// A reader of the whole shard (DBSIZE, KEYS).
TestWaiter Reader(Recorder& recorder, std::string name) {
  return TestWaiter(recorder, std::move(name), {}, /*release_at_once=*/false,
                    ShardMode::kShared);
}

TEST(KeyLocksTest, FreeKeysAreGrantedAtOnceAndLeaveNoEntry) {
  Recorder r;
  EXPECT_TRUE(r.locks.empty());
  TestWaiter a(r, "a", {"x", "y"});
  EXPECT_TRUE(a.Acquire());
  EXPECT_FALSE(r.locks.empty());
  EXPECT_TRUE(r.locks.Queued("x"));
  EXPECT_FALSE(r.locks.Queued("z"));
  a.Release();
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.waits(), 0u);
}

TEST(KeyLocksTest, WaitersOfAKeyAreGrantedInArrivalOrder) {
  Recorder r;
  TestWaiter holder(r, "holder", {"k"});
  TestWaiter first(r, "first", {"k"}, /*release_at_once=*/true);
  TestWaiter second(r, "second", {"k"}, /*release_at_once=*/true);
  TestWaiter third(r, "third", {"k"}, /*release_at_once=*/true);
  ASSERT_TRUE(holder.Acquire());
  EXPECT_FALSE(first.Acquire());
  EXPECT_FALSE(second.Acquire());
  EXPECT_FALSE(third.Acquire());
  EXPECT_EQ(r.locks.waiting(), 3u);
  holder.Release();  // each granted one releases at once: the next goes
  EXPECT_EQ(r.granted, (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.waits(), 3u);
  EXPECT_EQ(r.locks.waiting(), 0u);
}

TEST(KeyLocksTest, AWaiterOfSeveralKeysWaitsForAllOfThem) {
  Recorder r;
  TestWaiter on_x(r, "x", {"x"});
  TestWaiter on_y(r, "y", {"y"});
  TestWaiter both(r, "both", {"x", "y"});
  ASSERT_TRUE(on_x.Acquire());
  ASSERT_TRUE(on_y.Acquire());
  EXPECT_FALSE(both.Acquire());
  on_x.Release();
  EXPECT_TRUE(r.granted.empty());  // y is still held
  on_y.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"both"});
  both.Release();
  EXPECT_TRUE(r.locks.empty());
}

// Registered in one step, two multi-key waiters meet in the same order in
// every queue they share: the later one never gets a key ahead of the
// earlier one.
TEST(KeyLocksTest, OneStepRegistrationKeepsOneOrderAcrossKeys) {
  Recorder r;
  TestWaiter holder(r, "holder", {"a", "b"});
  TestWaiter early(r, "early", {"b", "a"}, /*release_at_once=*/true);
  TestWaiter late(r, "late", {"a", "b"}, /*release_at_once=*/true);
  ASSERT_TRUE(holder.Acquire());
  EXPECT_FALSE(early.Acquire());
  EXPECT_FALSE(late.Acquire());
  holder.Release();
  EXPECT_EQ(r.granted, (std::vector<std::string>{"early", "late"}));
  EXPECT_TRUE(r.locks.empty());
}

// A whole-shard waiter (FLUSHALL, DBSIZE) waits for the key waiters before
// it; key waiters after it, even on other keys, wait for it.
TEST(KeyLocksTest, TheWholeShardIsTakenInArrivalOrder) {
  Recorder r;
  TestWaiter early(r, "early", {"a"});
  TestWaiter whole(r, "whole", {});
  TestWaiter late(r, "late", {"b"}, /*release_at_once=*/true);
  ASSERT_TRUE(early.Acquire());
  EXPECT_FALSE(whole.Acquire());
  EXPECT_FALSE(late.Acquire());  // b is free, but the whole shard is wanted
  EXPECT_TRUE(r.locks.Queued("b"));
  early.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"whole"});
  EXPECT_TRUE(r.locks.HeldBy("zzz", &whole));
  whole.Release();
  EXPECT_EQ(r.granted, (std::vector<std::string>{"whole", "late"}));
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.waiting(), 0u);
}

TEST(KeyLocksTest, AFreeShardIsTakenWholeAtOnce) {
  Recorder r;
  TestWaiter whole(r, "whole", {});
  TestWaiter key(r, "key", {"k"}, /*release_at_once=*/true);
  ASSERT_TRUE(whole.Acquire());
  EXPECT_FALSE(r.locks.empty());
  EXPECT_FALSE(key.Acquire());
  whole.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"key"});
  EXPECT_TRUE(r.locks.empty());
}

// A try takes free keys as Acquire does, and takes nothing at all when one
// of its keys is held, waited for, or behind a whole-shard waiter: it
// never queues, so it is never granted later.
TEST(KeyLocksTest, ATryTakesFreeKeysOrNothing) {
  Recorder r;
  TestWaiter holder(r, "holder", {"b"});
  TestWaiter tried(r, "tried", {"a", "b"}, /*release_at_once=*/true);
  ASSERT_TRUE(holder.Acquire());
  EXPECT_FALSE(tried.TryAcquire());
  EXPECT_FALSE(r.locks.Queued("a"));  // nothing of it registered
  EXPECT_EQ(r.locks.tries_refused(), 1u);
  EXPECT_EQ(r.locks.waiting(), 0u);
  holder.Release();
  EXPECT_TRUE(r.granted.empty());
  EXPECT_TRUE(r.locks.empty());

  ASSERT_TRUE(tried.TryAcquire());
  EXPECT_TRUE(r.locks.HeldBy("a", &tried));
  EXPECT_TRUE(r.locks.HeldBy("b", &tried));
  TestWaiter queued(r, "queued", {"b"}, /*release_at_once=*/true);
  EXPECT_FALSE(queued.Acquire());
  tried.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"queued"});
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.waits(), 1u);
}

// A try does not pass a waiter for the whole shard, even when no one holds
// its own keys.
TEST(KeyLocksTest, ATryDoesNotPassAWholeShardWaiter) {
  Recorder r;
  TestWaiter early(r, "early", {"a"});
  TestWaiter whole(r, "whole", {});
  TestWaiter tried(r, "tried", {"b"});
  ASSERT_TRUE(early.Acquire());
  EXPECT_FALSE(whole.Acquire());
  EXPECT_FALSE(tried.TryAcquire());  // b is free, but the shard is wanted
  early.Release();
  whole.Release();
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.tries_refused(), 1u);
}

// A try for the whole shard takes it only when no key is held or waited
// for, and registers nothing otherwise.
TEST(KeyLocksTest, ATryForTheWholeShardTakesItOnlyWhenNothingIsLocked) {
  Recorder r;
  TestWaiter key(r, "key", {"k"});
  TestWaiter whole(r, "whole", {});
  ASSERT_TRUE(key.Acquire());
  EXPECT_FALSE(whole.TryAcquire());
  EXPECT_EQ(r.locks.tries_refused(), 1u);
  key.Release();
  EXPECT_TRUE(r.locks.empty());
  EXPECT_TRUE(r.granted.empty());
  ASSERT_TRUE(whole.TryAcquire());
  EXPECT_TRUE(r.locks.HeldBy("any", &whole));
  TestWaiter later(r, "later", {"k"}, /*release_at_once=*/true);
  EXPECT_FALSE(later.Acquire());
  whole.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"later"});
  EXPECT_TRUE(r.locks.empty());
}

// Readers of the whole shard hold it together, and let nothing else in
// while they do.
TEST(KeyLocksTest, ReadersOfTheWholeShardHoldItTogether) {
  Recorder r;
  TestWaiter first = Reader(r, "first");
  TestWaiter second = Reader(r, "second");
  TestWaiter key(r, "key", {"k"}, /*release_at_once=*/true);
  ASSERT_TRUE(first.Acquire());
  EXPECT_TRUE(r.locks.SoleShardHolder(&first));
  ASSERT_TRUE(second.Acquire());
  EXPECT_FALSE(r.locks.SoleShardHolder(&first));
  EXPECT_EQ(r.locks.waits(), 0u);
  EXPECT_TRUE(r.locks.HeldBy("any", &first));
  EXPECT_TRUE(r.locks.HeldBy("any", &second));
  EXPECT_FALSE(r.locks.HeldBy("any", &key));
  EXPECT_FALSE(key.Acquire());
  first.Release();
  EXPECT_TRUE(r.granted.empty());  // the second reader still holds it
  EXPECT_TRUE(r.locks.SoleShardHolder(&second));
  second.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"key"});
  EXPECT_TRUE(r.locks.empty());
}

// A reader that comes after a waiting writer waits behind it rather than
// join the readers holding the shard, so a stream of readers cannot starve
// a writer; the readers queued in a row behind it are let in together.
TEST(KeyLocksTest, ReadersQueueBehindAWaitingWriterAndEnterTogether) {
  Recorder r;
  TestWaiter holding = Reader(r, "holding");
  TestWaiter writer(r, "writer", {});
  TestWaiter late1 = Reader(r, "late1");
  TestWaiter late2 = Reader(r, "late2");
  TestWaiter key(r, "key", {"k"}, /*release_at_once=*/true);
  TestWaiter last = Reader(r, "last");
  TestWaiter tried = Reader(r, "tried");
  ASSERT_TRUE(holding.Acquire());
  EXPECT_FALSE(writer.Acquire());
  EXPECT_FALSE(tried.TryAcquire());  // it would pass the writer
  EXPECT_FALSE(late1.Acquire());
  EXPECT_FALSE(late2.Acquire());
  EXPECT_FALSE(key.Acquire());
  EXPECT_FALSE(last.Acquire());
  holding.Release();
  EXPECT_EQ(r.granted, std::vector<std::string>{"writer"});
  writer.Release();
  EXPECT_EQ(r.granted, (std::vector<std::string>{"writer", "late1", "late2"}));
  late1.Release();
  EXPECT_EQ(r.granted.size(), 3u);
  late2.Release();
  EXPECT_EQ(r.granted, (std::vector<std::string>{"writer", "late1", "late2",
                                                 "key", "last"}));
  last.Release();
  EXPECT_TRUE(r.locks.empty());
  EXPECT_EQ(r.locks.waiting(), 0u);
}

// A reader's try joins other readers, and is refused while a key is held
// or the shard is held by a writer.
TEST(KeyLocksTest, AReadersTryJoinsReadersOnly) {
  Recorder r;
  TestWaiter holding = Reader(r, "holding");
  TestWaiter tried = Reader(r, "tried");
  TestWaiter writer(r, "writer", {});
  TestWaiter key(r, "key", {"k"});
  ASSERT_TRUE(holding.Acquire());
  EXPECT_TRUE(tried.TryAcquire());
  EXPECT_FALSE(writer.TryAcquire());
  holding.Release();
  tried.Release();
  ASSERT_TRUE(key.Acquire());
  EXPECT_FALSE(tried.TryAcquire());
  key.Release();
  ASSERT_TRUE(writer.Acquire());
  EXPECT_FALSE(tried.TryAcquire());
  writer.Release();
  EXPECT_EQ(r.locks.tries_refused(), 3u);
  EXPECT_TRUE(r.locks.empty());
}

TEST(WatchTableTest, VersionsChangeOnTouchAndExpiryOnly) {
  WatchTable table;
  EXPECT_TRUE(table.empty());
  const WatchTable::Mark k = table.Watch("k", /*exists=*/true);
  const WatchTable::Mark missing = table.Watch("missing", /*exists=*/false);
  EXPECT_FALSE(table.Changed("k", k, /*exists=*/true));
  EXPECT_TRUE(table.Changed("k", k, /*exists=*/false));  // expired since
  EXPECT_FALSE(table.Changed("missing", missing, /*exists=*/false));
  table.Touch("other");  // nobody watches it: no effect
  EXPECT_FALSE(table.Changed("k", k, true));
  table.Touch("missing");
  EXPECT_TRUE(table.Changed("missing", missing, true));
  table.TouchAll([](std::string_view key) { return key == "k"; });
  EXPECT_TRUE(table.Changed("k", k, true));
}

TEST(WatchTableTest, AKeyIsForgottenWithItsLastWatcher) {
  WatchTable table;
  const WatchTable::Mark first = table.Watch("k", true);
  table.Watch("k", true);
  table.Unwatch("k");
  EXPECT_FALSE(table.Changed("k", first, true));
  table.Unwatch("k");
  EXPECT_TRUE(table.empty());
}

}  // namespace
}  // namespace shardd::kv
