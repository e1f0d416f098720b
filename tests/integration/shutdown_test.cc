// Stopping shardd: SIGTERM or SIGINT must end the process with exit code 0
// within one second, also while clients keep it busy.
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr absl::Duration kStopBudget = absl::Seconds(1);

class ShutdownTest : public ShardServerTest {
 protected:
  // Stops the server with `signal` and checks it exited cleanly in time.
  void ExpectCleanStop(int signal) {
    // Wait longer than the budget so that a slow stop is measured, not killed.
    absl::StatusOr<ExitStatus> status = server().Stop(signal, absl::Seconds(5));
    ASSERT_TRUE(status.ok()) << status.status();
    std::cout << "signal " << signal << ": " << status->ToString() << "\n";
    EXPECT_EQ(status->signal, 0) << status->ToString();
    EXPECT_EQ(status->exit_code, 0) << status->ToString();
    EXPECT_LT(status->elapsed, kStopBudget) << status->ToString();
  }
};

TEST_F(ShutdownTest, SigtermWhenIdleExitsZero) { ExpectCleanStop(SIGTERM); }

TEST_F(ShutdownTest, SigintWithOpenConnectionExitsZero) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_EQ(*client->Command({"PING"}), "+PONG\r\n");
  ExpectCleanStop(SIGINT);
}

// Each load client keeps 16 commands in flight (SETs and cross-shard MGETs
// over its own keys) until the server goes away.
TEST_F(ShutdownTest, SigtermUnderLoadExitsZeroWithinOneSecond) {
  constexpr int kClients = 8;
  constexpr int kRoundsBeforeSignal = 20;  // every client is really running

  std::mutex mutex;
  std::condition_variable progress_cv;
  int clients_warmed_up = 0;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> rounds{0};

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      absl::StatusOr<RespClient> client = Connect();
      if (!client.ok()) return;
      client->set_timeout(absl::Seconds(3));
      std::string pipeline;
      for (int i = 0; i < 8; ++i) {
        const std::string key = absl::StrCat("load:", c, ":", i);
        pipeline += EncodeCommand({"SET", key, std::string(100, 'x')});
        pipeline +=
            EncodeCommand({"MGET", key, absl::StrCat("load:", c, ":", i + 1)});
      }
      // Bounded: the server stops long before this many rounds.
      for (int round = 0; round < 1'000'000 && !stop; ++round) {
        if (!client->Send(pipeline).ok()) return;
        for (int r = 0; r < 16; ++r) {
          if (!client->ReadReply().ok()) return;  // server gone: done
        }
        rounds.fetch_add(1);
        if (round + 1 == kRoundsBeforeSignal) {
          std::lock_guard<std::mutex> lock(mutex);
          ++clients_warmed_up;
          progress_cv.notify_all();
        }
      }
    });
  }

  bool all_running;
  {
    std::unique_lock<std::mutex> lock(mutex);
    all_running = progress_cv.wait_for(lock, std::chrono::seconds(30), [&] {
      return clients_warmed_up == kClients;
    });
  }
  if (all_running) ExpectCleanStop(SIGTERM);
  stop = true;
  for (std::thread& client : clients) client.join();
  EXPECT_TRUE(all_running) << "only " << clients_warmed_up << " of " << kClients
                           << " load clients got going";
  std::cout << rounds.load() << " rounds of 16 commands before the stop\n";
}

}  // namespace
}  // namespace shardd::integration
