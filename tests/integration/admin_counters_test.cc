// The per-shard counters add up to a known workload: the counts kept by the
// reactor, the RESP session and the command router (shard/stats/shard_stats.h).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "shard/key_slot.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class AdminCountersTest : public ShardServerTest {};

// Runs python3 `script` with the /stats document as argv[1]; empty if the
// assertions in it held, else python's complaint.
std::string CheckStats(const std::string& json, const std::string& script) {
  const ProgramResult r = RunProgram({"python3", "-c", script, json});
  return r.exit_code == 0 ? "" : r.stderr_text;
}

// A number among the totals of a /stats document (0 if absent).
int64_t Total(const std::string& json, const std::string& name) {
  const size_t totals = json.find("\"totals\":");
  if (totals == std::string::npos) return 0;
  const std::string field_name = absl::StrCat("\"", name, "\":");
  const size_t field = json.find(field_name, totals);
  if (field == std::string::npos) return 0;
  return std::strtoll(json.c_str() + field + field_name.size(), nullptr, 10);
}

TEST_F(AdminCountersTest, CountersAddUpToTheWorkload) {
  ASSERT_GT(server().admin_port(), 0);
  {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(client->Command({"SET", absl::StrCat("k", i), "v"}).ok());
    }
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(client->Command({"GET", absl::StrCat("k", i)}).ok());
    }
    // Keys on several shards: parts travel through the mailboxes.
    ASSERT_TRUE(client->Command({"MGET", "k1", "k2", "k3", "k4", "k5"}).ok());
    ASSERT_TRUE(client->Command({"NOSUCHCOMMAND"}).ok());
  }
  // The client's close reaches its shard as an end of stream, which may be
  // handled after this /stats request, and a transaction's releases travel
  // after its reply (MGET over shards): read again (a bounded number of
  // times) until the totals count the close and every message arrived.
  absl::StatusOr<std::string> json;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    json = HttpGetBody(server().admin_port(), "/stats");
    ASSERT_TRUE(json.ok()) << json.status();
    if (Total(*json, "connections_closed") > 0 &&
        Total(*json, "messages_sent") == Total(*json, "messages_received")) {
      break;
    }
  }
  const std::string failures = CheckStats(*json, R"(
import json, os, sys
d = json.loads(sys.argv[1])
t = d["totals"]
epoll = os.environ.get("SHARDD_TEST_IO_BACKEND") == "epoll"
calls = lambda name: sum(s["commands"].get(name, {}).get("calls", 0) for s in d["shards"])
assert calls("set") == 200, ("set", calls("set"))
assert calls("get") == 50, ("get", calls("get"))
assert t["commands_total"] >= 251, t["commands_total"]
assert t["errors"] >= 1, "unknown command not counted as an error"
assert t["connections_accepted"] >= 1
assert t["connections_closed"] >= 1, "closed connection not counted"
assert t["bytes_in"] > 200 * 10 and t["bytes_out"] > 200 * 5, "bytes"
assert t["messages_sent"] > 0 and t["messages_sent"] == t["messages_received"], "mailbox traffic"
assert t["loop_turns"] > 0 and t["busy_ns"] > 0 and t["idle_ns"] > 0, "utilisation"
assert epoll or (t["uring_submissions"] > 0 and t["uring_completions"] > 0), "io_uring"
assert t["command_ns"]["count"] >= 251, "command latency"
assert t["request_ns"]["count"] >= 251, "request latency"
assert t["memory_allocated"] > 0, "jemalloc arena"
for s in d["shards"]:
    assert s["keys"] > 0, "a shard without keys"
    assert len(s["peers"]) == 3
)");
  EXPECT_EQ(failures, "") << *json;
}

// The transaction counters of /stats (and so of /metrics and INFO, which
// read the same snapshot) follow MULTI, EXEC and DISCARD, summed over the
// shards; nothing waits for a lock once the clients are done.
TEST_F(AdminCountersTest, TransactionCountersFollowMultiExec) {
  ASSERT_GT(server().admin_port(), 0);
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->Command({"MULTI"}).ok());
    ASSERT_TRUE(client->Command({"MSET", "a", "1", "b", "2"}).ok());
    ASSERT_EQ(*client->Command({"EXEC"}), "*1\r\n+OK\r\n");
  }
  ASSERT_TRUE(client->Command({"MULTI"}).ok());
  ASSERT_TRUE(client->Command({"DISCARD"}).ok());
  absl::StatusOr<std::string> json =
      HttpGetBody(server().admin_port(), "/stats");
  ASSERT_TRUE(json.ok()) << json.status();
  const std::string failures = CheckStats(*json, R"(
import json, sys
t = json.loads(sys.argv[1])["totals"]
assert t["transactions_started"] == 4, t["transactions_started"]
assert t["transactions_committed"] == 3, t["transactions_committed"]
assert t["transactions_aborted"] == 1, t["transactions_aborted"]
assert t["lock_waiting"] == 0 and t["blocked_clients"] == 0, t
)");
  EXPECT_EQ(failures, "") << *json;
  absl::StatusOr<std::string> metrics =
      HttpGetBody(server().admin_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_NE(metrics->find("shardd_transactions_committed_total{shard=\""),
            std::string::npos);
  EXPECT_NE(metrics->find("shardd_lock_waits_total{shard=\""),
            std::string::npos);
}

