// Shards that share a thread (more shards than CPUs) run each other's
// commands at once, with no hop (kv/exec/command_router.h): against the real
// binary, a pipeline over every shard's keys gets the same replies, in order,
// as with a hop each; no mailbox message is sent for it; /stats counts each
// such command; split commands over several shards of the thread (MGET,
// MSET, DEL) run in place too, and those that reach a shard of another thread
// still go there as an atomic step.
#include <sched.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr uint32_t kShards = 4;

std::vector<int> AllowedCpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

std::string Key(uint32_t shard, const std::string& stem) {
  return KeyOn(shard, kShards, stem);
}

std::string Bulk(const std::string& value) {
  return absl::StrCat("$", value.size(), "\r\n", value, "\r\n");
}

class InThreadHopsTest : public ShardServerTest {
 protected:
  // The test's connection is the server's only one: its shard is the one
  // INFO shows with connections=1.
  uint32_t HomeShard(RespClient& client) {
    absl::StatusOr<std::string> info = client.Command({"INFO", "shards"});
    EXPECT_TRUE(info.ok()) << info.status();
    for (uint32_t shard = 0; shard < kShards; ++shard) {
      if (info->find(absl::StrCat("shard_", shard, ":connections=1,")) !=
          std::string::npos) {
        return shard;
      }
    }
    ADD_FAILURE() << "no shard with the connection: " << *info;
    return 0;
  }

  // Shards run on io_uring (epoll gives every shard a thread of its own).
  bool SharedThreads(RespClient& client) {
    absl::StatusOr<std::string> info = client.Command({"INFO", "server"});
    EXPECT_TRUE(info.ok()) << info.status();
    return info->find("multiplexing_api:io_uring") != std::string::npos;
  }

  // Two counters among /stats's totals, read at one moment (each reading
  // of /stats sends messages itself).
  struct Counters {
    int64_t messages_sent;
    int64_t hops_in_thread;
  };
  Counters Totals() {
    absl::StatusOr<std::string> json =
        HttpGetBody(server().admin_port(), "/stats");
    EXPECT_TRUE(json.ok()) << json.status();
    if (!json.ok()) return {-1, -1};
    const size_t totals = json->find("\"totals\":");
    auto field = [&](const std::string& name) -> int64_t {
      const std::string quoted = absl::StrCat("\"", name, "\":");
      const size_t at = json->find(quoted, totals);
      EXPECT_NE(at, std::string::npos) << name << " in " << *json;
      if (at == std::string::npos) return -1;
      return std::strtoll(json->c_str() + at + quoted.size(), nullptr, 10);
    };
    return {field("messages_sent"), field("hops_in_thread")};
  }

  // A pipeline over keys of every shard, and the replies it must get:
  // single-key commands, then an MSET, MGET, DEL and EXISTS over all four
  // shards.
  struct Workload {
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> replies;
    // Commands and parts each shard runs.
    std::vector<int64_t> runs_on = std::vector<int64_t>(kShards, 0);
  };
  static Workload MakeWorkload() {
    Workload w;
    auto add = [&w](std::vector<std::string> command, std::string reply) {
      w.commands.push_back(std::move(command));
      w.replies.push_back(std::move(reply));
    };
    for (int round = 0; round < 3; ++round) {
      for (uint32_t s = 0; s < kShards; ++s) {
        const std::string value = absl::StrCat("v", s, "-", round);
        add({"SET", Key(s, "str"), value}, "+OK\r\n");
        add({"GET", Key(s, "str")}, Bulk(value));
        add({"INCR", Key(s, "n")}, absl::StrCat(":", round + 1, "\r\n"));
        add({"RPUSH", Key(s, "list"), value},
            absl::StrCat(":", round + 1, "\r\n"));
        w.runs_on[s] += 4;
      }
    }
    std::vector<std::string> mset = {"MSET"};
    std::vector<std::string> mget = {"MGET"};
    std::vector<std::string> del = {"DEL"};
    std::vector<std::string> exists = {"EXISTS"};
    std::string mget_reply = absl::StrCat("*", kShards, "\r\n");
    for (uint32_t s = 0; s < kShards; ++s) {
      mset.insert(mset.end(), {Key(s, "m"), absl::StrCat("m", s)});
      mget.push_back(Key(s, "m"));
      del.push_back(Key(s, "str"));
      exists.push_back(Key(s, "str"));
      mget_reply += Bulk(absl::StrCat("m", s));
      w.runs_on[s] += 4;
    }
    add(mset, "+OK\r\n");
    add(mget, mget_reply);
    add(del, absl::StrCat(":", kShards, "\r\n"));
    add(exists, ":0\r\n");
    for (uint32_t s = 0; s < kShards; ++s) {
      add({"LRANGE", Key(s, "list"), "0", "-1"},
          absl::StrCat("*3\r\n", Bulk(absl::StrCat("v", s, "-0")),
                       Bulk(absl::StrCat("v", s, "-1")),
                       Bulk(absl::StrCat("v", s, "-2"))));
      w.runs_on[s] += 1;
    }
    return w;
  }
};

