// Request size limits, CI-sized: --proto_max_bulk_len caps one argument (the
// limit itself is accepted, one byte more is a protocol error and a close,
// sent as soon as the bulk header is read) and --client_query_buffer_limit
// caps one whole request (a larger one gets an error and a close; smaller
// ones, pipelined past the limit in total, are served). The 512 MiB defaults
// are checked in request_limits_long_test.cc.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr size_t kOneMebibyte = size_t{1} << 20;
constexpr size_t kHundredKibibytes = size_t{100} << 10;
constexpr std::string_view kInvalidBulkLength =
    "-ERR Protocol error: invalid bulk length\r\n";

// `size` bytes of every value, CR and LF included.
std::string Payload(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  }
  return bytes;
}

class RequestLimitsTest : public ShardServerTest {
 protected:
  // The reply to `command` on a fresh connection, or the error.
  std::string FreshReply(const std::vector<std::string>& command) {
    absl::StatusOr<RespClient> client = Connect();
    if (!client.ok()) return client.status().ToString();
    absl::StatusOr<std::string> reply = client->Command(command);
    return reply.ok() ? *reply : reply.status().ToString();
  }

  // Sends `request` (as much as the server takes: it may close early) and
  // returns everything received until the server closes the connection.
  absl::StatusOr<std::string> SendAndReadUntilClosed(
      const std::string& request) {
    absl::StatusOr<RespClient> client = Connect();
    if (!client.ok()) return client.status();
    // A refused send (the server already closed) is fine: what it wrote
    // before closing is still there to read.
    client->SendSome(request, absl::Seconds(10)).IgnoreError();
    return client->ReadUntilClosed();
  }
};

class BulkLimitTest : public RequestLimitsTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2",
            absl::StrCat("--proto_max_bulk_len=", kOneMebibyte)};
  }
};

TEST_F(BulkLimitTest, ArgumentOfExactlyTheLimitIsStored) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const std::string value = Payload(kOneMebibyte);
  absl::StatusOr<std::string> set = client->Command({"SET", "k", value});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(*set, kOk);
  absl::StatusOr<std::string> get = client->Command({"GET", "k"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_TRUE(*get == Bulk(value)) << "GET returned " << Printable(*get, 80);
}

// Only the header is sent: the error must not wait for a megabyte of
// payload that will never come.
TEST_F(BulkLimitTest, LongerValueGetsProtocolErrorAtItsHeaderAndClose) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  // A valid command first: the error must not poison what came before.
  ASSERT_TRUE(client
                  ->Send(absl::StrCat(EncodeCommand({"PING"}),
                                      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$",
                                      kOneMebibyte + 1, "\r\n"))
                  .ok());
  absl::StatusOr<std::string> received = client->ReadUntilClosed();
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_EQ(Printable(*received),
            Printable("+PONG\r\n" + std::string(kInvalidBulkLength)));
  ExpectServerAnswers();
  EXPECT_EQ(FreshReply({"GET", "k"}), kNil);
}

// The limit is on every argument, not only values.
TEST_F(BulkLimitTest, LongerKeyGetsProtocolErrorAndClose) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(client
                  ->Send(absl::StrCat("*2\r\n$3\r\nGET\r\n$",
                                      kOneMebibyte + 1, "\r\n"))
                  .ok());
  absl::StatusOr<std::string> received = client->ReadUntilClosed();
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_EQ(Printable(*received), Printable(kInvalidBulkLength));
  ExpectServerAnswers();
}

// The whole value sent, not just its header: the same error and close.
TEST_F(BulkLimitTest, LongerValueSentInFullGetsTheSameError) {
  absl::StatusOr<std::string> received = SendAndReadUntilClosed(
      EncodeCommand({"SET", "k", std::string(kOneMebibyte + 1, 'x')}));
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_EQ(Printable(*received), Printable(kInvalidBulkLength));
  ExpectServerAnswers();
  EXPECT_EQ(FreshReply({"GET", "k"}), kNil);
}

class QueryBufferLimitTest : public RequestLimitsTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2",
            absl::StrCat("--client_query_buffer_limit=", kOneMebibyte)};
  }
};

// Well under the limit, one request at a time; and three 600 KiB requests in
// one write (1.8 MiB together): the limit is per request, not per read.
TEST_F(QueryBufferLimitTest, RequestsUnderTheLimitAreServed) {
  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  const std::string value = Payload(size_t{900} << 10);
  EXPECT_EQ(*client->Command({"SET", "k", value}), kOk);
  absl::StatusOr<std::string> get = client->Command({"GET", "k"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_TRUE(*get == Bulk(value)) << "GET returned " << Printable(*get, 80);

  std::vector<std::string> rpush = {"RPUSH", "list"};
  for (int i = 0; i < 9; ++i) {
    rpush.push_back(std::string(kHundredKibibytes, static_cast<char>('a' + i)));
  }
  EXPECT_EQ(*client->Command(rpush), Integer(9));

  std::string pipeline;
  for (int i = 0; i < 3; ++i) {
    pipeline += EncodeCommand(
        {"SET", absl::StrCat("p", i), std::string(size_t{600} << 10, 'p')});
  }
  ASSERT_TRUE(client->Send(pipeline).ok());
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::string> reply = client->ReadReply();
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status();
    EXPECT_EQ(*reply, kOk) << "reply " << i;
  }
}

TEST_F(QueryBufferLimitTest, LargerSetGetsErrorAndClose) {
  absl::StatusOr<std::string> received = SendAndReadUntilClosed(
      EncodeCommand({"SET", "k", Payload(2 * kOneMebibyte)}));
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_TRUE(received->starts_with("-ERR")) << Printable(*received);
  ExpectServerAnswers();
  EXPECT_EQ(FreshReply({"GET", "k"}), kNil);
}

// No single argument is large: eleven 100 KiB ones make the request 1.1 MB.
TEST_F(QueryBufferLimitTest, LargerRequestOfSmallArgumentsGetsErrorAndClose) {
  std::vector<std::string> rpush = {"RPUSH", "list"};
  for (int i = 0; i < 11; ++i) {
    rpush.push_back(std::string(kHundredKibibytes, static_cast<char>('a' + i)));
  }
  absl::StatusOr<std::string> received =
      SendAndReadUntilClosed(EncodeCommand(rpush));
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_TRUE(received->starts_with("-ERR")) << Printable(*received);
  ExpectServerAnswers();
  EXPECT_EQ(FreshReply({"LLEN", "list"}), Integer(0));
}

}  // namespace
}  // namespace shardd::integration
