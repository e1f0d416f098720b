// Wire-level behaviour of shardd as seen by a client: pipelining, large
// values, malformed input, a client that does not read, QUIT, half-close.
#include <sys/socket.h>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/support/process_memory.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

class ProtocolTest : public ShardServerTest {};

TEST_F(ProtocolTest, PipelinedCommandsAreAnsweredInOrder) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();

  // 250 groups of 4 = 1000 commands in one write. The keys spread over all
  // shards and MGET spans two of them, so replies produced on different
  // shards must still come back in request order; the shared counter makes
  // any reordering visible.
  std::string pipeline;
  std::vector<std::string> expected;
  for (int i = 0; i < 250; ++i) {
    const std::string key = absl::StrCat("pipeline:", i);
    const std::string earlier_key = absl::StrCat("pipeline:", i / 2);
    const std::string value = absl::StrCat("value-", i);
    pipeline += EncodeCommand({"SET", key, value});
    expected.push_back(std::string(kOk));
    pipeline += EncodeCommand({"GET", key});
    expected.push_back(Bulk(value));
    pipeline += EncodeCommand({"INCR", "pipeline:counter"});
    expected.push_back(Integer(i + 1));
    pipeline += EncodeCommand({"MGET", earlier_key, key});
    expected.push_back(absl::StrCat(
        "*2\r\n", Bulk(absl::StrCat("value-", i / 2)), Bulk(value)));
  }
  ASSERT_TRUE(client->Send(pipeline).ok());

  for (size_t i = 0; i < expected.size(); ++i) {
    absl::StatusOr<std::string> reply = client->ReadReply();
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status();
    ASSERT_EQ(*reply, expected[i]) << "reply " << i << " out of order or wrong";
  }
}

// Empty lines are requests that do nothing (as in Redis). A megabyte of them
// must cost about a megabyte of parsing: looking ahead for keys to prefetch
// once re-parsed all remaining empty lines for each one, which took minutes
// here and blocked the shard; the client's 10 s read deadline catches that.
TEST_F(ProtocolTest, AMegabyteOfEmptyLinesIsCheap) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(client->Send(std::string(1 << 20, '\n')).ok());
  ASSERT_TRUE(client->Send(EncodeCommand({"PING"})).ok());
  absl::StatusOr<std::string> pong = client->ReadReply();
  ASSERT_TRUE(pong.ok()) << pong.status();
  EXPECT_EQ(*pong, "+PONG\r\n");
}

