// kill -9 under load, then a restart on the same --dir, in rounds: under
// appendfsync always every acknowledged write is there afterwards, a
// counter exceeds its acknowledged increments by at most the one in flight,
// and a MULTI/EXEC over two shards is never half applied; each restart
// uses another shard count. Under everysec the writes lost are the ones
// acknowledged in the last moments before the kill (measured and printed).
// CI runs kRounds rounds; crash_recovery_long_test (label long) runs more.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

#ifdef SHARDD_CRASH_LONG
constexpr int kRounds = 10;
#else
constexpr int kRounds = 3;
#endif
constexpr int kClients = 6;

// What one client had acknowledged in one round, with when.
struct Acknowledged {
  std::vector<std::pair<int, absl::Time>> sets;   // str:<r>:<c>:<i> = i
  std::vector<std::pair<int, absl::Time>> fields;  // h:<r>:<c> field i = i
  int64_t increments = 0;  // ctr:<r>:<c>
  int64_t pushes = 0;      // l:<r>:<c>
  int64_t transactions = 0;  // MULTI INCR pa INCR pb EXEC
  absl::Time last_ack = absl::InfinitePast();
};

std::string Name(const char* what, int round, int client) {
  return absl::StrCat(what, ":", round, ":", client);
}

// Keys pa and pb of a client: on two different shards of any count from 2
// to 4 at least under the count the round runs with.
std::pair<std::string, std::string> PairKeys(int round, int client,
                                             int shards) {
  const uint32_t a = static_cast<uint32_t>(client % shards);
  const uint32_t b = static_cast<uint32_t>((client + 1) % shards);
  return {KeyOn(a, shards, Name("pa", round, client)),
          KeyOn(b, shards, Name("pb", round, client))};
}

// One client's load until the server dies (or a bound passes).
void RunClient(int port, int round, int client, int shards,
               Acknowledged* acked) {
  absl::StatusOr<RespClient> c = RespClient::ConnectTcp("127.0.0.1", port);
  if (!c.ok()) return;
  c->set_timeout(absl::Seconds(5));
  const auto [pa, pb] = PairKeys(round, client, shards);
  for (int i = 0; i < 1'000'000; ++i) {
    absl::StatusOr<std::string> reply;
    switch (i % 5) {
      case 0:
        reply = c->Command({"SET", absl::StrCat(Name("str", round, client),
                                                ":", i),
                            absl::StrCat(i)});
        if (!reply.ok() || *reply != kOk) return;
        acked->sets.push_back({i, absl::Now()});
        break;
      case 1:
        reply = c->Command({"INCR", Name("ctr", round, client)});
        if (!reply.ok() || !IntegerOf(*reply)) return;
        ++acked->increments;
        break;
      case 2:
        reply = c->Command({"HSET", Name("h", round, client),
                            absl::StrCat(i), absl::StrCat(i)});
        if (!reply.ok() || !IntegerOf(*reply)) return;
        acked->fields.push_back({i, absl::Now()});
        break;
      case 3:
        reply = c->Command({"LPUSH", Name("l", round, client),
                            absl::StrCat(i)});
        if (!reply.ok() || !IntegerOf(*reply)) return;
        ++acked->pushes;
        break;
      case 4: {
        const std::string tx = EncodeCommand({"MULTI"}) +
                               EncodeCommand({"INCR", pa}) +
                               EncodeCommand({"INCR", pb}) +
                               EncodeCommand({"EXEC"});
        if (!c->Send(tx).ok()) return;
        for (int r = 0; r < 4; ++r) {
          reply = c->ReadReply();
          if (!reply.ok()) return;
        }
        if ((*reply)[0] != '*') return;
        ++acked->transactions;
        break;
      }
    }
    acked->last_ack = absl::Now();
  }
}

struct Round {
  int shards;
  bool always;
  std::vector<Acknowledged> clients;
  absl::Time killed_at;
};

// The integer a string key holds (0 if there is none).
int64_t CounterAt(RespClient& c, const std::string& key) {
  const std::optional<std::string> value = BulkOf(*c.Command({"GET", key}));
  if (!value) return 0;
  return ParseInt64(*value).value_or(-1);
}

