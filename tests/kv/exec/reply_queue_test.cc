// The reply queue keeps one connection's replies in request order, local
// and remote mixed, holds refused commands' places until they are sent
// again, and reuses its slots from one batch to the next (so that a steady
// stream of remote replies allocates nothing).
#include "shard/kv/exec/reply_queue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "shard/task.h"

namespace shardd::kv {
namespace {

// Nothing is pending in these tests when they settle, so Settle() completes
// without suspending.
void SettleNow(ReplyQueue& queue) {
  ReplyQueue::SettleAwaiter settle = queue.Settle();
  ASSERT_TRUE(settle.await_ready());
  settle.await_resume();
}

TEST(ReplyQueueTest, RepliesLeaveInRequestOrder) {
  std::string out;
  ReplyQueue queue(&out);
  queue.LocalSink()->append("a;");
  ReplyQueue::Slot* remote = queue.Reserve();
  queue.LocalSink()->append("c;");
  queue.LocalSink()->append("d;");
  ReplyQueue::Slot* remote2 = queue.Reserve();
  EXPECT_EQ(out, "a;");  // the rest waits behind the first remote reply
  remote2->data = "e;";
  queue.Fill(remote2);
  remote->data = "b;";
  queue.Fill(remote);
  SettleNow(queue);
  EXPECT_EQ(out, "a;b;c;d;e;");
  EXPECT_EQ(queue.BufferedBytes(), out.size());
}

// A reply filled in order goes to the output buffer at once; one that
// comes early waits in its slot for those before it.
TEST(ReplyQueueTest, TheOldestReplyGoesStraightToTheOutput) {
  std::string out;
  ReplyQueue queue(&out);
  ReplyQueue::Slot* first = queue.Reserve();
  ReplyQueue::Slot* second = queue.Reserve();
  queue.LocalSink()->append("c;");
  ReplyQueue::Slot* fourth = queue.Reserve();
  ReplyQueue::Slot* fifth = queue.Reserve();
  queue.Fill(fifth, "e;");
  EXPECT_EQ(out, "");
  queue.Fill(first, "a;");
  EXPECT_EQ(out, "a;");
  queue.Fill(second, "b;");
  EXPECT_EQ(out, "a;b;");
  EXPECT_EQ(queue.pending(), 1u);
  queue.Fill(fourth, "d;");
  SettleNow(queue);
  EXPECT_EQ(out, "a;b;c;d;e;");
  EXPECT_EQ(queue.BufferedBytes(), out.size());
  // Emptied by in-order fills alone, the queue takes local replies directly.
  ReplyQueue::Slot* last = queue.Reserve();
  queue.Fill(last, "f;");
  queue.LocalSink()->append("g;");
  SettleNow(queue);
  EXPECT_EQ(out, "a;b;c;d;e;f;g;");
}

// While muted, a reply filled in order is dropped like any other.
TEST(ReplyQueueTest, AMutedReplyFilledInOrderIsDropped) {
  std::string out;
  ReplyQueue queue(&out);
  queue.set_muted(true);
  ReplyQueue::Slot* muted = queue.Reserve();
  queue.set_muted(false);
  ReplyQueue::Slot* heard = queue.Reserve();
  queue.Fill(muted, "a;");
  queue.Fill(heard, "b;");
  SettleNow(queue);
  EXPECT_EQ(out, "b;");
}

TEST(ReplyQueueTest, SlotsAreReusedFromBatchToBatch) {
  std::string out;
  ReplyQueue queue(&out);
  std::vector<ReplyQueue::Slot*> first;
  for (int i = 0; i < 16; ++i) first.push_back(queue.Reserve());
  for (ReplyQueue::Slot* slot : first) {
    slot->data.push_back('x');
    queue.Fill(slot);
  }
  SettleNow(queue);
  for (int i = 0; i < 16; ++i) {
    ReplyQueue::Slot* slot = queue.Reserve();
    EXPECT_EQ(slot, first[i]);  // the same object, emptied
    EXPECT_TRUE(slot->data.empty());
    EXPECT_EQ(slot->refused, nullptr);
    slot->data.push_back('y');
    queue.Fill(slot);
  }
  SettleNow(queue);
  std::string expected(16, 'x');
  expected.append(16, 'y');
  EXPECT_EQ(out, expected);
}

TEST(ReplyQueueTest, ARefusedCommandKeepsItsPlaceUntilSentAgain) {
  std::string out;
  ReplyQueue queue(&out);
  // Stands for a RemoteCommand: the queue only keeps and hands back the
  // pointer.
  auto* refused_command = reinterpret_cast<RemoteCommand*>(&out);
  ReplyQueue::Slot* ok = queue.Reserve();
  ReplyQueue::Slot* refused = queue.Reserve();
  queue.LocalSink()->append("after;");
  ok->data = "ok;";
  queue.Fill(ok);
  refused->refused = refused_command;
  queue.Fill(refused);
  SettleNow(queue);
  EXPECT_EQ(out, "ok;");  // only what comes before the refused command
  EXPECT_TRUE(queue.HasRefused());
  std::vector<RemoteCommand*> sent;
  queue.Resend([&](RemoteCommand* command) { sent.push_back(command); });
  ASSERT_EQ(sent, std::vector<RemoteCommand*>{refused_command});
  EXPECT_EQ(queue.pending(), 1u);
  refused->data = "again;";
  queue.Fill(refused);
  SettleNow(queue);
  EXPECT_EQ(out, "ok;again;after;");
  EXPECT_FALSE(queue.HasRefused());
}

// A refused command at the front (kept there by Settle) and a reply put
// in its slot whole (a lone large one) hold back the replies filled in
// order behind them.
TEST(ReplyQueueTest, RepliesBehindARefusedOrWholeSlotWaitForIt) {
  std::string out;
  ReplyQueue queue(&out);
  auto* refused_command = reinterpret_cast<RemoteCommand*>(&out);
  ReplyQueue::Slot* refused = queue.Reserve();
  ReplyQueue::Slot* whole = queue.Reserve();
  refused->refused = refused_command;
  queue.Fill(refused);
  whole->data = "big;";
  queue.Fill(whole);
  SettleNow(queue);
  EXPECT_EQ(out, "");
  ReplyQueue::Slot* later = queue.Reserve();
  queue.Fill(later, "later;");
  EXPECT_EQ(out, "");
  queue.Resend([](RemoteCommand*) {});
  queue.Fill(refused, "again;");
  SettleNow(queue);
  EXPECT_EQ(out, "again;big;later;");
}

// Six replies leave, the refused command and the two after it stay: they
// move to the front of the queue's storage (more than half of it was
// emptied), keep their objects and their order, and the freed slots serve
// the next replies.
TEST(ReplyQueueTest, SlotsLeftBehindARefusedCommandMoveToTheFront) {
  std::string out;
  ReplyQueue queue(&out);
  auto* refused_command = reinterpret_cast<RemoteCommand*>(&out);
  std::vector<ReplyQueue::Slot*> slots;
  for (int i = 0; i < 9; ++i) slots.push_back(queue.Reserve());
  for (int i = 0; i < 9; ++i) {
    if (i == 6) {
      slots[i]->refused = refused_command;
    } else {
      slots[i]->data = std::to_string(i);
    }
    queue.Fill(slots[i]);
  }
  SettleNow(queue);
  EXPECT_EQ(out, "012345");
  queue.Resend([](RemoteCommand*) {});
  slots[6]->data.push_back('6');
  queue.Fill(slots[6]);
  ReplyQueue::Slot* later = queue.Reserve();  // behind 7 and 8
  EXPECT_NE(std::find(slots.begin(), slots.begin() + 6, later),
            slots.begin() + 6)
      << "not one of the emptied slots";
  later->data.push_back('9');
  queue.Fill(later);
  SettleNow(queue);
  EXPECT_EQ(out, "0123456789");
}

}  // namespace
}  // namespace shardd::kv
