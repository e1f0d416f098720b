// When the process runs out of file descriptors below maxclients (its limit
// lowered while it runs), accepting never spins: clients past what the
// descriptors allow are refused with Redis's error (a descriptor kept in
// reserve accepts and closes them) rather than left hanging, the server's
// CPU stays near idle while they keep coming, the clients already served go
// on, and service resumes once descriptors are free again.
#include <dirent.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/process_cpu.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr std::string_view kMaxClientsError =
    "-ERR max number of clients reached\r\n";

// How many descriptors process `pid` has open.
int OpenDescriptors(pid_t pid) {
  DIR* dir = opendir(absl::StrCat("/proc/", pid, "/fd").c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

// The soft open-files limit of process `pid`, from /proc/<pid>/limits.
int SoftDescriptorLimit(pid_t pid) {
  std::ifstream limits(absl::StrCat("/proc/", pid, "/limits"));
  std::string line;
  while (std::getline(limits, line)) {
    constexpr std::string_view kRow = "Max open files";
    if (line.starts_with(kRow)) {
      return std::atoi(line.c_str() + kRow.size());
    }
  }
  return -1;
}

// Sets the soft limit only: lowering and raising it back needs no privilege.
bool SetDescriptorLimit(pid_t pid, int limit) {
  return RunProgram({"prlimit", absl::StrCat("--pid=", pid),
                     absl::StrCat("--nofile=", limit, ":")})
             .exit_code == 0;
}

// A PING on a fresh connection: "+PONG", the refusal, or what went wrong.
std::string PingOnce(int port) {
  absl::StatusOr<RespClient> client = RespClient::ConnectTcp("127.0.0.1", port);
  if (!client.ok()) return client.status().ToString();
  client->set_timeout(absl::Seconds(5));
  client->Send(EncodeCommand({"PING"})).IgnoreError();
  absl::StatusOr<std::string> reply = client->ReadReply();
  return reply.ok() ? *reply : reply.status().ToString();
}

class DescriptorExhaustionTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    // A descriptor per connection: registered sockets hold none
    // (connection_limits_test).
    return {"--port=0", "--admin_port=0", "--shards=2", "--maxclients=1000",
            "--register_sockets=false"};
  }
};

TEST_F(DescriptorExhaustionTest, ClientsPastTheDescriptorsAreRefusedCheaply) {
  if (RunProgram({"prlimit", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "util-linux prlimit is not installed";
  }
  absl::StatusOr<RespClient> served = Connect();
  ASSERT_TRUE(served.ok()) << served.status();
  ASSERT_EQ(*served->Command({"PING"}), "+PONG\r\n");
  const int open_now = OpenDescriptors(server().pid());
  ASSERT_GT(open_now, 0);
  const int soft_limit = SoftDescriptorLimit(server().pid());
  ASSERT_GT(soft_limit, open_now);
  // Room for two more clients, far below maxclients.
  ASSERT_TRUE(SetDescriptorLimit(server().pid(), open_now + 2));

  std::vector<RespClient> held;
  int refused = 0;
  constexpr int kClients = 12;
  for (int i = 0; i < kClients; ++i) {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    client->set_timeout(absl::Seconds(5));
    client->Send(EncodeCommand({"PING"})).IgnoreError();
    absl::StatusOr<std::string> reply = client->ReadReply();
    ASSERT_TRUE(reply.ok()) << "client " << i << " got no answer (a hang): "
                            << reply.status();
    if (*reply == "+PONG\r\n") {
      held.push_back(*std::move(client));
    } else {
      EXPECT_EQ(Printable(*reply), Printable(kMaxClientsError));
      ++refused;
    }
  }
  // Room for two more descriptors; but accepts already submitted to the
  // ring may each get one, and while one shard frees its reserve descriptor
  // to refuse a client another may take it. So a few more than two may be
  // served; most of the twelve are refused, and every one is answered.
  EXPECT_LE(held.size(), 6u);
  EXPECT_GE(refused, kClients - 6);

  // Clients that keep coming cost next to nothing while none can be served.
  const std::optional<absl::Duration> cpu_before =
      ProcessCpuTime(server().pid());
  ASSERT_TRUE(cpu_before.has_value());
  std::atomic<bool> stop{false};
  std::atomic<int> surprises{0};
  std::vector<std::thread> reconnecting;
  for (int i = 0; i < 10; ++i) {
    reconnecting.emplace_back([&] {
      while (!stop) {
        // Served is possible too (a descriptor freed for a moment, as
        // above); anything else is not.
        const std::string reply = PingOnce(port());
        if (reply != kMaxClientsError && reply != "+PONG\r\n") ++surprises;
        // The pace of a client retrying (the scenario, not a wait for it).
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
  }
  absl::SleepFor(absl::Seconds(2));  // the length of the storm
  stop = true;
  for (std::thread& thread : reconnecting) thread.join();
  const std::optional<absl::Duration> cpu_after =
      ProcessCpuTime(server().pid());
  ASSERT_TRUE(cpu_after.has_value());
  EXPECT_LT(*cpu_after - *cpu_before, absl::Milliseconds(500));
  EXPECT_EQ(surprises.load(), 0);
  EXPECT_EQ(*served->Command({"PING"}), "+PONG\r\n");

  // Descriptors back: new clients are served, and the episode was counted.
  held.clear();
  ASSERT_TRUE(SetDescriptorLimit(server().pid(), soft_limit));
  std::string pong;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (absl::Now() < give_up && (pong = PingOnce(port())) != "+PONG\r\n") {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(pong, "+PONG\r\n");
  absl::StatusOr<std::string> stats =
      HttpGetBody(server().admin_port(), "/stats");
  ASSERT_TRUE(stats.ok()) << stats.status();
  constexpr std::string_view kField = "\"accept_fd_exhausted\":";
  const size_t at = stats->find(kField, stats->find("\"totals\""));
  ASSERT_NE(at, std::string::npos) << *stats;
  EXPECT_GT(std::strtoll(stats->c_str() + at + kField.size(), nullptr, 10), 0);
}

}  // namespace
}  // namespace shardd::integration
