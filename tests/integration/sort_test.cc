// SORT over 4 shards, where its BY and GET patterns name keys of other
// shards than its source's: replies equal redis-server 7.0's (also with
// STORE into another shard, inside MULTI, and in a seeded random stream
// of SORTs and writes), a SORT is one atomic step,
// even while its source and the keys its patterns name change, and what a
// STORE made is there after a restart with another shard count.
#include <atomic>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/reference_server_test.h"
#include "tests/integration/restarts.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/reply_tree.h"
#include "tests/integration/support/resp_client.h"

namespace shardd::integration {
namespace {

class SortTest : public ReferenceServerTest {
 protected:
  // The same data on both servers: a list, a set and a sorted set of ids,
  // a weight string and a hash per id, the keys spread over every shard.
  static void Fill(RespClient& c) {
    for (int id = 0; id < 12; ++id) {
      const std::string name = absl::StrCat(id);
      ASSERT_TRUE(c.Command({"RPUSH", "src", name}).ok());
      ASSERT_TRUE(c.Command({"SADD", "set", name}).ok());
      ASSERT_TRUE(
          c.Command({"ZADD", "zset", absl::StrCat(12 - id), name}).ok());
      // Some weights tie, one is missing, one is not a number.
      if (id != 5) {
        ASSERT_TRUE(
            c.Command({"SET", absl::StrCat("w_", id), absl::StrCat(id % 4)})
                .ok());
      }
      ASSERT_TRUE(c.Command({"HSET", absl::StrCat("h_", id), "name",
                             absl::StrCat("n", (id * 7) % 12)})
                      .ok());
    }
    ASSERT_TRUE(c.Command({"SET", "bad_3", "three"}).ok());
  }
};

TEST_F(SortTest, RepliesMatchRedisWithPatternsOnOtherShards) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  Fill(ours);
  Fill(*theirs);
  const std::vector<std::vector<std::string>> commands = {
      {"SORT", "src"},
      {"SORT", "src", "DESC", "LIMIT", "2", "5"},
      {"SORT", "src", "BY", "w_*"},
      {"SORT", "src", "BY", "w_*", "DESC", "GET", "#", "GET", "w_*"},
      {"SORT", "src", "BY", "h_*->name", "ALPHA", "GET", "#", "GET",
       "h_*->name"},
      {"SORT", "src", "BY", "nosort", "GET", "w_*", "GET", "nothing"},
      {"SORT", "src", "BY", "bad_*"},
      {"SORT", "set", "BY", "w_*", "GET", "h_*->name", "GET", "#"},
      {"SORT", "zset", "BY", "nosort", "LIMIT", "1", "4", "GET", "w_*"},
      {"SORT_RO", "src", "BY", "w_*", "LIMIT", "0", "3", "GET", "h_*->name"},
      {"SORT", "src", "BY", "w_*", "GET", "#", "STORE", "dest"},
      {"LRANGE", "dest", "0", "-1"},
      {"SORT", "set", "BY", "nosort", "STORE", "dest2"},
      {"LRANGE", "dest2", "0", "-1"},
      {"SORT", "src", "BY", "missing_*", "GET", "w_*", "STORE", "dest"},
      {"LRANGE", "dest", "0", "-1"},
      {"SORT", "src", "BY", "w_*", "GET", "nothing_*", "STORE", "dest"},
      {"EXISTS", "dest"},
  };
  for (const std::vector<std::string>& command : commands) {
    absl::StatusOr<std::string> a = ours.Command(command);
    absl::StatusOr<std::string> b = theirs->Command(command);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << absl::StrJoin(command, " ");
  }
  // Queued in MULTI, the same.
  for (RespClient* c : {&ours, &*theirs}) {
    ASSERT_TRUE(c->Command({"MULTI"}).ok());
    ASSERT_TRUE(
        c->Command({"SORT", "src", "BY", "w_*", "GET", "h_*->name"}).ok());
    ASSERT_TRUE(
        c->Command({"SORT", "src", "BY", "w_*", "STORE", "dest3"}).ok());
    ASSERT_TRUE(c->Command({"LRANGE", "dest3", "0", "-1"}).ok());
  }
  absl::StatusOr<std::string> a = ours.Command({"EXEC"});
  absl::StatusOr<std::string> b = theirs->Command({"EXEC"});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

// A seeded random stream of list writes, weight and hash writes and SORTs
// with every option (lists only: a set's or a sorted set's starting order
// is Redis's hash table's, seeded at random), replies byte-for-byte equal.
TEST_F(SortTest, RandomStreamMatchesRedis) {
  absl::StatusOr<RespClient> theirs = ConnectReference();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  RespClient ours = MustConnect();
  std::mt19937_64 random(1129);
  const auto pick = [&](const std::vector<std::string>& choices) {
    return choices[random() % choices.size()];
  };
  const std::vector<std::string> elements = {
      "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-3", "2.5", "x"};
  const std::vector<std::string> lists = {"sl:0", "sl:1", "sl:2", "sl:3"};
  const std::vector<std::string> values = {"1",   "2", "2", "10", "-1",
                                           "0.5", "b", "a", ""};
  int sorted = 0;  // SORTs that sorted, rather than replied an error
  for (int i = 0; i < 1500; ++i) {
    std::vector<std::string> command;
    const int kind = static_cast<int>(random() % 10);
    if (kind < 2) {
      command = {pick({"RPUSH", "LPUSH"}), pick(lists), pick(elements),
                 pick(elements)};
    } else if (kind < 3) {
      command = {pick({"LPOP", "RPOP"}), pick(lists)};
    } else if (kind < 4) {
      command = {"SET", "sw_" + pick(elements), pick(values)};
    } else if (kind < 5) {
      command = {"HSET", "sh_" + pick(elements), "f", pick(values)};
    } else {
      const bool store = kind == 9;
      command = {store || random() % 2 ? "SORT" : "SORT_RO", pick(lists)};
      if (random() % 3 != 0) {
        command.insert(command.end(),
                       {"BY", pick({"sw_*", "sh_*->f", "nosort", "none_*"})});
      }
      if (random() % 3 == 0) {
        command.insert(command.end(), {"LIMIT", pick({"0", "1", "3", "-1"}),
                                       pick({"1", "2", "5", "-1", "100"})});
      }
      for (int get = static_cast<int>(random() % 3); get > 0; --get) {
        command.insert(command.end(),
                       {"GET", pick({"#", "sw_*", "sh_*->f", "none_*"})});
      }
      if (random() % 2 == 0) command.push_back(pick({"ASC", "DESC"}));
      if (random() % 2 == 0) command.push_back("ALPHA");
      if (store)
        command.insert(command.end(), {"STORE", pick({"sd:0", "sd:1"})});
    }
    absl::StatusOr<std::string> a = ours.Command(command);
    absl::StatusOr<std::string> b = theirs->Command(command);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(*a, *b) << "#" << i << ": " << absl::StrJoin(command, " ");
    if (command[0].starts_with("SORT") && !a->starts_with("-")) ++sorted;
    if (command.back() == "sd:0" || command.back() == "sd:1") {
      const std::vector<std::string> range = {"LRANGE", command.back(), "0",
                                              "-1"};
      ASSERT_EQ(*ours.Command(range), *theirs->Command(range))
          << "#" << i << ": " << absl::StrJoin(command, " ");
    }
  }
  std::cout << "SORTs that sorted: " << sorted << std::endl;
  // Words in the lists and weights make some fail; most must not.
  EXPECT_GT(sorted, 300);
}

// An EXEC whose keys are all on the connection's shard runs there at once;
// a SORT whose patterns read keys of other shards must not. One source per
// shard: whichever shard this connection is on, one of them is its.
TEST_F(SortTest, InsideMultiReadsPatternKeysOfEveryShard) {
  RespClient c = MustConnect();
  std::vector<std::string> weights;
  for (uint32_t shard = 0; shard < 4; ++shard) {
    weights.push_back(KeyOn(shard, 4, "weight"));
    ASSERT_TRUE(c.Command({"SET", weights.back(), absl::StrCat(shard)}).ok());
  }
  for (uint32_t shard = 0; shard < 4; ++shard) {
    const std::string source = KeyOn(shard, 4, "source");
    for (const std::string& weight : weights) {
      // "weight:<n>" is read back through the pattern "weight:*".
      ASSERT_TRUE(
          c.Command({"RPUSH", source, weight.substr(weight.find(':') + 1)})
              .ok());
    }
    ASSERT_TRUE(c.Command({"MULTI"}).ok());
    ASSERT_TRUE(c.Command({"SORT", source, "GET", "weight:*"}).ok());
    absl::StatusOr<std::string> reply = c.Command({"EXEC"});
    ASSERT_TRUE(reply.ok());
    std::optional<Reply> tree = ParseReply(*reply);
    ASSERT_TRUE(tree.has_value() && tree->elements.size() == 1) << *reply;
    const std::vector<Reply>& values = tree->elements[0].elements;
    ASSERT_EQ(values.size(), 4u) << *reply;
    for (const Reply& value : values) {
      EXPECT_FALSE(value.null) << "source on shard " << shard << ": " << *reply;
    }
  }
}

// A SORT without STORE is a read: it touches no WATCHed key (and so is not
// logged), whichever shards its keys are on.
TEST_F(SortTest, WithoutStoreLeavesWatchesAlone) {
  RespClient watcher = MustConnect();
  RespClient sorter = MustConnect();
  Fill(sorter);
  for (const std::vector<std::string>& sort :
       std::vector<std::vector<std::string>>{
           {"SORT", "src", "BY", "w_*", "GET", "h_*->name"},
           {"SORT", "src"},
           {"GEORADIUS", "nowhere", "15", "37", "10", "km"}}) {
    ASSERT_TRUE(watcher.Command({"WATCH", "src", "w_1", "h_2"}).ok());
    ASSERT_TRUE(sorter.Command(sort).ok());
    ASSERT_TRUE(watcher.Command({"MULTI"}).ok());
    ASSERT_TRUE(watcher.Command({"PING"}).ok());
    EXPECT_EQ(*watcher.Command({"EXEC"}), "*1\r\n+PONG\r\n")
        << absl::StrJoin(sort, " ");
  }
  // With STORE it writes, and its destination's watch sees it.
  ASSERT_TRUE(watcher.Command({"WATCH", "dest"}).ok());
  ASSERT_TRUE(
      sorter.Command({"SORT", "src", "BY", "w_*", "STORE", "dest"}).ok());
  ASSERT_TRUE(watcher.Command({"MULTI"}).ok());
  ASSERT_TRUE(watcher.Command({"PING"}).ok());
  EXPECT_EQ(*watcher.Command({"EXEC"}), "*-1\r\n");
}

// The weights w_0..w_10 change together (one MSET, atomic over shards),
// while another client pushes and pops id 10 on the source, so that the
// keys a SORT reads change between its look at the source and its locks.
// Every SORT must see one generation of weights, for the ids its source
// held at one instant: 10 or 11 equal values.
TEST_F(SortTest, SeesOneStateWhileSourceAndPatternKeysChange) {
  RespClient setup = MustConnect();
  for (int id = 0; id < 10; ++id) {
    ASSERT_TRUE(setup.Command({"RPUSH", "ids", absl::StrCat(id)}).ok());
  }
  std::atomic<bool> stop{false};
  std::thread weights([&] {
    RespClient c = MustConnect();
    for (int generation = 0; !stop.load() && generation < 100000;
         ++generation) {
      std::vector<std::string> mset = {"MSET"};
      for (int id = 0; id <= 10; ++id) {
        mset.push_back(absl::StrCat("w_", id));
        mset.push_back(absl::StrCat(generation));
      }
      if (!c.Command(mset).ok()) return;
    }
  });
  std::thread source([&] {
    RespClient c = MustConnect();
    for (int round = 0; !stop.load() && round < 100000; ++round) {
      const bool push = round % 2 == 0;
      if (!c.Command(push ? std::vector<std::string>{"RPUSH", "ids", "10"}
                          : std::vector<std::string>{"RPOP", "ids"})
               .ok()) {
        return;
      }
    }
  });
  RespClient reader = MustConnect();
  int mixed = 0;
  for (int i = 0; i < 400; ++i) {
    absl::StatusOr<std::string> reply =
        reader.Command({"SORT", "ids", "BY", "nosort", "GET", "w_*"});
    ASSERT_TRUE(reply.ok()) << reply.status();
    std::optional<Reply> tree = ParseReply(*reply);
    ASSERT_TRUE(tree.has_value()) << *reply;
    ASSERT_TRUE(tree->elements.size() == 10 || tree->elements.size() == 11)
        << *reply;
    for (const Reply& element : tree->elements) {
      if (element.text != tree->elements[0].text) ++mixed;
    }
  }
  stop.store(true);
  weights.join();
  source.join();
  EXPECT_EQ(mixed, 0);
}

// What STORE made is in the log (the list itself, persist/write_records.cc)
// and comes back under another shard count, unchanged by writes after it.
TEST_F(SortTest, StoredResultSurvivesRestartWithAnotherShardCount) {
  Restarts runs;
  std::string stored;
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(1);
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<RespClient> c = ConnectTo(**server);
    ASSERT_TRUE(c.ok()) << c.status();
    Fill(*c);
    ASSERT_TRUE(c->Command({"SORT", "src", "BY", "w_*", "GET", "h_*->name",
                            "GET", "#", "STORE", "sorted"})
                    .ok());
    // Sorting again by other weights: the record must not be replayed
    // against the later state.
    ASSERT_TRUE(
        c->Command({"SORT", "src", "BY", "w_*", "DESC", "STORE", "sorted2"})
            .ok());
    ASSERT_TRUE(c->Command({"SET", "w_0", "100"}).ok());
    absl::StatusOr<std::string> range =
        c->Command({"LRANGE", "sorted", "0", "-1"});
    ASSERT_TRUE(range.ok());
    stored = *range;
    ASSERT_TRUE((*server)->Stop().ok());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = runs.Start(3);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c = ConnectTo(**server);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c->Command({"LRANGE", "sorted", "0", "-1"}), stored);
  EXPECT_EQ(*c->Command({"LLEN", "sorted2"}), ":12\r\n");
  ASSERT_TRUE((*server)->Stop().ok());
}

}  // namespace
}  // namespace shardd::integration