// Checks round `r` against the recovered server; under everysec returns
// how many acknowledged writes are missing (each acknowledged within
// `window` of the kill), under always fails on any.
int64_t CheckRound(RespClient& c, int r, const Round& round,
                   absl::Duration window) {
  int64_t missing = 0;
  auto lost = [&](absl::Time acked_at, const std::string& what) {
    ++missing;
    EXPECT_FALSE(round.always) << "round " << r << ": lost " << what;
    EXPECT_GE(acked_at, round.killed_at - window)
        << "round " << r << ": lost " << what << ", acknowledged "
        << absl::FormatDuration(round.killed_at - acked_at)
        << " before the kill";
  };
  for (int client = 0; client < kClients; ++client) {
    const Acknowledged& a = round.clients[client];
    for (const auto& [i, at] : a.sets) {
      const std::string key =
          absl::StrCat(Name("str", r, client), ":", i);
      if (*c.Command({"GET", key}) != Bulk(absl::StrCat(i))) lost(at, key);
    }
    for (const auto& [i, at] : a.fields) {
      if (*c.Command({"HGET", Name("h", r, client), absl::StrCat(i)}) !=
          Bulk(absl::StrCat(i))) {
        lost(at, absl::StrCat("field ", i));
      }
    }
    const int64_t counter = CounterAt(c, Name("ctr", r, client));
    const int64_t pushes =
        IntegerOf(*c.Command({"LLEN", Name("l", r, client)})).value_or(0);
    const auto [pa, pb] = PairKeys(r, client, round.shards);
    const int64_t a_count = CounterAt(c, pa);
    const int64_t b_count = CounterAt(c, pb);
    // One command of each kind may have been in flight, done but not
    // acknowledged.
    EXPECT_LE(counter, a.increments + 1) << "round " << r;
    EXPECT_LE(pushes, a.pushes + 1) << "round " << r;
    EXPECT_EQ(a_count, b_count) << "round " << r << ": a transaction over "
                                << pa << " and " << pb << " is half there";
    EXPECT_LE(a_count, a.transactions + 1) << "round " << r;
    if (counter < a.increments) lost(a.last_ack, "increments");
    if (pushes < a.pushes) lost(a.last_ack, "pushes");
    if (a_count < a.transactions) lost(a.last_ack, "transactions");
  }
  return missing;
}

TEST(CrashRecoveryTest, KillNineUnderLoadLosesNoAcknowledgedWrite) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  TempDir dir;  // declared first: removed after every server exited
  absl::StatusOr<std::vector<std::string>> base =
      WithTestDefaults({"--port=0"}, &dir);
  ASSERT_TRUE(base.ok()) << base.status();
  const uint32_t seed = static_cast<uint32_t>(absl::ToUnixNanos(absl::Now()));
  std::cout << "seed " << seed << "\n";
  absl::BitGen random{std::seed_seq{seed}};
  std::vector<Round> rounds;
  // The last round runs under everysec, to measure what it loses.
  for (int r = 0; r <= kRounds; ++r) {
    const bool always = r < kRounds;
    Round round{r % 2 == 0 ? 4 : 3, always,
                std::vector<Acknowledged>(kClients), absl::Time()};
    std::vector<std::string> flags = *base;
    flags.push_back(absl::StrCat("--shards=", round.shards));
    flags.push_back(always ? "--appendfsync=always"
                           : "--appendfsync=everysec");
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(ShardBinary(), flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    absl::StatusOr<RespClient> observer =
        RespClient::ConnectTcp("127.0.0.1", port);
    ASSERT_TRUE(observer.ok()) << observer.status();
    observer->set_timeout(absl::Seconds(10));

    // Every round before this one is still whole.
    for (int earlier = 0; earlier < r; ++earlier) {
      CheckRound(*observer, earlier, rounds[earlier], absl::Seconds(2));
    }
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(RunClient, port, r, c, round.shards,
                           &round.clients[c]);
    }
    absl::SleepFor(absl::Milliseconds(absl::Uniform(random, 300, 900)));
    const std::optional<std::string> info =
        BulkOf(*observer->Command({"INFO", "persistence"}));
    ASSERT_TRUE(info.has_value());
    EXPECT_TRUE(absl::StrContains(*info, "aof_replies_before_durable:0\r\n"))
        << *info;
    round.killed_at = absl::Now();
    ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
    for (std::thread& t : clients) t.join();
    int64_t acknowledged = 0;
    for (const Acknowledged& a : round.clients) {
      acknowledged += static_cast<int64_t>(a.sets.size() + a.fields.size()) +
                      a.increments + a.pushes + a.transactions;
    }
    std::cout << "round " << r << " (" << round.shards << " shards, "
              << (always ? "always" : "everysec") << "): " << acknowledged
              << " writes acknowledged before kill -9\n";
    EXPECT_GT(acknowledged, 0);
    rounds.push_back(std::move(round));
  }

  // The last restart, with another shard count again, checks every round.
  std::vector<std::string> flags = *base;
  flags.push_back("--shards=2");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(ShardBinary(), flags);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(10));
  for (int r = 0; r < kRounds; ++r) {
    EXPECT_EQ(CheckRound(*c, r, rounds[r], absl::Seconds(2)), 0);
  }
  const int64_t lost =
      CheckRound(*c, kRounds, rounds[kRounds], absl::Seconds(2));
  std::cout << "everysec: " << lost
            << " acknowledged writes lost to kill -9 (each acknowledged "
               "less than 2 s before it)\n";
}

