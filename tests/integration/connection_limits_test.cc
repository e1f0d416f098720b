// Connection limits of a real shardd's RESP port: it fits its
// file-descriptor limit (lowering --maxclients, with one line on stderr, when
// it cannot raise it); it refuses a client past --maxclients with Redis's
// error and a close, at almost no CPU cost; it counts --maxclients exactly
// over all shards; and it does not share its port with a second shardd.
// (The admin endpoint's --admin_maxclients: admin_connection_limits_test.cc.)
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/eventually.h"
#include "tests/integration/support/process_cpu.h"
#include "tests/integration/support/program_runner.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"
#include "tests/integration/support/temp_dir.h"

namespace shardd::integration {
namespace {

constexpr std::string_view kMaxClientsError =
    "-ERR max number of clients reached\r\n";

// The integer field `name` ("connected_clients") of an INFO reply, or -1.
int64_t InfoField(std::string_view info, std::string_view name) {
  const std::string key = absl::StrCat("\r\n", std::string(name), ":");
  const size_t at = info.find(key);
  if (at == std::string_view::npos) return -1;
  const size_t start = at + key.size();
  const size_t end = info.find("\r\n", start);
  return ParseInt64(info.substr(start, end - start)).value_or(-1);
}

enum class Outcome { kServed, kRefused, kOther };

// Sends PING on a fresh connection: kServed if it answers +PONG, kRefused if
// it gets exactly the max-clients error and is then closed. The server may
// refuse before the PING arrives (the send then fails); the error it wrote
// first is still there to read. Anything else is described in `what_else`.
Outcome PingOrRefusal(RespClient& client, std::string* what_else) {
  client.Send(EncodeCommand({"PING"})).IgnoreError();
  absl::StatusOr<std::string> reply = client.ReadReply();
  if (!reply.ok()) {
    *what_else = reply.status().ToString();
    return Outcome::kOther;
  }
  if (*reply == "+PONG\r\n") return Outcome::kServed;
  if (*reply != kMaxClientsError) {
    *what_else = Printable(*reply);
    return Outcome::kOther;
  }
  absl::StatusOr<std::string> rest = client.ReadUntilClosed();
  if (!rest.ok() || !rest->empty()) {
    *what_else = absl::StrCat(
        "after the error: ",
        rest.ok() ? Printable(*rest) : rest.status().ToString());
    return Outcome::kOther;
  }
  return Outcome::kRefused;
}

// Starts shardd (2 shards, --maxclients=1000, `flags`) under a hard limit of
// 256 descriptors, which cannot hold 1,000 clients: it lowers maxclients and
// says so once on stderr in a line with `notice`, then must report the
// lowered value, really serve that many clients (while its reserve holds)
// and refuse one more. Returns the lowered value (0 on failure), or -1 if
// shardd said `unless` instead of the notice.
int64_t ServeWhatTheLimitHolds(std::vector<std::string> flags,
                               std::string_view notice,
                               std::vector<std::string_view> unless = {}) {
  constexpr int64_t kHardLimit = 256;
  // Free ports and a fresh --dir (the server then owns it), as StartShardd
  // gives them.
  TempDir data_dir;
  flags.insert(flags.end(), {"--port=0", "--admin_port=0", "--shards=2",
                             "--maxclients=1000", "--admin_maxclients=16"});
  absl::StatusOr<std::vector<std::string>> shardd_flags =
      WithTestDefaults(flags, &data_dir);
  EXPECT_TRUE(shardd_flags.ok()) << shardd_flags.status();
  if (!shardd_flags.ok()) return 0;
  // sh folds stderr into stdout, which ServerProcess captures; both execs
  // keep the pid, so pid() is shardd's.
  std::vector<std::string> argv = {
      "-c",
      "exec \"$@\" 2>&1",
      "sh",
      "prlimit",
      absl::StrCat("--nofile=", kHardLimit, ":", kHardLimit),
      ShardBinary()};
  argv.insert(argv.end(), shardd_flags->begin(), shardd_flags->end());
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start("/bin/sh", argv);
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return 0;
  (*server)->OwnDataDir(std::move(data_dir));

  // stderr is unbuffered and stdout is not: the notice may come either side
  // of the ready line.
  std::string output;
  const auto said = [&output](std::string_view text) {
    return output.find(text) != std::string::npos;
  };
  Eventually(absl::Seconds(10), [&] {
    output = (*server)->Output();
    return said(notice) || std::any_of(unless.begin(), unless.end(), said);
  });
  if (std::any_of(unless.begin(), unless.end(), said)) return -1;
  const size_t at = output.find(notice);
  EXPECT_NE(at, std::string::npos) << output;
  if (at == std::string::npos) return 0;
  EXPECT_EQ(output.find(notice, at + 1), std::string::npos)
      << "more than one notice: " << output;
  const int64_t lowered =
      std::strtoll(output.c_str() + at + notice.size(), nullptr, 10);
  EXPECT_GT(lowered, 0) << output;
  if (lowered <= 0) return 0;

  absl::StatusOr<RespClient> first =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  EXPECT_TRUE(first.ok()) << first.status();
  if (!first.ok()) return 0;
  absl::StatusOr<std::string> config =
      first->Command({"CONFIG", "GET", "maxclients"});
  EXPECT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config.value_or(""), absl::StrCat("*2\r\n", Bulk("maxclients"),
                                              Bulk(absl::StrCat(lowered))));

