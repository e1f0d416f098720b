#include "shard/mailbox.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "shard/doorbell.h"

namespace shardd {
namespace {

struct Numbered : Message {
  uint32_t producer = 0;
  uint64_t sequence = 0;
  void Run() override {}
};

TEST(MailboxTest, RoundsCapacityUpToPowerOfTwo) {
  EXPECT_EQ(Mailbox(5).capacity(), 8u);
  EXPECT_EQ(Mailbox(8).capacity(), 8u);
  EXPECT_EQ(Mailbox(0).capacity(), 2u);
}

TEST(MailboxTest, PushedMessagesAreInvisibleUntilPublished) {
  Mailbox box(4);
  Numbered a;
  ASSERT_TRUE(box.TryPush(&a));
  EXPECT_FALSE(box.HasMessages());
  EXPECT_EQ(box.Unpublished(), 1u);
  box.Publish();
  EXPECT_TRUE(box.HasMessages());
  std::vector<Message*> seen;
  EXPECT_EQ(box.ConsumeAll([&](Message* m) { seen.push_back(m); }), 1u);
  EXPECT_EQ(seen, std::vector<Message*>{&a});
  EXPECT_FALSE(box.HasMessages());
}

TEST(MailboxTest, RefusesWhenFullAndAcceptsAgainAfterConsume) {
  Mailbox box(4);
  Numbered m[5];
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(box.TryPush(&m[i]));
  EXPECT_FALSE(box.TryPush(&m[4]));
  box.Publish();
  box.ConsumeAll([](Message*) {});
  EXPECT_TRUE(box.TryPush(&m[4]));
}

TEST(MailboxTest, PreservesOrderAcrossWrapAround) {
  Mailbox box(4);
  std::vector<Numbered> messages(10);
  uint64_t expected = 0;
  for (uint64_t i = 0; i < messages.size(); ++i) {
    messages[i].sequence = i;
    ASSERT_TRUE(box.TryPush(&messages[i]));
    box.Publish();
    if (i % 3 == 2) {
      box.ConsumeAll([&](Message* m) {
        EXPECT_EQ(static_cast<Numbered*>(m)->sequence, expected++);
      });
    }
  }
  box.ConsumeAll([&](Message* m) {
    EXPECT_EQ(static_cast<Numbered*>(m)->sequence, expected++);
  });
  EXPECT_EQ(expected, messages.size());
}

// Four producers, one consumer that sleeps on its doorbell whenever all rings
// are empty: every message arrives, in per-producer order, and the consumer is
// always woken (otherwise the test would hang and hit CTest's timeout).
TEST(MailboxTest, FourProducersOrderedNoLossSleepingConsumerAlwaysWoken) {
  constexpr uint32_t kProducers = 4;
  constexpr uint64_t kPerProducer = 50'000;
  std::vector<std::unique_ptr<Mailbox>> boxes;
  for (uint32_t p = 0; p < kProducers; ++p) {
    boxes.push_back(std::make_unique<Mailbox>(64));
  }
  Doorbell bell;
  std::vector<std::vector<Numbered>> messages(kProducers);
  for (uint32_t p = 0; p < kProducers; ++p) {
    messages[p].resize(kPerProducer);
    for (uint64_t i = 0; i < kPerProducer; ++i) {
      messages[p][i].producer = p;
      messages[p][i].sequence = i;
    }
  }

  std::vector<std::thread> producers;
  for (uint32_t p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      Mailbox& box = *boxes[p];
      for (uint64_t i = 0; i < kPerProducer; ++i) {
        while (!box.TryPush(&messages[p][i])) {
          box.Publish();
          if (bell.ClaimWake()) bell.Ring();
          std::this_thread::yield();
        }
        // Irregular batch sizes, so the consumer often finds nothing and
        // goes to sleep in the middle of a producer's run.
        if ((i * 2654435761u + p) % 7 == 0) {
          box.Publish();
          if (bell.ClaimWake()) bell.Ring();
        }
      }
      box.Publish();
      if (bell.ClaimWake()) bell.Ring();
    });
  }

  std::vector<uint64_t> next(kProducers, 0);
  uint64_t received = 0;
  uint64_t sleeps = 0;
  while (received < kProducers * kPerProducer) {
    uint64_t got = 0;
    for (uint32_t p = 0; p < kProducers; ++p) {
      got += boxes[p]->ConsumeAll([&](Message* m) {
        auto* n = static_cast<Numbered*>(m);
        ASSERT_EQ(n->sequence, next[n->producer]) << "producer " << n->producer;
        ++next[n->producer];
      });
    }
    received += got;
    if (got > 0) continue;
    bell.AnnounceSleep();
    bool any = false;
    for (auto& box : boxes) any = any || box->HasMessages();
    if (!any && received < kProducers * kPerProducer) {
      uint64_t value;
      ASSERT_EQ(read(bell.fd(), &value, sizeof(value)),
                static_cast<ssize_t>(sizeof(value)));
      ++sleeps;
    }
    bell.Awake();
  }
  for (std::thread& t : producers) t.join();
  for (uint32_t p = 0; p < kProducers; ++p) EXPECT_EQ(next[p], kPerProducer);
  RecordProperty("consumer_sleeps", static_cast<int>(sleeps));
}

}  // namespace
}  // namespace shardd