// Cross-shard message counters move exactly when commands cross shards: a
// workload on keys owned by the connection's own shard adds nothing beyond
// what reading /stats itself costs, one on other shards' keys adds more.
TEST_F(AdminCountersTest, MailboxCountersMoveOnlyWithCrossShardTraffic) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  // This connection is the only one open, so its shard is the one that
  // reports connections=1.
  absl::StatusOr<std::string> info = client->Command({"INFO", "shards"});
  ASSERT_TRUE(info.ok()) << info.status();
  const size_t at = info->find(":connections=1,");
  ASSERT_NE(at, std::string::npos) << *info;
  const uint32_t home = static_cast<uint32_t>(info->at(at - 1) - '0');
  constexpr uint32_t kShards = 4;

  auto total = [&](const std::string& name) -> int64_t {
    absl::StatusOr<std::string> json =
        HttpGetBody(server().admin_port(), "/stats");
    EXPECT_TRUE(json.ok()) << json.status();
    return json.ok() ? Total(*json, name) : -1;
  };
  auto messages_sent = [&] { return total("messages_sent"); };
  auto keys_owned_by = [&](bool home_shard) {
    std::vector<std::string> keys;
    for (int i = 0; keys.size() < 20; ++i) {
      std::string key = absl::StrCat("key:", i);
      if ((KeySlot(key) % kShards == home) == home_shard) keys.push_back(key);
    }
    return keys;
  };

  const int64_t s0 = messages_sent();
  const int64_t s1 = messages_sent();
  const int64_t snapshot_cost = s1 - s0;  // the /stats gathering itself
  for (const std::string& key : keys_owned_by(true)) {
    ASSERT_TRUE(client->Command({"SET", key, "v"}).ok());
    ASSERT_TRUE(client->Command({"GET", key}).ok());
  }
  const int64_t s2 = messages_sent();
  EXPECT_EQ(s2 - s1, snapshot_cost) << "local keys must not use a mailbox";
  const int64_t in_thread = total("hops_in_thread");
  const int64_t s3 = messages_sent();
  for (const std::string& key : keys_owned_by(false)) {
    ASSERT_TRUE(client->Command({"SET", key, "v"}).ok());
  }
  const int64_t s4 = messages_sent();
  const int64_t run_in_thread = total("hops_in_thread") - in_thread;
  // Each SET on another shard is a request and a reply, but on a shard
  // that runs on the same thread (shards sharing a CPU: all four in the
  // *_packed run), where it runs at once.
  EXPECT_EQ(s4 - s3, snapshot_cost + 2 * (20 - run_in_thread));
  // (Only io_uring shares threads; a shardd without it runs on epoll.)
  absl::StatusOr<std::string> server_info = client->Command({"INFO", "server"});
  ASSERT_TRUE(server_info.ok()) << server_info.status();
  const char* packed = std::getenv("SHARDD_TEST_PACKED");
  if (packed != nullptr && *packed != '\0' &&
      server_info->find("multiplexing_api:io_uring") != std::string::npos) {
    EXPECT_EQ(run_in_thread, 20);
  }
}

// INFO's used_memory (the shards' jemalloc arenas) follows values as they
// grow and shrink: a 16 MiB string shows up, and is gone once deleted.
TEST_F(AdminCountersTest, UsedMemoryFollowsValuesUpAndDown) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  auto used_memory = [&]() -> int64_t {
    absl::StatusOr<std::string> info = client->Command({"INFO", "memory"});
    EXPECT_TRUE(info.ok()) << info.status();
    const size_t at = info->find("used_memory:");
    EXPECT_NE(at, std::string::npos) << *info;
    return std::stoll(info->substr(at + 12));
  };
  constexpr int64_t kBig = 16 << 20;
  const int64_t before = used_memory();
  ASSERT_EQ(*client->Command({"SETRANGE", "big", absl::StrCat(kBig - 1), "x"}),
            absl::StrCat(":", kBig, "\r\n"));
  const int64_t grown = used_memory();
  EXPECT_GE(grown - before, kBig);
  ASSERT_EQ(*client->Command({"DEL", "big"}), ":1\r\n");
  const int64_t shrunk = used_memory();
  EXPECT_LT(shrunk - before, kBig / 4) << "before " << before << " grown "
                                        << grown << " shrunk " << shrunk;
}

}  // namespace
}  // namespace shardd::integration