TEST_F(ProtocolTest, EightMegabyteValueRoundTrips) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  client->set_timeout(absl::Seconds(30));

  // Every byte value, CR and LF included: the value is binary-safe payload.
  std::string value(8 << 20, '\0');
  for (size_t i = 0; i < value.size(); ++i) {
    value[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  }
  absl::StatusOr<std::string> set = client->Command({"SET", "big", value});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(*set, kOk);

  absl::StatusOr<std::string> get = client->Command({"GET", "big"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_TRUE(*get == Bulk(value)) << "GET returned " << Printable(*get, 80);

  absl::StatusOr<std::string> length = client->Command({"STRLEN", "big"});
  ASSERT_TRUE(length.ok()) << length.status();
  EXPECT_EQ(*length, Integer(8 << 20));
}

struct GarbageCase {
  std::string input;
  std::string reply;  // Redis 7.0's reply to the same bytes
};

TEST_F(ProtocolTest, GarbageGetsProtocolErrorAndCloseButServerLives) {
  const std::vector<GarbageCase> cases = {
      {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*2\r\n$3\r\nGET\r\n$-1\r\n",
       "-ERR Protocol error: invalid bulk length\r\n"},
      {"*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n"},
  };
  for (const GarbageCase& garbage : cases) {
    SCOPED_TRACE(Printable(garbage.input));
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    // A valid command first: the error must not poison what came before.
    ASSERT_TRUE(client->Send(EncodeCommand({"PING"}) + garbage.input).ok());
    absl::StatusOr<std::string> received = client->ReadUntilClosed();
    ASSERT_TRUE(received.ok())
        << "connection not closed: " << received.status();
    EXPECT_EQ(Printable(*received), Printable("+PONG\r\n" + garbage.reply));
    ExpectServerAnswers();
  }
}

TEST_F(ProtocolTest, ClientVanishingMidCommandDoesNotHurtServer) {
  {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE(client->Send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc").ok());
  }  // closed with half a command sent
  ExpectServerAnswers();
}

// A client blocked without timeout that goes away must not keep its
// connection (and its --maxclients slot) until the key gets data: the
// server looks at a blocked client's socket once a second. Waits, bounded,
// for the server to count one connection (the observer's) again.
TEST_F(ProtocolTest, BlockedClientThatDisconnectsIsDropped) {
  {
    absl::StatusOr<RespClient> blocked = Connect();
    ASSERT_TRUE(blocked.ok()) << blocked.status();
    ASSERT_TRUE(blocked->Send(EncodeCommand({"BLPOP", "nothing", "0"})).ok());
  }  // closed while blocked
  absl::StatusOr<RespClient> observer = Connect();
  ASSERT_TRUE(observer.ok()) << observer.status();
  std::string clients;
  EXPECT_TRUE(
      WaitForConnectedClients(*observer, 1, absl::Seconds(10), &clients))
      << clients;
  // The key getting data later finds no waiter to serve.
  absl::StatusOr<std::string> pushed =
      observer->Command({"RPUSH", "nothing", "x"});
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_EQ(*pushed, ":1\r\n");
}

TEST_F(ProtocolTest, QuitRepliesOkAndCloses) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(client->Send(EncodeCommand({"QUIT"})).ok());
  absl::StatusOr<std::string> received = client->ReadUntilClosed();
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_EQ(*received, kOk);
  ExpectServerAnswers();
}

// A client that sends its requests and then half-closes (shutdown(SHUT_WR),
// as `nc -N` does) gets every reply, then the close: the requests and the
// end of the stream may arrive, and be read, together.
TEST_F(ProtocolTest, HalfClosedClientGetsItsRepliesThenTheClose) {
  for (int round = 0; round < 20; ++round) {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE(client->Send(EncodeCommand({"PING"}) +
                             EncodeCommand({"ECHO", "half"}))
                    .ok());
    ASSERT_EQ(shutdown(client->fd(), SHUT_WR), 0);
    absl::StatusOr<std::string> received = client->ReadUntilClosed();
    ASSERT_TRUE(received.ok())
        << "round " << round << ": connection not closed: "
        << received.status();
    EXPECT_EQ(*received, "+PONG\r\n$4\r\nhalf\r\n") << "round " << round;
  }
  ExpectServerAnswers();
}

// A client that writes many requests and does not read the replies must be
// throttled (the server stops reading from it) rather than make the server
// buffer every reply: 50,000 GETs of an 8 KiB value would be 400 MiB of
// replies. Once the client reads, every reply must arrive, in order.
TEST_F(ProtocolTest, ClientThatDoesNotReadIsThrottledAndGetsEveryReply) {
  constexpr int kRequests = 50'000;
  constexpr int64_t kValueBytes = 8 << 10;
  // Far below the 400 MiB an unbounded output buffer would take.
  constexpr int64_t kMaxGrowthKb = 128 << 10;

  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  client->set_timeout(absl::Seconds(60));
  const std::string value(kValueBytes, 'v');
  ASSERT_EQ(*client->Command({"SET", "slow-reader", value}), kOk);
  const std::optional<int64_t> peak_before = PeakResidentKb(server().pid());
  ASSERT_TRUE(peak_before.has_value());

  std::string requests;
  for (int i = 0; i < kRequests; ++i) {
    requests += EncodeCommand({"GET", "slow-reader"});
  }
  // The writer blocks while the server pushes back; the reads below are what
  // eventually unblock it.
  absl::Status write_status;
  std::thread writer([&] { write_status = client->Send(requests); });

  // Not reading for a while is the scenario itself (not a synchronisation
  // wait): it gives the server time to fill its output buffer.
  absl::SleepFor(absl::Seconds(1));
  ASSERT_FALSE(server().TryReap().has_value()) << "shardd exited";
  const std::optional<int64_t> peak_stalled = PeakResidentKb(server().pid());
  ASSERT_TRUE(peak_stalled.has_value());

  const std::string expected = Bulk(value);
  int complete = 0;
  for (; complete < kRequests; ++complete) {
    absl::StatusOr<std::string> reply = client->ReadReply();
    if (!reply.ok() || *reply != expected) {
      ADD_FAILURE() << "reply " << complete << ": "
                    << (reply.ok() ? Printable(*reply)
                                   : reply.status().ToString());
      break;
    }
  }
  writer.join();
  EXPECT_TRUE(write_status.ok()) << write_status;
  EXPECT_EQ(complete, kRequests);

  const std::optional<int64_t> peak_after = PeakResidentKb(server().pid());
  ASSERT_TRUE(peak_after.has_value());
  std::cout << "peak RSS: " << *peak_before << " KiB before, " << *peak_stalled
            << " KiB while not reading, " << *peak_after << " KiB at the end\n";
  EXPECT_LT(*peak_after - *peak_before, kMaxGrowthKb)
      << "the server buffered replies for a client that does not read";
  ExpectServerAnswers();
}

}  // namespace
}  // namespace shardd::integration
