// Commands over keys of several shards are atomic and isolated, as in Redis
// (issue 13): against the real binary with 4 shards, concurrent clients
// race multi-key commands against single-key writers, and every
// acknowledged write is found in the final state; multi-key reads see one
// point in time; a randomized mix over a tiny key space never deadlocks.
#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/shard_keys.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr int kShards = 4;

// A key named after `stem` that shard `shard` of kShards owns.
std::string KeyOn(int shard, const std::string& stem) {
  return integration::KeyOn(static_cast<uint32_t>(shard), kShards, stem);
}

class AtomicityTest : public ShardServerTest {
 public:
  using ShardServerTest::ExpectServerAnswers;

  RespClient Client() {
    absl::StatusOr<RespClient> client = Connect();
    EXPECT_TRUE(client.ok()) << client.status();
    client->set_timeout(absl::Seconds(30));
    return *std::move(client);
  }

  // Sends `commands` as one pipeline and returns their replies.
  static std::vector<std::string> Pipeline(
      RespClient& client,
      const std::vector<std::vector<std::string>>& commands) {
    absl::StatusOr<std::vector<std::string>> replies =
        client.Pipeline(commands);
    EXPECT_TRUE(replies.ok()) << replies.status();
    return replies.ok() ? *std::move(replies) : std::vector<std::string>();
  }

