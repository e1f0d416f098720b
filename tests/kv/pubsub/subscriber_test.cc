// Subscriber and PubSubRegistry on one thread, without sockets: what a
// subscriber is sent, in what order, and when its limits cut it off; and
// ParsePubSubLimits.
#include "shard/kv/pubsub/subscriber.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "shard/kv/pubsub/pubsub_limits.h"
#include "shard/kv/pubsub/pubsub_registry.h"

namespace shardd::kv {
namespace {

using SK = SubscriptionKind;

// A socket pair: the subscriber's end is shut down past its limits.
class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  ~SocketPair() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int ours() const { return fds_[0]; }
  // True once the other end sees the stream end (the shutdown).
  bool PeerSeesEnd() const {
    char byte;
    return recv(fds_[1], &byte, 1, MSG_DONTWAIT) == 0;
  }

 private:
  int fds_[2] = {-1, -1};
};

std::string Out(Subscriber& subscriber) {
  std::string out;
  subscriber.SwapOutbox(out);
  return out;
}

TEST(SubscriberTest, MessagesWaitBehindTheBatchOfReplies) {
  SocketPair socket;
  Subscriber subscriber({.value = socket.ours()}, PubSubLimits{},
                        resp::Protocol::kResp2);
  // Made inside a batch (by SUBSCRIBE): holding.
  EXPECT_TRUE(subscriber.PushMessage("message", "", "c", "1"));
  EXPECT_EQ(Out(subscriber), "");
  std::string replies = "+subscribed\r\n";
  subscriber.Release(replies);
  EXPECT_EQ(replies, "");
  EXPECT_EQ(Out(subscriber),
            "+subscribed\r\n*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\n1\r\n");
  // Between batches a message goes straight out.
  EXPECT_TRUE(subscriber.PushMessage("pmessage", "c*", "cc", "2"));
  EXPECT_EQ(Out(subscriber),
            "*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\ncc\r\n$1\r\n2\r\n");
}

TEST(SubscriberTest, Resp3MessagesArePushes) {
  SocketPair socket;
  Subscriber subscriber({.value = socket.ours()}, PubSubLimits{},
                        resp::Protocol::kResp3);
  std::string none;
  subscriber.Release(none);
  subscriber.PushMessage("smessage", "", "s", "x");
  EXPECT_EQ(Out(subscriber), ">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nx\r\n");
}

TEST(SubscriberTest, PastTheHardLimitTheConnectionIsShutDown) {
  SocketPair socket;
  PubSubLimits limits;
  limits.hard_bytes = 1000;
  limits.soft_bytes = 0;
  Subscriber subscriber({.value = socket.ours()}, limits,
                        resp::Protocol::kResp2);
  std::string none;
  subscriber.Release(none);
  const std::string payload(300, 'x');
  int delivered = 0;
  while (subscriber.PushMessage("message", "", "c", payload)) ++delivered;
  EXPECT_EQ(delivered, 3);  // ~330 bytes each: the fourth passes 1000
  EXPECT_TRUE(subscriber.overflowed());
  EXPECT_TRUE(socket.PeerSeesEnd());
  EXPECT_EQ(Out(subscriber), "");  // what waited is dropped
  EXPECT_FALSE(subscriber.PushMessage("message", "", "c", "late"));
}

TEST(SubscriberTest, BytesBeingSentCountTowardsTheLimit) {
  SocketPair socket;
  PubSubLimits limits;
  limits.hard_bytes = 1000;
  limits.soft_bytes = 0;
  Subscriber subscriber({.value = socket.ours()}, limits,
                        resp::Protocol::kResp2);
  std::string none;
  subscriber.Release(none);
  subscriber.set_sending(990);
  EXPECT_FALSE(subscriber.PushMessage("message", "", "c", "0123456789"));
  EXPECT_TRUE(subscriber.overflowed());
}

TEST(SubscriberTest, SoftLimitCutsOnlyAfterItsPeriod) {
  SocketPair socket;
  PubSubLimits limits;
  limits.hard_bytes = 0;
  limits.soft_bytes = 100;
  limits.soft_period = absl::Hours(1);
  Subscriber subscriber({.value = socket.ours()}, limits,
                        resp::Protocol::kResp2);
  std::string none;
  subscriber.Release(none);
  EXPECT_TRUE(subscriber.PushMessage("message", "", "c", "small"));
  // Over the soft limit, but not for an hour yet.
  EXPECT_TRUE(
      subscriber.PushMessage("message", "", "c", std::string(200, 'x')));
  EXPECT_FALSE(subscriber.overflowed());
  EXPECT_FALSE(socket.PeerSeesEnd());
}

TEST(SubscriberTest, OverTheSoftLimitLongerThanItsPeriodTheConnectionIsCut) {
  SocketPair socket;
  PubSubLimits limits;
  limits.hard_bytes = 0;
  limits.soft_bytes = 100;
  limits.soft_period = absl::Milliseconds(1);
  Subscriber subscriber({.value = socket.ours()}, limits,
                        resp::Protocol::kResp2);
  std::string none;
  subscriber.Release(none);
  // Nothing is taken from the outbox, so what was pushed stays pending.
  const absl::Time over_since = absl::Now();
  EXPECT_TRUE(
      subscriber.PushMessage("message", "", "c", std::string(200, 'x')));
  EXPECT_FALSE(subscriber.overflowed());
  // The period is what this test is about: let it pass.
  while (absl::Now() - over_since <= absl::Milliseconds(2)) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_FALSE(subscriber.PushMessage("message", "", "c", "late"));
  EXPECT_TRUE(subscriber.overflowed());
  EXPECT_TRUE(socket.PeerSeesEnd());
  EXPECT_EQ(Out(subscriber), "");  // what waited is dropped
}

TEST(PubSubRegistryTest, ChannelsThenPatternsAndCounts) {
  SocketPair a_socket, b_socket;
  Subscriber a({.value = a_socket.ours()}, PubSubLimits{},
               resp::Protocol::kResp2);
  Subscriber b({.value = b_socket.ours()}, PubSubLimits{},
               resp::Protocol::kResp2);
  std::string none;
  a.Release(none);
  b.Release(none);
  PubSubRegistry registry;
  EXPECT_EQ(registry.interest(), 0u);
  EXPECT_TRUE(registry.Add(SK::kChannel, "news", &a));
  EXPECT_FALSE(registry.Add(SK::kChannel, "news", &a));
  EXPECT_TRUE(registry.Add(SK::kPattern, "n*", &a));
  EXPECT_TRUE(registry.Add(SK::kChannel, "news", &b));
  EXPECT_TRUE(registry.Add(SK::kShardChannel, "news", &b));
  EXPECT_EQ(registry.interest(), 4u);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(b.count(), 1u);
  EXPECT_EQ(b.shard_count(), 1u);

  EXPECT_EQ(registry.Publish("news", "hi", /*sharded=*/false), 3);
  EXPECT_EQ(Out(a),
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
            "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(Out(b), "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(registry.Publish("news", "s", /*sharded=*/true), 1);
  EXPECT_EQ(Out(a), "");
  EXPECT_EQ(registry.Publish("nope", "x", /*sharded=*/false), 1);  // n*

  EXPECT_EQ(registry.Subscribers(SK::kChannel, "news"), 2);
  std::vector<std::string> names;
  registry.AppendChannels(SK::kChannel, "", &names);
  EXPECT_EQ(names, std::vector<std::string>{"news"});
  names.clear();
  registry.AppendPatterns(&names);
  EXPECT_EQ(names, std::vector<std::string>{"n*"});

  EXPECT_TRUE(registry.Remove(SK::kChannel, "news", &a));
  EXPECT_FALSE(registry.Remove(SK::kChannel, "news", &a));
  EXPECT_EQ(registry.Subscribers(SK::kChannel, "news"), 1);
  EXPECT_TRUE(registry.Remove(SK::kChannel, "news", &b));
  EXPECT_EQ(registry.Subscribers(SK::kChannel, "news"), 0);
  names.clear();
  registry.AppendChannels(SK::kChannel, "", &names);
  EXPECT_TRUE(names.empty());
  EXPECT_EQ(registry.interest(), 2u);
}

TEST(PubSubLimitsTest, ParsesRedisSizes) {
  PubSubLimits limits;
  ASSERT_TRUE(ParsePubSubLimits("32mb 8mb 60", &limits));
  EXPECT_EQ(limits.hard_bytes, 32u << 20);
  EXPECT_EQ(limits.soft_bytes, 8u << 20);
  EXPECT_EQ(limits.soft_period, absl::Seconds(60));
  ASSERT_TRUE(ParsePubSubLimits("1000 2K 0", &limits));
  EXPECT_EQ(limits.hard_bytes, 1000u);
  EXPECT_EQ(limits.soft_bytes, 2000u);
  EXPECT_EQ(limits.soft_period, absl::ZeroDuration());
  ASSERT_TRUE(ParsePubSubLimits("1gb 0 5", &limits));
  EXPECT_EQ(limits.hard_bytes, size_t{1} << 30);
  for (const char* bad : {"", "1mb 1mb", "1mb 1mb 1 1", "x 1 1", "1mb -1 1",
                          "1tb 1 1", "mb 1 1", "1 1 -5"}) {
    EXPECT_FALSE(ParsePubSubLimits(bad, &limits)) << bad;
  }
  EXPECT_EQ(limits.hard_bytes, size_t{1} << 30);  // unchanged
}

}  // namespace
}  // namespace shardd::kv