// Loads `keys` strings of 100 bytes through one pipelining connection.
void Preload(int port, int keys) {
  absl::StatusOr<RespClient> c = RespClient::ConnectTcp("127.0.0.1", port);
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(30));
  constexpr int kBatch = 1000;
  for (int first = 0; first < keys; first += kBatch) {
    std::string batch;
    for (int i = first; i < first + kBatch; ++i) {
      batch += EncodeCommand({"SET", absl::StrCat("pre:", i),
                              std::string(100, 'a' + i % 26)});
    }
    ASSERT_TRUE(c->Send(batch).ok());
    for (int i = 0; i < kBatch; ++i) ASSERT_EQ(*c->ReadReply(), kOk);
  }
}

// A compaction interrupted by kill -9, under load and appendfsync always:
// the restart finds every acknowledged write and every key from before.
TEST(CrashRecoveryTest, KillNineDuringACompactionLosesNothing) {
  if (ShardBinary().empty()) GTEST_SKIP() << "shardd is not built yet";
  constexpr int kPreloaded = 100000;
  TempDir dir;
  absl::StatusOr<std::vector<std::string>> flags = WithTestDefaults(
      {"--port=0", "--shards=3", "--appendfsync=always"}, &dir);
  ASSERT_TRUE(flags.ok()) << flags.status();
  Round round{3, true, std::vector<Acknowledged>(kClients), absl::Time()};
  {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(ShardBinary(), *flags);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    Preload(port, kPreloaded);
    if (HasFatalFailure()) return;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(RunClient, port, 0, c, round.shards,
                           &round.clients[c]);
    }
    absl::StatusOr<RespClient> admin =
        RespClient::ConnectTcp("127.0.0.1", port);
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin->set_timeout(absl::Seconds(10));
    absl::SleepFor(absl::Milliseconds(100));
    ASSERT_EQ(*admin->Command({"BGREWRITEAOF"}),
              "+Background append only file rewriting started\r\n");
    // Killed while some shard still walks its keys, if it is caught there.
    bool caught_walking = false;
    for (int i = 0; i < 2000 && !caught_walking; ++i) {
      const std::optional<std::string> info =
          BulkOf(*admin->Command({"INFO", "persistence"}));
      caught_walking =
          info && !absl::StrContains(*info, "aof_rewrite_walking_shards:0\r\n");
    }
    std::cout << "killed " << (caught_walking ? "while" : "after")
              << " the walk\n";
    round.killed_at = absl::Now();
    ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
    for (std::thread& t : clients) t.join();
  }
  std::vector<std::string> restart = *flags;
  restart.push_back("--shards=2");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(ShardBinary(), restart);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<RespClient> c =
      RespClient::ConnectTcp("127.0.0.1", (*server)->port());
  ASSERT_TRUE(c.ok()) << c.status();
  c->set_timeout(absl::Seconds(10));
  EXPECT_EQ(CheckRound(*c, 0, round, absl::Seconds(2)), 0);
  for (int i = 0; i < kPreloaded; i += 997) {
    EXPECT_EQ(*c->Command({"STRLEN", absl::StrCat("pre:", i)}), Integer(100))
        << i;
  }
}

}  // namespace
}  // namespace shardd::integration
