// Replies waiting for a client that does not read take bounded memory, also
// when another shard produces them: 1,024 pipelined GETs of a 1 MiB value
// owned by another shard than the connection's never make shardd hold more
// than 64 MiB more; the memory goes back once the client leaves. With
// --client_output_limit a client holding more is disconnected. A batch
// awaits at most 1,024 replies from other shards.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "shard/key_slot.h"
#include "tests/integration/admin_http.h"
#include "tests/integration/support/process_memory.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr uint32_t kShards = 2;
constexpr size_t kValueBytes = size_t{1} << 20;

// A key owned by `shard` (its cluster slot modulo the shard count).
std::string KeyOwnedBy(uint32_t shard) {
  for (int i = 0;; ++i) {
    std::string key = absl::StrCat("big:", i);
    if (KeySlot(key) % kShards == shard) return key;
  }
}

// The shard of the only connection, from INFO's "shard_<i>:connections=1".
std::optional<uint32_t> ShardWithOneConnection(const std::string& info) {
  for (uint32_t shard = 0; shard < kShards; ++shard) {
    if (info.find(absl::StrCat("shard_", shard, ":connections=1,")) !=
        std::string::npos) {
      return shard;
    }
  }
  return std::nullopt;
}

// The shard of `client`, the server's only connection.
absl::StatusOr<uint32_t> HomeShardOf(RespClient& client) {
  absl::StatusOr<std::string> info = client.Command({"INFO", "shards"});
  if (!info.ok()) return info.status();
  const std::optional<uint32_t> home = ShardWithOneConnection(*info);
  if (!home.has_value()) return absl::NotFoundError(*info);
  return *home;
}

class OutputMemoryTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", absl::StrCat("--shards=", kShards)};
  }

  // An integer field of /stats's totals.
  absl::StatusOr<int64_t> TotalsField(const std::string& name) {
    absl::StatusOr<std::string> stats =
        HttpGetBody(server().admin_port(), "/stats");
    if (!stats.ok()) return stats.status();
    const size_t totals = stats->find("\"totals\"");
    const std::string field = absl::StrCat("\"", name, "\":");
    const size_t at = totals == std::string::npos ? std::string::npos
                                                  : stats->find(field, totals);
    if (at == std::string::npos) {
      return absl::NotFoundError(
          absl::StrCat("no totals.", name, ": ", *stats));
    }
    return std::strtoll(stats->c_str() + at + field.size(), nullptr, 10);
  }
};

TEST_F(OutputMemoryTest, StalledClientWithCrossShardRepliesStaysBounded) {
  constexpr int kRequests = 1024;
  constexpr int64_t kMaxGrowthKb = 64 << 10;    // 64 MiB of the 1 GiB asked
  constexpr int64_t kMaxLeftoverKb = 16 << 10;  // once the client is gone
  int64_t most_grown = 0;
  std::optional<int64_t> start;
  {
    // The only connection, so INFO tells its shard; the key is the other's.
    absl::StatusOr<RespClient> stalled = Connect();
    ASSERT_TRUE(stalled.ok()) << stalled.status();
    const absl::StatusOr<uint32_t> home = HomeShardOf(*stalled);
    ASSERT_TRUE(home.ok()) << home.status();
    const std::string key = KeyOwnedBy((*home + 1) % kShards);
    ASSERT_EQ(*stalled->Command({"SET", key, std::string(kValueBytes, 'v')}),
              kOk);
    start = ResidentKb(server().pid());
    ASSERT_TRUE(start.has_value());

    std::string pipeline;
    for (int i = 0; i < kRequests; ++i) {
      pipeline += EncodeCommand({"GET", key});
    }
    // The server may stop reading (back-pressure): not all of it need go in.
    absl::StatusOr<size_t> sent =
        stalled->SendSome(pipeline, absl::Seconds(1));
    ASSERT_TRUE(sent.ok()) << sent.status();

    // The client never reads. Watch the high-water mark for 3 s, the time
    // this client stays stalled (the scenario, not a wait for an event).
    const absl::Time end = absl::Now() + absl::Seconds(3);
    while (absl::Now() < end && most_grown < kMaxGrowthKb) {
      const std::optional<int64_t> peak = PeakResidentKb(server().pid());
      ASSERT_TRUE(peak.has_value()) << "shardd exited";
      most_grown = std::max(most_grown, *peak - *start);
      absl::SleepFor(absl::Milliseconds(50));
    }
    std::cout << *sent << " of " << pipeline.size() << " request bytes taken, "
              << "peak RSS " << most_grown << " KiB over the start\n";
    EXPECT_LT(most_grown, kMaxGrowthKb)
        << "the server buffered replies for a client that does not read";
  }  // the stalled client goes away

  // Freed memory goes back to the system gradually (allocator decay).
  int64_t leftover = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  while (true) {
    const std::optional<int64_t> resident = ResidentKb(server().pid());
    ASSERT_TRUE(resident.has_value()) << "shardd exited";
    leftover = *resident - *start;
    if (leftover <= kMaxLeftoverKb || absl::Now() >= give_up) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_LE(leftover, kMaxLeftoverKb)
      << "memory not returned within 15 s of the client leaving";
  ExpectServerAnswers();
}

// Hop credit and the batch's bound on outstanding replies: shards sharing
// a CPU keep a thread each here, since shards on one thread run each
// other's commands with no hop (command_router.h).
class HopCreditTest : public OutputMemoryTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    std::vector<std::string> flags = OutputMemoryTest::ServerFlags();
    flags.push_back("--share_cpu_threads=false");
    return flags;
  }
};