  static std::string Call(RespClient& client,
                          const std::vector<std::string>& command) {
    absl::StatusOr<std::string> reply = client.Command(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : "";
  }
};

// The race of the issue: A pipelines SMOVEs from a set on one shard into a
// set on another while B adds to the destination one command at a time.
// Every reply says success, so the destination must end with both.
TEST_F(AtomicityTest, SmoveRaceLosesNoAcknowledgedWrite) {
  constexpr int kMembers = 2000;
  const std::string src = KeyOn(1, "src");
  const std::string dst = KeyOn(2, "dst");
  RespClient a = Client();
  RespClient b = Client();
  std::vector<std::string> sadd = {"SADD", src};
  for (int i = 0; i < kMembers; ++i) sadd.push_back(absl::StrCat("m", i));
  ASSERT_EQ(Call(a, sadd), Integer(kMembers));

  std::vector<std::vector<std::string>> moves;
  for (int i = 0; i < kMembers; ++i) {
    moves.push_back({"SMOVE", src, dst, absl::StrCat("m", i)});
  }
  std::vector<std::string> move_replies;
  std::thread mover([&] { move_replies = Pipeline(a, moves); });
  int added = 0;
  for (int i = 0; i < kMembers; ++i) {
    added += Call(b, {"SADD", dst, absl::StrCat("b", i)}) == Integer(1);
  }
  mover.join();
  EXPECT_EQ(added, kMembers);
  ASSERT_EQ(move_replies.size(), static_cast<size_t>(kMembers));
  for (const std::string& reply : move_replies) ASSERT_EQ(reply, Integer(1));
  EXPECT_EQ(Call(b, {"SCARD", dst}), Integer(2 * kMembers));
  EXPECT_EQ(Call(b, {"SCARD", src}), Integer(0));
}

// Elements move between lists and sets of every shard (LMOVE, RPOPLPUSH,
// SMOVE) while writers push new ones: nothing is lost or duplicated.
TEST_F(AtomicityTest, MoveStormsOverlappingWritersLoseNothing) {
  std::vector<std::string> lists;
  std::vector<std::string> sets;
  for (int s = 0; s < kShards; ++s) {
    lists.push_back(KeyOn(s, "list"));
    sets.push_back(KeyOn(s, "set"));
  }
  constexpr int kMovers = 3;
  constexpr int kWriters = 2;
  constexpr int kRounds = 4;
  constexpr int kPerRound = 200;
  std::atomic<int> pushed{0};
  std::atomic<int> added{0};
  std::vector<std::thread> threads;
  for (int m = 0; m < kMovers; ++m) {
    threads.emplace_back([&, m] {
      RespClient client = Client();
      absl::BitGen random;
      for (int round = 0; round < kRounds; ++round) {
        std::vector<std::vector<std::string>> batch;
        for (int i = 0; i < kPerRound; ++i) {
          const size_t from = absl::Uniform<size_t>(random, 0, kShards);
          const size_t to = absl::Uniform<size_t>(random, 0, kShards);
          switch ((i + m) % 3) {
            case 0:
              batch.push_back(
                  {"LMOVE", lists[from], lists[to], "LEFT", "RIGHT"});
              break;
            case 1:
              batch.push_back({"RPOPLPUSH", lists[from], lists[to]});
              break;
            default:
              batch.push_back(
                  {"SMOVE", sets[from], sets[to],
                   absl::StrCat("w", absl::Uniform(random, 0, 50))});
          }
        }
        for (const std::string& reply : Pipeline(client, batch)) {
          ASSERT_NE(reply[0], '-') << reply;
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      RespClient client = Client();
      for (int i = 0; i < kRounds * kPerRound / 2; ++i) {
        const std::string element = absl::StrCat("w", w, "-", i);
        if (Call(client, {"RPUSH", lists[i % kShards], element})[0] == ':') {
          ++pushed;
        }
        if (Call(client, {"SADD", sets[(i + 1) % kShards], element}) ==
            Integer(1)) {
          ++added;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();

  RespClient check = Client();
  std::multiset<std::string> in_lists;
  for (const std::string& list : lists) {
    const std::optional<std::vector<std::string>> items =
        BulkArrayOf(Call(check, {"LRANGE", list, "0", "-1"}));
    ASSERT_TRUE(items.has_value());
    in_lists.insert(items->begin(), items->end());
  }
  EXPECT_EQ(in_lists.size(), static_cast<size_t>(pushed.load()));
  EXPECT_EQ(std::set<std::string>(in_lists.begin(), in_lists.end()).size(),
            in_lists.size());
  int64_t in_sets = 0;
  for (const std::string& set : sets) {
    in_sets += IntegerOf(Call(check, {"SCARD", set})).value_or(-1);
  }
  EXPECT_EQ(in_sets, added.load());
}

// RENAMENX moves counters between names on different shards while other
// clients INCR both names: RENAMENX never overwrites, so the counters' sum
// is exactly the acknowledged INCRs, whatever the interleaving.
TEST_F(AtomicityTest, RenameStormLosesNoIncrement) {
  constexpr int kPairs = 4;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int p = 0; p < kPairs; ++p) {
    pairs.emplace_back(KeyOn(p % kShards, absl::StrCat("here", p)),
                       KeyOn((p + 1) % kShards, absl::StrCat("there", p)));
  }
  std::atomic<int64_t> increments{0};
  std::vector<std::thread> threads;
  for (int m = 0; m < 2; ++m) {
    threads.emplace_back([&, m] {
      RespClient client = Client();
      for (int round = 0; round < 10; ++round) {
        std::vector<std::vector<std::string>> batch;
        for (int i = 0; i < 100; ++i) {
          const auto& [a, b] = pairs[(i + m) % kPairs];
          if ((i + round) % 2 == 0) {
            batch.push_back({"RENAMENX", a, b});
          } else {
            batch.push_back({"RENAMENX", b, a});
          }
        }
        for (const std::string& reply : Pipeline(client, batch)) {
          // 1, 0 (target exists) or "no such key": never anything else.
          ASSERT_TRUE(reply == Integer(1) || reply == Integer(0) ||
                      reply == "-ERR no such key\r\n")
              << reply;
        }
      }
    });
  }
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      RespClient client = Client();
      for (int i = 0; i < 400; ++i) {
        const auto& [a, b] = pairs[(i + w) % kPairs];
        if (Call(client, {"INCR", i % 2 == 0 ? a : b})[0] == ':') ++increments;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  RespClient check = Client();
  int64_t sum = 0;
  for (const auto& [a, b] : pairs) {
    for (const std::string& key : {a, b}) {
      const std::optional<std::string> value =
          BulkOf(Call(check, {"GET", key}));
      if (value) sum += ParseInt64(*value).value_or(-1000000);
    }
  }
  EXPECT_EQ(sum, increments.load());
}

// MSETs of two keys on different shards, read back by pipelined MGETs
// from another client meanwhile: the two values are always from the same
// MSET.
TEST_F(AtomicityTest, MgetSeesOnePointInTime) {
  const std::string a = KeyOn(0, "pair");
  const std::string b = KeyOn(3, "pair");
  RespClient writer_client = Client();
  ASSERT_EQ(Call(writer_client, {"MSET", a, "0", b, "0"}), "+OK\r\n");
  std::atomic<bool> reader_done{false};
  std::thread writer([&] {
    for (int round = 0; round < 500 && !reader_done.load(); ++round) {
      std::vector<std::vector<std::string>> batch;
      for (int i = 0; i < 100; ++i) {
        const std::string value = absl::StrCat(round * 100 + i);
        batch.push_back({"MSET", a, value, b, value});
      }
      Pipeline(writer_client, batch);
    }
  });
  RespClient reader = Client();
  const std::vector<std::vector<std::string>> reads(100, {"MGET", a, b});
  int torn = 0;
  std::set<std::string> seen;
  for (int round = 0; round < 30; ++round) {
    for (const std::string& reply : Pipeline(reader, reads)) {
      const std::optional<std::vector<std::string>> values = BulkArrayOf(reply);
      ASSERT_TRUE(values.has_value() && values->size() == 2) << reply;
      torn += (*values)[0] != (*values)[1];
      seen.insert((*values)[0]);
    }
  }
  reader_done = true;
  writer.join();
  EXPECT_EQ(torn, 0);
  // The reads overlapped the writes (else the test shows nothing).
  EXPECT_GT(seen.size(), 1u);
}

// Four shards with a thread each: an MGET over all four asks the three
// other threads at once (Transaction::LockAtOnce), and goes on one shard
// after another where a try finds a key held by a write in flight.
class AtomicityThreadPerShardTest : public AtomicityTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--shards=4", "--share_cpu_threads=false"};
  }
};

// What the thread-per-shard tests write: a key on every shard, all set to
// one value at a time by WATCHed MULTI/EXEC blocks, which lock their shards
// one after another and never try (so every refused try is a reader's).
class EveryShardWriter {
 public:
  EveryShardWriter(AtomicityTest& test, const std::string& stem)
      : client_(test.Client()) {
    for (int s = 0; s < kShards; ++s) keys_.push_back(KeyOn(s, stem));
    AtomicityTest::Pipeline(client_, Block("0"));
  }
  const std::vector<std::string>& keys() const { return keys_; }

  // Writes until `stop` (or a bound), in its own thread.
  void Start(const std::atomic<bool>& stop) {
    thread_ = std::thread([this, &stop] {
      for (int round = 0; round < 2000 && !stop.load(); ++round) {
        std::vector<std::vector<std::string>> batch;
        for (int i = 0; i < 20; ++i) {
          for (auto& command : Block(absl::StrCat(round * 20 + i + 1))) {
            batch.push_back(std::move(command));
          }
        }
        AtomicityTest::Pipeline(client_, batch);
      }
    });
  }
  void Join() { thread_.join(); }

 private:
  std::vector<std::vector<std::string>> Block(const std::string& value) {
    std::vector<std::vector<std::string>> block = {
        {"WATCH", KeyOn(0, "never-written")}, {"MULTI"}};
    for (const std::string& key : keys_) block.push_back({"SET", key, value});
    block.push_back({"EXEC"});
    return block;
  }

  RespClient client_;
  std::vector<std::string> keys_;
  std::thread thread_;
};

// The refused tries so far (INFO lock_tries_refused).
int64_t TriesRefused(RespClient& client) {
  return InfoInteger(AtomicityTest::Call(client, {"INFO", "stats"}),
                     "lock_tries_refused")
      .value_or(0);
}

// Two clients' pipelined MGETs and EXISTS of a key on every shard, while
// they are written together: the values are always of one write. The reads
// go on until some of their tries were refused, so both ways of locking
// are shown. A part read again after a refusal does not count its keys'
// lookups again: keyspace hits and misses add up to one per key read.
TEST_F(AtomicityThreadPerShardTest, ReadsOverEveryShardSeeOnePointInTime) {
  {
    RespClient admin = Client();
    ASSERT_EQ(Call(admin, {"CONFIG", "RESETSTAT"}), "+OK\r\n");
  }
  EveryShardWriter writer(*this, "every");
  const std::vector<std::string>& keys = writer.keys();
  std::vector<std::string> mget = {"MGET"};
  mget.insert(mget.end(), keys.begin(), keys.end());
  std::vector<std::string> exists = {"EXISTS"};
  exists.insert(exists.end(), keys.begin(), keys.end());
  std::atomic<bool> readers_done{false};
  writer.Start(readers_done);
  std::atomic<int> torn{0};
  std::atomic<int> not_all_there{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> reads_done{0};
  std::vector<std::set<std::string>> seen(2);
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      RespClient reader = Client();
      std::vector<std::vector<std::string>> reads;
      for (int i = 0; i < 50; ++i) reads.push_back(i % 5 == 4 ? exists : mget);
      for (int round = 0; round < 400; ++round) {
        const std::vector<std::string> replies = Pipeline(reader, reads);
        if (replies.size() != reads.size()) break;  // (Pipeline failed)
        reads_done += static_cast<int64_t>(replies.size());
        for (const std::string& reply : replies) {
          if (reply[0] == ':') {
            not_all_there += reply != ":4\r\n";
            continue;
          }
          const std::optional<std::vector<std::string>> values =
              BulkArrayOf(reply);
          if (!values.has_value() || values->size() != keys.size()) {
            ADD_FAILURE() << "not an MGET of every key: " << reply;
            ++torn;
            continue;
          }
          for (const std::string& value : *values) {
            torn += value != values->front();
          }
          seen[r].insert(values->front());
        }
        if (round % 10 == 9) {
          refused = TriesRefused(reader);
          if (round >= 30 && refused.load() > 0) break;
        }
      }
    });
  }
  for (std::thread& t : readers) t.join();
  readers_done = true;
  writer.Join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(not_all_there.load(), 0);
  EXPECT_GT(refused.load(), 0);
  // The reads overlapped the writes (else the test shows nothing).
  EXPECT_GT(seen[0].size(), 1u);
  EXPECT_GT(seen[1].size(), 1u);
  RespClient admin = Client();
  const std::string stats = Call(admin, {"INFO", "stats"});
  EXPECT_EQ(InfoInteger(stats, "keyspace_hits").value_or(-1) +
                InfoInteger(stats, "keyspace_misses").value_or(-1),
            reads_done.load() * static_cast<int64_t>(keys.size()))
      << stats;
}

// MULTI/EXEC blocks of single-key commands over every shard (redis-py's
// default pipeline) lock their owners all at once when nothing is WATCHed:
// blocks of GETs of the four keys always see the four values of one
// write, until some of their tries were refused (a part read again then
// replaces its reply).
TEST_F(AtomicityThreadPerShardTest, ExecOverEveryShardSeesOnePointInTime) {
  EveryShardWriter writer(*this, "exec");
  const std::vector<std::string>& keys = writer.keys();
  std::vector<std::vector<std::string>> reads;
  for (int i = 0; i < 20; ++i) {
    reads.push_back({"MULTI"});
    for (const std::string& key : keys) reads.push_back({"GET", key});
    reads.push_back({"EXEC"});
  }
  std::atomic<bool> reader_done{false};
  writer.Start(reader_done);
  RespClient reader = Client();
  int torn = 0;
  int64_t refused = 0;
  std::set<std::string> seen;
  for (int round = 0; round < 400; ++round) {
    const std::vector<std::string> replies = Pipeline(reader, reads);
    if (replies.size() != reads.size()) break;  // (Pipeline failed)
    for (size_t i = keys.size() + 1; i < replies.size(); i += keys.size() + 2) {
      const std::optional<std::vector<std::string>> values =
          BulkArrayOf(replies[i]);
      if (!values.has_value() || values->size() != keys.size()) {
        ADD_FAILURE() << "not an EXEC of " << keys.size()
                      << " values: " << replies[i];
        ++torn;
        continue;
      }
      for (const std::string& value : *values) {
        torn += value != values->front();
      }
      seen.insert(values->front());
    }
    if (round % 10 == 9) {
      refused = TriesRefused(reader);
      if (round >= 30 && refused > 0) break;
    }
  }
  reader_done = true;
  writer.Join();
  EXPECT_EQ(torn, 0);
  EXPECT_GT(refused, 0);
  EXPECT_GT(seen.size(), 1u);  // the reads overlapped the writes
}

// Whole-keyspace commands see multi-key commands whole too: while a client
// creates and deletes two keys of different shards together, DBSIZE and
// KEYS never see one of them without the other.
void RunDbsizeAndKeysAgainstPairs(AtomicityTest& test) {
  const std::string a = KeyOn(1, "both");
  const std::string b = KeyOn(2, "both");
  RespClient writer_client = test.Client();
  std::atomic<bool> reader_done{false};
  std::thread writer([&] {
    for (int round = 0; round < 500 && !reader_done.load(); ++round) {
      std::vector<std::vector<std::string>> batch;
      for (int i = 0; i < 50; ++i) {
        batch.push_back({"MSET", a, "1", b, "1"});
        batch.push_back({"DEL", a, b});
      }
      // Every other batch leaves both keys: where the shards share a
      // thread a whole batch may run between two reads, which then see
      // only what batches leave.
      if (round % 2 == 1) batch.push_back({"MSET", a, "1", b, "1"});
      AtomicityTest::Pipeline(writer_client, batch);
    }
  });
  RespClient reader = test.Client();
  std::set<std::string> sizes;
  int torn = 0;
  // At least 20 rounds, and on (a bounded while) until the reads have met
  // the writes: on a loaded machine the writer may start late.
  for (int round = 0; round < 20 || (sizes.size() < 2 && round < 400);
       ++round) {
    std::vector<std::vector<std::string>> reads;
    for (int i = 0; i < 50; ++i) {
      reads.push_back({"DBSIZE"});
      reads.push_back({"KEYS", "both:*"});
    }
    const std::vector<std::string> replies =
        AtomicityTest::Pipeline(reader, reads);
    for (size_t i = 0; i + 1 < replies.size(); i += 2) {
      sizes.insert(replies[i]);
      torn += replies[i] == Integer(1);
      torn += replies[i + 1].substr(0, 4) == "*1\r\n";
    }
  }
  reader_done = true;
  writer.join();
  EXPECT_EQ(torn, 0);
  EXPECT_EQ(sizes.size(), 2u);  // both states were seen: the reads overlapped
}

TEST_F(AtomicityTest, DbsizeAndKeysNeverSeeHalfAMultiKeyCommand) {
  RunDbsizeAndKeysAgainstPairs(*this);
}

// Bank transfers: 8 clients move money between 100 accounts on every shard
// with MULTI; DECRBY; INCRBY; EXEC while 2 clients read every balance in
// one MULTI / MGET / EXEC: each read, and the end, sums to the total.
TEST_F(AtomicityTest, BankTransfersKeepTheSumInEveryRead) {
  constexpr int kAccounts = 100;
  constexpr int kInitial = 1000;
  std::vector<std::string> accounts;
  std::vector<std::string> mset = {"MSET"};
  for (int i = 0; i < kAccounts; ++i) {
    accounts.push_back(absl::StrCat("account:", i));
    mset.push_back(accounts.back());
    mset.push_back(absl::StrCat(kInitial));
  }
  RespClient setup = Client();
  ASSERT_EQ(Call(setup, mset), "+OK\r\n");
  std::vector<std::string> mget = {"MGET"};
  mget.insert(mget.end(), accounts.begin(), accounts.end());

  std::atomic<int> transfers_done{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < 8; ++c) {
    threads.emplace_back([&, c] {
      RespClient client = Client();
      absl::BitGen random(std::seed_seq{c});
      for (int round = 0; round < 20; ++round) {
        std::vector<std::vector<std::string>> batch;
        for (int t = 0; t < 10; ++t) {
          const std::string& from =
              accounts[absl::Uniform(random, 0, kAccounts)];
          const std::string& to = accounts[absl::Uniform(random, 0, kAccounts)];
          const std::string amount = absl::StrCat(absl::Uniform(random, 1, 50));
          batch.push_back({"MULTI"});
          batch.push_back({"DECRBY", from, amount});
          batch.push_back({"INCRBY", to, amount});
          batch.push_back({"EXEC"});
        }
        const std::vector<std::string> replies = Pipeline(client, batch);
        for (size_t i = 3; i < replies.size(); i += 4) {
          ASSERT_EQ(replies[i].substr(0, 4), "*2\r\n") << replies[i];
          ++transfers_done;
        }
      }
    });
  }
  std::atomic<int> reads{0};
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      RespClient client = Client();
      for (int i = 0; i < 100; ++i) {
        const std::vector<std::string> replies =
            Pipeline(client, {{"MULTI"}, mget, {"EXEC"}});
        ASSERT_EQ(replies.size(), 3u);
        ASSERT_EQ(replies[1], "+QUEUED\r\n");
        // EXEC's reply: an array holding MGET's array.
        const std::string& exec = replies[2];
        ASSERT_EQ(exec.substr(0, 4), "*1\r\n") << exec;
        const std::optional<std::vector<std::string>> balances =
            BulkArrayOf(exec.substr(4));
        ASSERT_TRUE(balances.has_value()) << exec;
        int64_t sum = 0;
        for (const std::string& balance : *balances) {
          sum += ParseInt64(balance).value_or(-1000000);
        }
        ASSERT_EQ(sum, kAccounts * kInitial) << "read " << i;
        ++reads;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(transfers_done.load(), 8 * 20 * 10);
  EXPECT_EQ(reads.load(), 200);
  const std::optional<std::vector<std::string>> balances =
      BulkArrayOf(Call(setup, mget));
  ASSERT_TRUE(balances.has_value());
  int64_t sum = 0;
  for (const std::string& balance : *balances) {
    sum += ParseInt64(balance).value_or(-1000000);
  }
  EXPECT_EQ(sum, kAccounts * kInitial);
}

// Random multi-key commands over six keys spread on every shard, from six
// pipelining clients: each gets all its replies (a deadlock would leave
// them waiting past RespClient's timeout).
void RunRandomMultiKeyMix(AtomicityTest& test) {
  std::vector<std::string> keys;
  for (int s = 0; s < kShards; ++s) keys.push_back(KeyOn(s, "k"));
  keys.push_back(KeyOn(1, "k2"));
  keys.push_back(KeyOn(2, "k2"));
  std::vector<std::thread> threads;
  for (int c = 0; c < 6; ++c) {
    threads.emplace_back([&, c] {
      RespClient client = test.Client();
      absl::BitGen random(std::seed_seq{c});
      auto key = [&] {
        return keys[absl::Uniform<size_t>(random, 0, keys.size())];
      };
      std::vector<std::vector<std::string>> batch;
      for (int i = 0; i < 400; ++i) {
        switch (absl::Uniform(random, 0, 9)) {
          case 0:
            batch.push_back({"MSET", key(), "1", key(), "2", key(), "3"});
            break;
          case 1:
            batch.push_back({"MGET", key(), key(), key()});
            break;
          case 2:
            batch.push_back({"RENAME", key(), key()});
            break;
          case 3:
            batch.push_back({"SUNIONSTORE", key(), key(), key()});
            break;
          case 4:
            batch.push_back({"DEL", key(), key()});
            break;
          case 5:
            batch.push_back({"SET", key(), "x"});
            break;
          case 6:
            batch.push_back(
                {"MSET", key(), "4", key(), "5", key(), "6", key(), "7"});
            break;
          case 7:
            batch.push_back({"EXISTS", key(), key(), key(), key()});
            break;
          default:
            batch.push_back({"COPY", key(), key(), "REPLACE"});
            break;
        }
      }
      absl::StatusOr<std::vector<std::string>> replies = client.Pipeline(batch);
      ASSERT_TRUE(replies.ok()) << replies.status();
      EXPECT_EQ(replies->size(), batch.size());
    });
  }
  for (std::thread& t : threads) t.join();
  test.ExpectServerAnswers();
}

TEST_F(AtomicityTest, RandomMultiKeyMixNeverDeadlocks) {
  RunRandomMultiKeyMix(*this);
}

// DBSIZE and KEYS over four shards with a thread each ask them all at once
// (whole-shard tries).
TEST_F(AtomicityThreadPerShardTest, DbsizeAndKeysNeverSeeHalfAMultiKeyCommand) {
  RunDbsizeAndKeysAgainstPairs(*this);
}

// The same where commands over several shards may ask them all at once.
TEST_F(AtomicityThreadPerShardTest, RandomMultiKeyMixNeverDeadlocks) {
  RunRandomMultiKeyMix(*this);
}

}  // namespace
}  // namespace shardd::integration