  // `first` is one of the `lowered` clients.
  std::vector<RespClient> clients;
  for (int64_t i = 1; i < lowered; ++i) {
    absl::StatusOr<RespClient> client =
        RespClient::ConnectTcp("127.0.0.1", (*server)->port());
    EXPECT_TRUE(client.ok()) << "client " << i + 1 << ": " << client.status();
    if (!client.ok()) return 0;
    std::string what_else;
    const Outcome outcome = PingOrRefusal(*client, &what_else);
    EXPECT_EQ(outcome, Outcome::kServed)
        << "client " << i + 1 << " of " << lowered << ": " << what_else;
    if (outcome != Outcome::kServed) return 0;
    clients.push_back(*std::move(client));
  }
  absl::StatusOr<RespClient> extra =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  EXPECT_TRUE(extra.ok()) << extra.status();
  if (!extra.ok()) return 0;
  std::string what_else;
  EXPECT_EQ(PingOrRefusal(*extra, &what_else), Outcome::kRefused) << what_else;
  EXPECT_EQ(first->Command({"PING"}).value_or(""), "+PONG\r\n");
  return lowered;
}

// With a descriptor per connection, the clients must fit in the limit
// beside the admin endpoint's 16, the listeners and the reserve.
TEST(FileLimitTest, MaxclientsIsLoweredToFitTheDescriptorLimit) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  if (RunProgram({"prlimit", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "util-linux prlimit is not installed";
  }
  const int64_t lowered = ServeWhatTheLimitHolds(
      {"--register_sockets=false"}, "; maxclients has been reduced to ");
  EXPECT_LT(lowered + 16, 256)
      << "no descriptors left for listeners and the reserve";
}

// Registered sockets hold no descriptor: each shard's ring (a thread each
// here) has a table of up to 256 of them, so the two serve 512 clients under
// a limit of 256 descriptors.
TEST(FileLimitTest, RegisteredSocketsServeMoreClientsThanDescriptors) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  if (RunProgram({"prlimit", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "util-linux prlimit is not installed";
  }
  if (TestsUseEpoll()) GTEST_SKIP() << "io_uring only";
  const int64_t served = ServeWhatTheLimitHolds(
      {"--register_sockets=true", "--share_cpu_threads=false"},
      "shardd: maxclients has been reduced to ",
      {"I/O backend: epoll", "connections keep their descriptors"});
  if (served == -1) GTEST_SKIP() << "this kernel cannot register sockets";
  EXPECT_EQ(served, 512);
}

class MaxClientsTest : public ShardServerTest {
 protected:
  static constexpr int kMaxClients = 3;
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2",
            absl::StrCat("--maxclients=", kMaxClients)};
  }

  // Opens kMaxClients connections, each proven served by a PING.
  void FillEverySlot(std::vector<RespClient>* clients) {
    for (int i = 0; i < kMaxClients; ++i) {
      absl::StatusOr<RespClient> client = Connect();
      ASSERT_TRUE(client.ok()) << client.status();
      absl::StatusOr<std::string> pong = client->Command({"PING"});
      ASSERT_TRUE(pong.ok()) << pong.status();
      ASSERT_EQ(*pong, "+PONG\r\n") << "client " << i + 1;
      clients->push_back(*std::move(client));
    }
  }
};

TEST_F(MaxClientsTest, ClientPastTheLimitGetsRedisErrorAndIsClosed) {
  std::vector<RespClient> clients;
  ASSERT_NO_FATAL_FAILURE(FillEverySlot(&clients));
  absl::StatusOr<RespClient> extra = Connect();
  ASSERT_TRUE(extra.ok()) << extra.status();
  // Nothing sent: the error comes unasked, then the close.
  absl::StatusOr<std::string> received = extra->ReadUntilClosed();
  ASSERT_TRUE(received.ok()) << "not closed: " << received.status();
  EXPECT_EQ(Printable(*received), Printable(kMaxClientsError));

  // A freed slot serves the next client (the close reaches the server
  // asynchronously, hence the retries).
  clients.pop_back();
  std::string what_else;
  EXPECT_TRUE(Eventually(absl::Seconds(10), [&] {
    absl::StatusOr<RespClient> next = Connect();
    return next.ok() && PingOrRefusal(*next, &what_else) == Outcome::kServed;
  })) << what_else;
  for (RespClient& client : clients) {
    EXPECT_EQ(*client.Command({"PING"}), "+PONG\r\n");
  }
}

// Clients past the limit that keep reconnecting cost the server next to
// nothing (no busy accept loop), and the admin endpoint keeps answering.
TEST_F(MaxClientsTest, RefusingClientsKeepsTheServerNearIdle) {
  constexpr int kRefusedClients = 20;
  constexpr absl::Duration kStorm = absl::Seconds(2);
  constexpr absl::Duration kMaxCpu = absl::Milliseconds(500);
  std::vector<RespClient> clients;
  ASSERT_NO_FATAL_FAILURE(FillEverySlot(&clients));
  const std::optional<absl::Duration> cpu_before =
      ProcessCpuTime(server().pid());
  ASSERT_TRUE(cpu_before.has_value());

  std::atomic<bool> stop{false};
  std::atomic<int> refusals{0};
  std::atomic<int> surprises{0};
  std::vector<std::thread> reconnecting;
  for (int i = 0; i < kRefusedClients; ++i) {
    reconnecting.emplace_back([&] {
      while (!stop) {
        absl::StatusOr<RespClient> client = Connect();
        absl::StatusOr<std::string> received = absl::UnknownError("no");
        if (client.ok()) {
          client->set_timeout(absl::Seconds(5));
          received = client->ReadUntilClosed();
        }
        ++(received.ok() && *received == kMaxClientsError ? refusals
                                                          : surprises);
        // The pace of a client retrying (the scenario, not a wait for it).
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
  }
  int healthz_checks = 0;
  int healthz_failures = 0;
  const absl::Time end = absl::Now() + kStorm;
  while (absl::Now() < end) {
    absl::StatusOr<std::string> body =
        HttpGetBody(server().admin_port(), "/healthz");
    ++healthz_checks;
    if (!body.ok() || *body != "ok\n") ++healthz_failures;
    absl::SleepFor(absl::Milliseconds(100));
  }
  stop = true;
  for (std::thread& thread : reconnecting) thread.join();
  const std::optional<absl::Duration> cpu_after =
      ProcessCpuTime(server().pid());
  ASSERT_TRUE(cpu_after.has_value());

  std::cout << refusals.load() << " refusals, " << healthz_checks
            << " /healthz checks, server CPU "
            << absl::FormatDuration(*cpu_after - *cpu_before) << "\n";
  EXPECT_LT(*cpu_after - *cpu_before, kMaxCpu);
  EXPECT_GE(refusals.load(), kRefusedClients);
  EXPECT_EQ(surprises.load(), 0);
  EXPECT_EQ(healthz_failures, 0) << "of " << healthz_checks;
  for (RespClient& client : clients) {
    EXPECT_EQ(*client.Command({"PING"}), "+PONG\r\n");
  }
}

class ExactMaxClientsTest : public ShardServerTest {
 protected:
  static constexpr int kMaxClients = 40;
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=4",
            absl::StrCat("--maxclients=", kMaxClients)};
  }
};

// Connections arrive on four shards at once from eight threads; the limit
// holds for the sum: 40 served, every other one refused, never 41 counted.
TEST_F(ExactMaxClientsTest, LimitHoldsExactlyOverAllShards) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 15;
  // The observer is one of the 40.
  absl::StatusOr<RespClient> observer = Connect();
  ASSERT_TRUE(observer.ok()) << observer.status();
  ASSERT_EQ(*observer->Command({"PING"}), "+PONG\r\n");

  std::atomic<bool> stop{false};
  int64_t most_counted = 0;
  std::string sampler_error;
  std::thread sampler([&] {
    while (!stop) {
      absl::StatusOr<std::string> info = observer->Command({"INFO", "clients"});
      if (!info.ok()) {
        sampler_error = info.status().ToString();
        return;
      }
      most_counted =
          std::max(most_counted, InfoField(*info, "connected_clients"));
      absl::SleepFor(absl::Milliseconds(5));
    }
  });

  struct ThreadResult {
    std::vector<RespClient> held;  // served or refused, open until the end
    int served = 0;
    int refused = 0;
    std::vector<std::string> other;
  };
  std::vector<ThreadResult> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ThreadResult& result = results[t];
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<RespClient> client = Connect();
        if (!client.ok()) {
          result.other.push_back(client.status().ToString());
          continue;
        }
        result.held.push_back(*std::move(client));
      }
      for (RespClient& client : result.held) {
        std::string what_else;
        const Outcome outcome = PingOrRefusal(client, &what_else);
        if (outcome == Outcome::kServed) ++result.served;
        if (outcome == Outcome::kRefused) ++result.refused;
        if (outcome == Outcome::kOther) result.other.push_back(what_else);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  stop = true;
  sampler.join();

  int served = 1;  // the observer
  int refused = 0;
  std::vector<std::string> other;
  for (const ThreadResult& result : results) {
    served += result.served;
    refused += result.refused;
    other.insert(other.end(), result.other.begin(), result.other.end());
  }
  EXPECT_EQ(served, kMaxClients);
  EXPECT_EQ(refused, kThreads * kPerThread + 1 - kMaxClients);
  EXPECT_TRUE(other.empty()) << absl::StrJoin(other, "\n");
  EXPECT_TRUE(sampler_error.empty()) << sampler_error;
  EXPECT_LE(most_counted, kMaxClients);
  absl::StatusOr<std::string> info = observer->Command({"INFO", "clients"});
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(InfoField(*info, "connected_clients"), kMaxClients) << *info;
}

class SamePortTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2"};
  }
};

