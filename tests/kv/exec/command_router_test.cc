#include "shard/kv/exec/command_router.h"

#include <future>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/invoke_on.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/kv_service.h"
#include "shard/shard_set.h"
#include "shard/timer.h"

namespace shardd::kv {
namespace {

// A key owned by `shard` when there are `shards` shards.
std::string KeyOwnedBy(uint32_t shard, uint32_t shards) {
  for (int i = 0;; ++i) {
    std::string key = absl::StrCat("key:", i);
    if (ShardSet::OwnerOf(key, shards) == shard) return key;
  }
}

struct Observed {
  std::string reply;
  size_t pending_after_route = 0;
  uint64_t frames_during_route = 0;
  uint64_t loop_turns_during_route = 0;
};

Task<void> RouteOnce(KvService& service, std::vector<std::string> setup,
                     std::vector<std::string> command,
                     std::vector<std::string> verify,
                     std::promise<Observed>& out) {
  Observed seen;
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, /*client_id=*/1);
  std::vector<std::string_view> args(setup.begin(), setup.end());
  if (router.Route(args) == CommandRouter::Next::kDeferred) {
    co_await router.Settle();
    output += co_await router.RunDeferred(args);
  }
  co_await router.Settle();
  output.clear();

  args.assign(command.begin(), command.end());
  Reactor* reactor = Reactor::Current();
  const uint64_t frames = TaskFramesAllocated();
  const uint64_t turns = reactor->loop_turns();
  const CommandRouter::Next next = router.Route(args);
  seen.frames_during_route = TaskFramesAllocated() - frames;
  seen.loop_turns_during_route = reactor->loop_turns() - turns;
  seen.pending_after_route = queue.pending();
  co_await router.Settle();
  if (next == CommandRouter::Next::kDeferred) {
    output += co_await router.RunDeferred(args);
  }
  // Read back, to see what the command left in the owners' stores.
  std::vector<std::string_view> check(verify.begin(), verify.end());
  if (!check.empty()) {
    if (router.Route(check) == CommandRouter::Next::kDeferred) {
      co_await router.Settle();
      output += co_await router.RunDeferred(check);
    }
    co_await router.Settle();
  }
  seen.reply = output;
  out.set_value(seen);
}

Observed RouteOnShardZero(uint32_t shards, std::vector<std::string> setup,
                          std::vector<std::string> command,
                          std::vector<std::string> verify = {}) {
  KvService service(KvOptions{}, shards);
  ShardSet set({.shard_count = shards});
  std::promise<Observed> result;
  EXPECT_TRUE(set.Start([&](Reactor& r) {
                   if (r.shard_id() == 0)
                     r.Spawn(
                         RouteOnce(service, setup, command, verify, result));
                 })
                  .ok());
  Observed seen = result.get_future().get();
  set.Stop();
  return seen;
}

TEST(CommandRouterTest, LocalGetRepliesInlineWithoutCoroutineFrame) {
  const std::string key = KeyOwnedBy(0, 2);
  Observed seen = RouteOnShardZero(2, {"SET", key, "v"}, {"GET", key});
  EXPECT_EQ(seen.pending_after_route, 0u);
  EXPECT_EQ(seen.frames_during_route, 0u);
  EXPECT_EQ(seen.loop_turns_during_route, 0u);
  EXPECT_EQ(seen.reply, "$1\r\nv\r\n");
}

TEST(CommandRouterTest, RemoteGetIsAnsweredByOwnerThroughMailbox) {
  const std::string key = KeyOwnedBy(1, 2);
  Observed seen = RouteOnShardZero(2, {"SET", key, "remote"}, {"GET", key});
  EXPECT_EQ(seen.pending_after_route, 1u);
  EXPECT_EQ(seen.reply, "$6\r\nremote\r\n");
}

TEST(CommandRouterTest, MgetAcrossShardsKeepsClientOrder) {
  const std::string a = KeyOwnedBy(0, 3);
  const std::string b = KeyOwnedBy(1, 3);
  const std::string c = KeyOwnedBy(2, 3);
  Observed seen = RouteOnShardZero(3, {"MSET", c, "3", a, "1", b, "2"},
                      {"MGET", b, "missing", c, a});
  EXPECT_EQ(seen.reply,
            "*4\r\n$1\r\n2\r\n$-1\r\n$1\r\n3\r\n$1\r\n1\r\n");
}

TEST(CommandRouterTest, DelAcrossShardsSumsParts) {
  const std::string a = KeyOwnedBy(0, 2);
  const std::string b = KeyOwnedBy(1, 2);
  Observed seen =
      RouteOnShardZero(2, {"MSET", a, "1", b, "2"}, {"DEL", a, b, a, "nope"});
  EXPECT_EQ(seen.reply, ":2\r\n");
}

TEST(CommandRouterTest, UnknownCommandAndArityErrorsAreLocal) {
  Observed unknown = RouteOnShardZero(2, {"PING"}, {"NOPE", "x"});
  EXPECT_EQ(unknown.reply,
            "-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n");
  Observed arity = RouteOnShardZero(2, {"PING"}, {"GET"});
  EXPECT_EQ(arity.reply,
            "-ERR wrong number of arguments for 'get' command\r\n");
}

TEST(CommandRouterTest, RenameAcrossShardsMovesValueToNewOwner) {
  const std::string a = KeyOwnedBy(0, 2);
  const std::string b = KeyOwnedBy(1, 2);
  Observed seen = RouteOnShardZero(2, {"SET", a, "moved", "EX", "100"},
                                   {"RENAME", a, b}, {"MGET", a, b});
  EXPECT_EQ(seen.reply, "+OK\r\n*2\r\n$-1\r\n$5\r\nmoved\r\n");
}

// Where the bytes of `key`'s string value are, read on its owner.
Task<const char*> ValueBytesOf(KvService& service, std::string key) {
  const uint32_t owner =
      ShardSet::OwnerOf(key, service.shards().shard_count());
  co_return co_await InvokeOn(owner, [&service, &key]() -> const char* {
    const Entry* entry = service.shards().Local().dbs.Db(0).Find(key, 0);
    return entry == nullptr ? nullptr : entry->string().data();
  });
}

Task<void> RenameAndTrack(KvService& service, std::string from, std::string to,
                          std::promise<std::pair<const char*, const char*>>& out) {
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, /*client_id=*/1);
  const std::string value(1000, 'v');
  std::vector<std::string_view> set = {"SET", from, value};
  router.Route(set);
  co_await router.Settle();
  const char* before = co_await ValueBytesOf(service, from);
  std::vector<std::string_view> rename = {"RENAME", from, to};
  if (router.Route(rename) == CommandRouter::Next::kDeferred) {
    co_await router.Settle();
    output += co_await router.RunDeferred(rename);
  }
  co_await router.Settle();
  const char* after = co_await ValueBytesOf(service, to);
  out.set_value({before, after});
}