// Owners refuse commands past a connection's credit and get them again
// later (hop_credit.h): replies still come in request order and every
// command runs in the order sent. Each round pipelines eight GETs of a
// 256 KiB value of another shard (2 MiB, twice the credit), an INCR of a
// counter there (refused with them), a GET of a key of the connection's own
// shard and an MGET split over both shards, which must see the INCR.
TEST_F(HopCreditTest, RepliesStayInOrderWhileOwnersWaitForCredit) {
  constexpr int kRounds = 40;
  constexpr int kGetsPerRound = 8;
  const std::string big(256 << 10, 'v');
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const absl::StatusOr<uint32_t> home = HomeShardOf(*client);
  ASSERT_TRUE(home.ok()) << home.status();
  const uint32_t other = (*home + 1) % kShards;
  const std::string remote = KeyOwnedBy(other);
  std::string counter;
  for (int i = 0; counter.empty(); ++i) {
    const std::string key = absl::StrCat("counter:", i);
    if (KeySlot(key) % kShards == other) counter = key;
  }
  const std::string local = KeyOwnedBy(*home);
  ASSERT_EQ(*client->Command({"SET", local, "here"}), kOk);
  ASSERT_EQ(*client->Command({"SET", remote, big}), kOk);

  std::string pipeline;
  std::vector<std::string> expected;
  const std::string big_reply =
      absl::StrCat("$", big.size(), "\r\n", big, "\r\n");
  for (int i = 1; i <= kRounds; ++i) {
    for (int g = 0; g < kGetsPerRound; ++g) {
      pipeline += EncodeCommand({"GET", remote});
      expected.push_back(big_reply);
    }
    pipeline += EncodeCommand({"INCR", counter});
    expected.push_back(absl::StrCat(":", i, "\r\n"));
    pipeline += EncodeCommand({"GET", local});
    expected.push_back("$4\r\nhere\r\n");
    const std::string count = absl::StrCat(i);
    pipeline += EncodeCommand({"MGET", counter, local});
    expected.push_back(absl::StrCat("*2\r\n$", count.size(), "\r\n", count,
                                    "\r\n$4\r\nhere\r\n"));
  }
  // The server reads as its replies are taken, so send while reading.
  absl::Status sent;
  std::thread sender([&] { sent = client->Send(pipeline); });
  int wrong = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    absl::StatusOr<std::string> reply = client->ReadReply();
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status();
    if (*reply != expected[i]) ++wrong;
  }
  sender.join();
  EXPECT_TRUE(sent.ok()) << sent;
  EXPECT_EQ(wrong, 0) << "replies out of order or from the wrong state";
  // The scenario happened: owners did refuse and run commands later.
  absl::StatusOr<int64_t> refused = TotalsField("hops_refused");
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_GT(*refused, 0);
}