// One listener per shard (SO_REUSEPORT) must not let a second shardd join
// the first one's port and take some of its connections.
TEST_F(SamePortTest, SecondServerOnTheSamePortExitsWithAnError) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  // A second server that does start is stopped by the timeout (code 124).
  // It has its own data directory and no HTTP file service, so that only the
  // RESP port can stop it (not the first server's lock file or HTTP port).
  TempDir second_dir;
  absl::StatusOr<std::vector<std::string>> second_flags = WithTestDefaults(
      {absl::StrCat("--port=", port()), "--admin=false", "--http=false",
       "--shards=2"},
      &second_dir);
  ASSERT_TRUE(second_flags.ok()) << second_flags.status();
  ASSERT_FALSE(second_dir.empty());
  std::vector<std::string> second_argv = {ShardBinary()};
  second_argv.insert(second_argv.end(), second_flags->begin(),
                     second_flags->end());
  const ProgramResult second = RunProgram(second_argv, {}, absl::Seconds(20));
  EXPECT_GT(second.exit_code, 0) << second.stderr_text;
  // Not refused for a flag it does not know (which would prove nothing).
  EXPECT_EQ(second.stderr_text.find("unknown command line flag"),
            std::string::npos)
      << second.stderr_text;
  EXPECT_NE(second.exit_code, 124) << "the second shardd kept running";
  EXPECT_EQ(second.stdout_text.find("shardd ready"), std::string::npos)
      << second.stdout_text;

  EXPECT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  for (int i = 0; i < 8; ++i) {
    absl::StatusOr<RespClient> fresh = Connect();
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    EXPECT_EQ(*fresh->Command({"PING"}), "+PONG\r\n");
  }
}

}  // namespace
}  // namespace shardd::integration