// A value that changes shards moves: the new owner holds the very block
// the old one did (no copy of its bytes on the way).
TEST(CommandRouterTest, RenameAcrossShardsMovesTheBytesWithoutCopying) {
  KvService service(KvOptions{}, 2);
  ShardSet set({.shard_count = 2});
  std::promise<std::pair<const char*, const char*>> result;
  ASSERT_TRUE(set.Start([&](Reactor& r) {
    if (r.shard_id() == 0) {
      r.Spawn(RenameAndTrack(service, KeyOwnedBy(0, 2), KeyOwnedBy(1, 2),
                             result));
    }
  }).ok());
  const auto [before, after] = result.get_future().get();
  set.Stop();
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before, after);
}

TEST(CommandRouterTest, MsetnxAcrossShardsIsAllOrNothing) {
  const std::string a = KeyOwnedBy(1, 2);
  const std::string b = KeyOwnedBy(0, 2);
  Observed seen = RouteOnShardZero(2, {"SET", b, "old"},
                                   {"MSETNX", a, "1", b, "2"}, {"MGET", a, b});
  EXPECT_EQ(seen.reply, ":0\r\n*2\r\n$-1\r\n$3\r\nold\r\n");
}

TEST(CommandRouterTest, CopyAcrossShardsWritesOnlyTheDestination) {
  const std::string a = KeyOwnedBy(1, 3);
  const std::string b = KeyOwnedBy(2, 3);
  Observed seen = RouteOnShardZero(3, {"SET", a, "v"}, {"COPY", a, b},
                                   {"MGET", a, b});
  EXPECT_EQ(seen.reply, ":1\r\n*2\r\n$1\r\nv\r\n$1\r\nv\r\n");
}

// One pipelined batch routed from shard 0 after `keys[i]` was set to "v<i>":
// the replies, and the messages sent to each shard meanwhile.
struct BatchObserved {
  std::string replies;
  std::vector<uint64_t> messages_sent;  // to each shard, during the batch
};