// All four shards on one CPU: one thread runs them, so every command on
// another shard's key runs at once where the connection is.
class OneThreadTest : public InThreadHopsTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", absl::StrCat("--shards=", kShards),
            absl::StrCat("--cpus=", AllowedCpus().front())};
  }
};

TEST_F(OneThreadTest, CommandsOnOtherShardsRunAtOnceAndInOrder) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const uint32_t home = HomeShard(*client);
  const bool shared = SharedThreads(*client);
  const Workload w = MakeWorkload();

  const Counters c0 = Totals();
  const Counters c1 = Totals();
  // What gathering /stats sends itself.
  const int64_t snapshot_cost = c1.messages_sent - c0.messages_sent;
  absl::StatusOr<std::vector<std::string>> replies =
      client->Pipeline(w.commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  EXPECT_EQ(*replies, w.replies);
  const Counters c2 = Totals();
  int64_t elsewhere = 0;
  for (uint32_t s = 0; s < kShards; ++s) {
    if (s != home) elsewhere += w.runs_on[s];
  }
  if (shared) {
    EXPECT_EQ(c2.messages_sent - c1.messages_sent, snapshot_cost)
        << "no command may use a mailbox";
    EXPECT_EQ(c2.hops_in_thread - c1.hops_in_thread, elsewhere);
  } else {
    EXPECT_GT(c2.messages_sent - c1.messages_sent, snapshot_cost);
    EXPECT_EQ(c2.hops_in_thread, c1.hops_in_thread);
  }
}

// Four shards on two CPUs: shards s and s + 2 share a thread. A command on
// the mate's key runs at once; one on a key of the other thread hops; a
// split command that reaches the other thread is an atomic step, deferred
// as before. Replies stay in order across the three ways.
class TwoThreadsTest : public InThreadHopsTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    const std::vector<int> cpus = AllowedCpus();
    return {"--port=0", "--admin_port=0", absl::StrCat("--shards=", kShards),
            absl::StrCat("--cpus=", cpus.front(), ",",
                         cpus.size() > 1 ? cpus[1] : cpus.front())};
  }
};

TEST_F(TwoThreadsTest, MatesRunAtOnceOthersHopInOrder) {
  if (AllowedCpus().size() < 2) GTEST_SKIP() << "needs two CPUs";
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const uint32_t home = HomeShard(*client);
  const bool shared = SharedThreads(*client);
  const uint32_t mate = (home + 2) % kShards;
  Workload w = MakeWorkload();
  // Over the home shard and its mate only: in place as well.
  w.commands.push_back(
      {"MSET", Key(home, "pair"), "h", Key(mate, "pair"), "m"});
  w.replies.push_back("+OK\r\n");
  w.commands.push_back({"MGET", Key(mate, "pair"), Key(home, "pair")});
  w.replies.push_back(absl::StrCat("*2\r\n", Bulk("m"), Bulk("h")));
  w.runs_on[mate] += 2;

  const int64_t in_thread = Totals().hops_in_thread;
  absl::StatusOr<std::vector<std::string>> replies =
      client->Pipeline(w.commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  EXPECT_EQ(*replies, w.replies);
  // The mate's single-key commands, and its parts of the split commands
  // that stay on the thread (the last two; the four-shard ones reach the
  // other thread and run as atomic steps).
  const int64_t expected = shared ? w.runs_on[mate] - 4 : 0;
  EXPECT_EQ(Totals().hops_in_thread - in_thread, expected);
}

}  // namespace
}  // namespace shardd::integration
