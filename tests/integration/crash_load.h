// What the crash tests share (crash_recovery_test, power_loss_test): a
// load of writes of several kinds from kClients clients, each recording
// what it had acknowledged and when, and the check of a recovered server
// against those records.
//
//   Round round{shards, always, std::vector<Acknowledged>(kClients), {}};
//   std::thread t(RunClient, port, r, client, shards, &round.clients[client]);
//   ... crash, restart ...
//   CheckRound(resp_client, r, round, absl::Seconds(2));
#ifndef SHARDD_TESTS_INTEGRATION_CRASH_LOAD_H_
#define SHARDD_TESTS_INTEGRATION_CRASH_LOAD_H_

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {

inline constexpr int kClients = 6;

// What one client had acknowledged in one round, with when.
struct Acknowledged {
  std::vector<std::pair<int, absl::Time>> sets;    // str:<r>:<c>:<i> = i
  std::vector<std::pair<int, absl::Time>> fields;  // h:<r>:<c> field i = i
  int64_t increments = 0;                          // ctr:<r>:<c>
  int64_t pushes = 0;                              // l:<r>:<c>
  int64_t transactions = 0;  // MULTI, INCR of each SpreadKeys("tx"), EXEC
  absl::Time last_transaction = absl::InfinitePast();
  // MSET of each SpreadKeys("ms") to i: the last acknowledged i, and when.
  std::optional<std::pair<int, absl::Time>> last_mset;
  absl::Time last_ack = absl::InfinitePast();
};

inline std::string Name(const char* what, int round, int client) {
  return absl::StrCat(what, ":", round, ":", client);
}

// A key of a client's on each shard of the count the round runs with (a
// step over them all: with 4 shards, it asks them at once).
inline std::vector<std::string> SpreadKeys(const char* what, int round,
                                           int client, int shards) {
  std::vector<std::string> keys;
  for (int s = 0; s < shards; ++s) {
    keys.push_back(KeyOn(static_cast<uint32_t>(s), shards,
                         absl::StrCat(Name(what, round, client), ":", s)));
  }
  return keys;
}

// One client's load until the server dies (or a bound passes).
inline void RunClient(int port, int round, int client, int shards,
                      Acknowledged* acked) {
  absl::StatusOr<RespClient> c = RespClient::ConnectTcp("127.0.0.1", port);
  if (!c.ok()) return;
  c->set_timeout(absl::Seconds(5));
  const std::vector<std::string> tx_keys =
      SpreadKeys("tx", round, client, shards);
  const std::vector<std::string> mset_keys =
      SpreadKeys("ms", round, client, shards);
  for (int i = 0; i < 1'000'000; ++i) {
    absl::StatusOr<std::string> reply;
    switch (i % 6) {
      case 0:
        reply =
            c->Command({"SET", absl::StrCat(Name("str", round, client), ":", i),
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
        reply = c->Command({"HSET", Name("h", round, client), absl::StrCat(i),
                            absl::StrCat(i)});
        if (!reply.ok() || !IntegerOf(*reply)) return;
        acked->fields.push_back({i, absl::Now()});
        break;
      case 3:
        reply =
            c->Command({"LPUSH", Name("l", round, client), absl::StrCat(i)});
        if (!reply.ok() || !IntegerOf(*reply)) return;
        ++acked->pushes;
        break;
      case 4: {
        std::string tx = EncodeCommand({"MULTI"});
        for (const std::string& key : tx_keys) {
          tx += EncodeCommand({"INCR", key});
        }
        tx += EncodeCommand({"EXEC"});
        if (!c->Send(tx).ok()) return;
        for (size_t r = 0; r < tx_keys.size() + 2; ++r) {
          reply = c->ReadReply();
          if (!reply.ok()) return;  // the server died
          // +OK for MULTI, +QUEUED for each INCR, then EXEC's array.
          const bool last = r == tx_keys.size() + 1;
          const bool expected =
              last ? (*reply)[0] == '*'
                   : *reply == (r == 0 ? kOk : std::string_view("+QUEUED\r\n"));
          if (!expected) {
            ADD_FAILURE() << "MULTI/EXEC over every shard: " << *reply;
            return;
          }
        }
        ++acked->transactions;
        acked->last_transaction = absl::Now();
        break;
      }
      case 5: {
        std::vector<std::string> mset = {"MSET"};
        for (const std::string& key : mset_keys) {
          mset.push_back(key);
          mset.push_back(absl::StrCat(i));
        }
        reply = c->Command(mset);
        if (!reply.ok()) return;
        if (*reply != kOk) {
          ADD_FAILURE() << "MSET over every shard: " << *reply;
          return;
        }
        acked->last_mset = {i, absl::Now()};
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
inline int64_t CounterAt(RespClient& c, const std::string& key) {
  const std::optional<std::string> value = BulkOf(*c.Command({"GET", key}));
  if (!value) return 0;
  return ParseInt64(*value).value_or(-1);
}

// Checks round `r` against the recovered server; under everysec returns
// how many acknowledged writes are missing (each acknowledged within
// `window` of the kill), under always fails on any. `oldest`, if given,
// gets how long before the kill the earliest of those was acknowledged.
inline int64_t CheckRound(RespClient& c, int r, const Round& round,
                          absl::Duration window,
                          absl::Duration* oldest = nullptr) {
  int64_t missing = 0;
  auto lost = [&](absl::Time acked_at, const std::string& what) {
    ++missing;
    if (oldest != nullptr) {
      *oldest = std::max(*oldest, round.killed_at - acked_at);
    }
    EXPECT_FALSE(round.always) << "round " << r << ": lost " << what;
    EXPECT_GE(acked_at, round.killed_at - window)
        << "round " << r << ": lost " << what << ", acknowledged "
        << absl::FormatDuration(round.killed_at - acked_at)
        << " before the kill";
  };
  for (int client = 0; client < kClients; ++client) {
    const Acknowledged& a = round.clients[client];
    for (const auto& [i, at] : a.sets) {
      const std::string key = absl::StrCat(Name("str", r, client), ":", i);
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
    std::vector<int64_t> tx_counts;
    for (const std::string& key : SpreadKeys("tx", r, client, round.shards)) {
      tx_counts.push_back(CounterAt(c, key));
    }
    std::vector<int64_t> mset_values;
    for (const std::string& key : SpreadKeys("ms", r, client, round.shards)) {
      mset_values.push_back(CounterAt(c, key));
    }
    // One command of each kind may have been in flight, done but not
    // acknowledged.
    EXPECT_LE(counter, a.increments + 1) << "round " << r;
    EXPECT_LE(pushes, a.pushes + 1) << "round " << r;
    for (int64_t count : tx_counts) {
      EXPECT_EQ(count, tx_counts.front())
          << "round " << r << ": a transaction over every shard is half there";
    }
    for (int64_t value : mset_values) {
      EXPECT_EQ(value, mset_values.front())
          << "round " << r << ": an MSET over every shard is half there";
    }
    EXPECT_LE(tx_counts.front(), a.transactions + 1) << "round " << r;
    if (counter < a.increments) lost(a.last_ack, "increments");
    if (pushes < a.pushes) lost(a.last_ack, "pushes");
    if (tx_counts.front() < a.transactions) {
      lost(a.last_transaction, "transactions");
    }
    if (a.last_mset.has_value() && mset_values.front() < a.last_mset->first) {
      lost(a.last_mset->second, "an MSET");
    }
  }
  return missing;
}

// Starts round `r`'s clients against the server on `port`.
inline std::vector<std::thread> StartLoad(int port, int r, Round& round) {
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(RunClient, port, r, c, round.shards,
                         &round.clients[c]);
  }
  return clients;
}

// Under load: no reply has been released before its record was durable.
inline void ExpectNoReplyBeforeDurable(RespClient& c) {
  const std::optional<std::string> info =
      BulkOf(*c.Command({"INFO", "persistence"}));
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(absl::StrContains(*info, "aof_replies_before_durable:0\r\n"))
      << *info;
}

// After the crash: waits for the clients, and prints and checks that they
// had writes acknowledged.
inline void JoinLoad(std::vector<std::thread>& clients, int r,
                     const Round& round, const char* crash) {
  for (std::thread& t : clients) t.join();
  int64_t acknowledged = 0;
  int64_t transactions = 0;
  int64_t msets = 0;
  for (const Acknowledged& a : round.clients) {
    acknowledged += static_cast<int64_t>(a.sets.size() + a.fields.size()) +
                    a.increments + a.pushes + a.transactions;
    transactions += a.transactions;
    msets += a.last_mset.has_value() ? 1 : 0;
  }
  std::cout << "round " << r << " (" << round.shards << " shards, "
            << (round.always ? "always" : "everysec") << "): " << acknowledged
            << " writes acknowledged before " << crash << "\n";
  EXPECT_GT(acknowledged, 0);
  // The steps over every shard ran (each client's load goes through every
  // kind of write every 6 commands).
  EXPECT_GT(transactions, 0);
  EXPECT_GT(msets, 0);
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_CRASH_LOAD_H_