Task<void> RouteBatch(KvService& service, std::vector<std::string> keys,
                      std::vector<std::vector<std::string>> batch,
                      std::promise<BatchObserved>& out) {
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, /*client_id=*/1);
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string value = absl::StrCat("v", i);
    std::vector<std::string_view> set = {"SET", keys[i], value};
    router.Route(set);
  }
  co_await router.Settle();
  output.clear();

  Reactor& reactor = *Reactor::Current();
  std::vector<uint64_t> before;
  for (const auto& peer : reactor.stats().peers) {
    before.push_back(peer.messages_sent);
  }
  for (const std::vector<std::string>& command : batch) {
    std::vector<std::string_view> args(command.begin(), command.end());
    EXPECT_EQ(router.Route(args), CommandRouter::Next::kContinue);
  }
  co_await router.Settle();
  BatchObserved seen{.replies = output};
  for (size_t s = 0; s < before.size(); ++s) {
    seen.messages_sent.push_back(reactor.stats().peers[s].messages_sent -
                                 before[s]);
  }
  out.set_value(seen);
}

BatchObserved RouteBatchOnShardZero(
    uint32_t shards, const std::vector<std::string>& keys,
    const std::vector<std::vector<std::string>>& batch) {
  KvService service(KvOptions{}, shards);
  ShardSet set({.shard_count = shards});
  std::promise<BatchObserved> result;
  EXPECT_TRUE(set.Start([&](Reactor& r) {
    if (r.shard_id() == 0) r.Spawn(RouteBatch(service, keys, batch, result));
  }).ok());
  BatchObserved seen = result.get_future().get();
  set.Stop();
  return seen;
}

// GETs for keys of shards 1 and 2 with local commands between them: the
// commands bound for one shard travel as one message, and every reply
// lands in request order.
TEST(CommandRouterTest, BatchTravelsAsOneMessagePerShardRepliesInOrder) {
  const std::vector<std::string> keys = {KeyOwnedBy(0, 3), KeyOwnedBy(1, 3),
                                         KeyOwnedBy(2, 3)};
  std::vector<std::vector<std::string>> batch;
  std::string expected;
  for (int round = 0; round < 5; ++round) {
    for (const std::string& key : keys) batch.push_back({"GET", key});
    batch.push_back({"PING"});
    expected += "$2\r\nv0\r\n$2\r\nv1\r\n$2\r\nv2\r\n+PONG\r\n";
  }
  const BatchObserved seen = RouteBatchOnShardZero(3, keys, batch);
  EXPECT_EQ(seen.replies, expected);
  ASSERT_EQ(seen.messages_sent.size(), 3u);
  EXPECT_EQ(seen.messages_sent[1], 1u);
  EXPECT_EQ(seen.messages_sent[2], 1u);
}

// A whole-keyspace command over several shards runs as one atomic step,
// each shard locked whole while it counts.
TEST(CommandRouterTest, DbsizeOverShardsIsOneAtomicStep) {
  const std::string a = KeyOwnedBy(0, 3);
  const std::string b = KeyOwnedBy(1, 3);
  const std::string c = KeyOwnedBy(2, 3);
  Observed seen = RouteOnShardZero(3, {"MSET", a, "1", b, "2", c, "3"},
                                   {"DBSIZE"}, {"KEYS", "*"});
  EXPECT_EQ(seen.pending_after_route, 0u);  // deferred: nothing sent yet
  EXPECT_EQ(seen.reply.substr(0, 8), ":3\r\n*3\r\n");
}

// Past CommandRouter::kMaxBatched commands for one shard, a message is sent
// and the next one started; replies still come in order.
TEST(CommandRouterTest, LongBatchesTravelInMessagesOfKMaxBatched) {
  static_assert(CommandRouter::kMaxBatched == 16);
  const std::vector<std::string> keys = {KeyOwnedBy(0, 2), KeyOwnedBy(1, 2)};
  std::vector<std::vector<std::string>> batch;
  std::string expected;
  for (int round = 0; round < 40; ++round) {
    batch.push_back({"GET", keys[1]});
    batch.push_back({"GET", keys[0]});
    expected += "$2\r\nv1\r\n$2\r\nv0\r\n";
  }
  const BatchObserved seen = RouteBatchOnShardZero(2, keys, batch);
  EXPECT_EQ(seen.replies, expected);
  // 40 commands for shard 1: messages of 16, 16 and 8.
  EXPECT_EQ(seen.messages_sent[1], 3u);
}

// Holds a key lock on a shard, as a transaction would.
class LockHolder final : public LockWaiter {
 public:
  void Granted() override {}
};