// A batch stops executing once 1,024 replies from other shards are
// outstanding and sends what it has (resp_session.h): that is what bounds
// the messages one pipelining connection puts in the mailboxes. The
// connection first waits in a BLPOP while 5,000 GETs of another shard's
// key arrive; they are inline commands of 7 bytes, so that whatever one
// receive brings (16 KiB or more on every backend) holds over 2,000 of
// them for the next batch to run at once.
TEST_F(HopCreditTest, ABatchAwaitsAtMost1024RemoteReplies) {
  constexpr int kGets = 5000;
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const absl::StatusOr<uint32_t> home = HomeShardOf(*client);
  ASSERT_TRUE(home.ok()) << home.status();
  std::string remote;  // one letter
  for (char c = 'a'; c <= 'z' && remote.empty(); ++c) {
    const std::string key(1, c);
    if (KeySlot(key) % kShards != *home) remote = key;
  }
  ASSERT_FALSE(remote.empty());
  ASSERT_EQ(*client->Command({"SET", remote, "x"}), kOk);

  std::string pipeline = EncodeCommand({"BLPOP", "no-such-list", "1"});
  for (int i = 0; i < kGets; ++i)
    absl::StrAppend(&pipeline, "GET ", remote, "\r\n");
  absl::Status sent;
  std::thread sender([&] { sent = client->Send(pipeline); });
  std::vector<absl::StatusOr<std::string>> replies;
  for (int i = 0; i <= kGets; ++i) {
    replies.push_back(client->ReadReply());
    if (!replies.back().ok()) break;
  }
  sender.join();
  EXPECT_TRUE(sent.ok()) << sent;
  ASSERT_EQ(replies.size(), kGets + 1u) << replies.back().status();
  EXPECT_EQ(*replies[0], "*-1\r\n");  // BLPOP timed out
  int wrong = 0;
  for (int i = 1; i <= kGets; ++i) {
    if (*replies[i] != "$1\r\nx\r\n") ++wrong;
  }
  EXPECT_EQ(wrong, 0);

  absl::StatusOr<int64_t> high = TotalsField("hops_outstanding_high");
  ASSERT_TRUE(high.ok()) << high.status();
  // Reached (the batch had more than 1,024 GETs to run), never passed.
  EXPECT_EQ(*high, 1024);
}

class OutputLimitTest : public OutputMemoryTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", absl::StrCat("--shards=", kShards),
            "--client_output_limit=4194304"};
  }
};

// Replies of 8 MiB each (MGET of eight 1 MiB values) for a client that never
// reads: past the 4 MiB limit the server drops the client instead of holding
// them, as Redis's hard limit does.
TEST_F(OutputLimitTest, StalledClientPastTheLimitIsDisconnected) {
  constexpr int kRequests = 8;
  constexpr int kKeysPerRequest = 8;
  absl::StatusOr<RespClient> observer = Connect();
  ASSERT_TRUE(observer.ok()) << observer.status();
  ASSERT_EQ(*observer->Command({"SET", "big", std::string(kValueBytes, 'v')}),
            kOk);

  absl::StatusOr<RespClient> stalled = Connect();
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  // Counted by the server before the wait below looks for it to go.
  ASSERT_EQ(*stalled->Command({"PING"}), "+PONG\r\n");
  std::string pipeline;
  std::vector<std::string> mget = {"MGET"};
  mget.resize(1 + kKeysPerRequest, "big");
  for (int i = 0; i < kRequests; ++i) pipeline += EncodeCommand(mget);
  absl::StatusOr<size_t> sent = stalled->SendSome(pipeline, absl::Seconds(1));
  ASSERT_TRUE(sent.ok()) << sent.status();

  // Only the observer is left once the server has dropped the stalled client.
  std::string clients;
  EXPECT_TRUE(
      WaitForConnectedClients(*observer, 1, absl::Seconds(10), &clients))
      << "the stalled client is still connected: " << clients;

  // What the kernel had buffered comes first, then the end of the stream.
  stalled->set_timeout(absl::Seconds(10));
  absl::StatusOr<std::string> rest = stalled->ReadUntilClosed();
  EXPECT_TRUE(rest.ok()) << "not closed: " << rest.status();
  if (rest.ok()) {
    EXPECT_LT(rest->size(), kRequests * kKeysPerRequest * (kValueBytes + 16))
        << "every reply arrived: the client was not cut off";
  }
  ExpectServerAnswers();
}

}  // namespace
}  // namespace shardd::integration
