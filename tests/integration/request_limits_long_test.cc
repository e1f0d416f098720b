// The default argument limit at its edge, as Redis's proto-max-bulk-len: one
// argument of exactly 512 MiB is accepted and stored whole, a bulk header of
// one byte more gets a protocol error and a close. Labelled `long` (half a
// gigabyte each way, and as much memory in both processes): CI runs
// `ctest -LE long`. request_limits_test.cc checks the same rules with small
// limits.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/support/resp_codec.h"
#include "tests/integration/support/shardd_binary.h"

namespace shardd::integration {
namespace {

constexpr size_t kDefaultMaxBulk = size_t{512} << 20;

class LongRequestLimitsTest : public ShardServerTest {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--port=0", "--admin_port=0", "--shards=2"};
  }
};

TEST_F(LongRequestLimitsTest, ArgumentOfExactlyFiveHundredTwelveMebibytes) {
  {
    absl::StatusOr<RespClient> client = Connect();
    ASSERT_TRUE(client.ok()) << client.status();
    client->set_timeout(absl::Minutes(5));
    // Built once and sent as is after its header: no second copy here.
    std::string value(kDefaultMaxBulk, '\0');
    for (size_t i = 0; i < value.size(); ++i) {
      value[i] = static_cast<char>('a' + i % 26);
    }
    ASSERT_TRUE(client
                    ->Send(absl::StrCat("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$",
                                        kDefaultMaxBulk, "\r\n"))
                    .ok());
    absl::Status sent = client->Send(value);
    ASSERT_TRUE(sent.ok()) << sent;
    ASSERT_TRUE(client->Send("\r\n").ok());
    absl::StatusOr<std::string> set = client->ReadReply();
    ASSERT_TRUE(set.ok()) << set.status();
    EXPECT_EQ(*set, kOk);

    // The length and the last bytes: all of it arrived, in order.
    EXPECT_EQ(*client->Command({"STRLEN", "big"}), Integer(kDefaultMaxBulk));
    const size_t tail = kDefaultMaxBulk - 16;
    EXPECT_EQ(*client->Command({"GETRANGE", "big", absl::StrCat(tail), "-1"}),
              Bulk(std::string_view(value).substr(tail)));
    EXPECT_EQ(*client->Command({"DEL", "big"}), Integer(1));
  }

  absl::StatusOr<RespClient> client = Connect();
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(client
                  ->Send(absl::StrCat("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$",
                                      kDefaultMaxBulk + 1, "\r\n"))
                  .ok());
  absl::StatusOr<std::string> received = client->ReadUntilClosed();
  ASSERT_TRUE(received.ok()) << "connection not closed: " << received.status();
  EXPECT_EQ(Printable(*received),
            Printable("-ERR Protocol error: invalid bulk length\r\n"));

  absl::StatusOr<RespClient> fresh = Connect();
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(*fresh->Command({"PING"}), "+PONG\r\n");
  EXPECT_EQ(*fresh->Command({"EXISTS", "big"}), Integer(0));
}

}  // namespace
}  // namespace shardd::integration