// On the shard it runs on: lets `key` go once a command queues for it (or
// after 5 s, so that a test that never queues fails rather than hangs).
Task<void> ReleaseOnceOneWaits(KvShards& shards, LockHolder* holder,
                               std::string key) {
  KeyLocks& locks = shards.Local().locks;
  for (int i = 0; i < 5000 && locks.waiting() == 0; ++i) {
    co_await Delay(absl::Milliseconds(1));
  }
  const std::string_view keys[] = {key};
  locks.Release(holder, keys);
}

// Both shards on one thread (shard 1 is shard 0's thread mate). Commands
// for shard 1 run at once, but not while a transaction holds their key
// there (they queue for it) nor while an earlier command of the connection
// is out to shard 1 (they would overtake it).
Task<void> RouteAroundAHeldKey(KvService& service,
                               std::promise<std::string>& out) {
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, /*client_id=*/1);
  KvShards& shards = service.shards();
  Reactor& mate = *Reactor::Current()->ThreadMate(1);
  const uint64_t& in_thread = shards.On(1).stats.hops_in_thread;
  const std::string key = KeyOwnedBy(1, 2);
  const std::string here = KeyOwnedBy(0, 2);
  std::string other;  // another key of shard 1
  for (int i = 0; other.empty(); ++i) {
    const std::string candidate = absl::StrCat("other:", i);
    if (ShardSet::OwnerOf(candidate, 2) == 1) other = candidate;
  }
  auto route = [&router](std::vector<std::string_view> args) {
    return router.Route(args);
  };
  auto settle = [&]() -> Task<void> {
    co_await router.Settle();
    while (queue.HasRefused()) {
      router.ResendRefused();
      co_await router.Settle();
    }
  };
  auto hold = [&](LockHolder* holder) {
    Reactor::Visit visit(mate);
    const std::string_view keys[] = {key};
    EXPECT_TRUE(shards.Local().locks.Acquire(holder, keys));
    mate.Spawn(ReleaseOnceOneWaits(shards, holder, key));
  };

  EXPECT_EQ(route({"SET", key, "old"}), CommandRouter::Next::kContinue);
  EXPECT_EQ(in_thread, 1u);
  LockHolder first;
  hold(&first);
  // Held: it hops, to queue for the key. A SET of another key of shard 1
  // behind it hops too, though free: at once, it would run first, and the
  // EXISTS would count it.
  EXPECT_EQ(route({"EXISTS", key, other}), CommandRouter::Next::kContinue);
  EXPECT_EQ(route({"SET", other, "x"}), CommandRouter::Next::kContinue);
  EXPECT_EQ(route({"GET", key}), CommandRouter::Next::kContinue);
  EXPECT_EQ(route({"SET", key, "new"}), CommandRouter::Next::kContinue);
  EXPECT_EQ(in_thread, 1u);
  co_await settle();
  // Nothing out, nothing held: at once again.
  EXPECT_EQ(route({"GET", key}), CommandRouter::Next::kContinue);
  EXPECT_EQ(in_thread, 2u);
  co_await settle();
  // An MGET over both shards with the mate's key held: an atomic step
  // that waits for it.
  LockHolder second;
  hold(&second);
  const std::vector<std::string_view> mget = {"MGET", here, key};
  EXPECT_EQ(route(mget), CommandRouter::Next::kDeferred);
  co_await router.Settle();
  output += co_await router.RunDeferred(mget);
  EXPECT_EQ(in_thread, 2u);
  // Free: at once, part by part.
  EXPECT_EQ(route(mget), CommandRouter::Next::kContinue);
  EXPECT_EQ(in_thread, 3u);
  co_await settle();
  // The EXISTS and the MGET met the key held (each waited for it).
  EXPECT_EQ(shards.On(1).locks.waits(), 2u);
  out.set_value(output);
}

TEST(CommandRouterTest, ThreadMatesRunAtOnceButNotPastAHeldKeyOrAHop) {
  KvService service(KvOptions{}, 2);
  ShardSet set({.shard_count = 2, .cpus = {ShardSet::AllowedCpus().front()}});
  std::promise<std::string> result;
  ASSERT_TRUE(set.Start([&](Reactor& r) {
                   if (r.shard_id() == 0) {
                     r.Spawn(RouteAroundAHeldKey(service, result));
                   }
                 })
                  .ok());
  const std::string output = result.get_future().get();
  set.Stop();
  EXPECT_EQ(output,
            "+OK\r\n:1\r\n+OK\r\n$3\r\nold\r\n+OK\r\n$3\r\nnew\r\n"
            "*2\r\n$-1\r\n$3\r\nnew\r\n*2\r\n$-1\r\n$3\r\nnew\r\n");
}

}  // namespace
}  // namespace shardd::kv
