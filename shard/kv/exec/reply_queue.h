// ReplyQueue: keeps one connection's replies in request order while some of
// them are still being computed on other shards. Replies computed here go
// straight into the connection's output buffer as long as nothing is pending
// before them; once a remote reply is pending, later replies queue behind it.
//
//   std::string* sink = queue.LocalSink();        // write a local reply here
//   ReplyQueue::Slot* slot = queue.Reserve();      // a remote reply's place
//   ... later, on this shard: queue.Fill(slot, reply);
//       (or slot->data = ...; queue.Fill(slot);)
//   co_await queue.Settle();                       // all in `out`, in order
//
// An owner may refuse a command for lack of credit (hop_credit.h): its slot
// is filled with the refused command instead of a reply. Settle() then moves
// only the replies before it to `out`; once those are sent, Resend() gives
// the refused commands back to be sent again.
#ifndef SHARDD_SHARD_KV_EXEC_REPLY_QUEUE_H_
#define SHARDD_SHARD_KV_EXEC_REPLY_QUEUE_H_

#include <coroutine>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardd::kv {

class RemoteCommand;

class ReplyQueue {
 public:
  struct Slot {
    std::string data;
    bool remote = false;  // reserved for a reply computed elsewhere
    // Filled with a command its owner refused, to be sent again.
    RemoteCommand* refused = nullptr;
    bool discard = false;  // reserved while muted: never sent
  };

  explicit ReplyQueue(std::string* out) : out_(out) {}
  ReplyQueue(const ReplyQueue&) = delete;
  ReplyQueue& operator=(const ReplyQueue&) = delete;

  // The buffer the next locally computed reply must be appended to.
  std::string* LocalSink();

  // While muted (CLIENT REPLY OFF or SKIP), replies are computed as usual
  // but never sent: local ones go to a scratch buffer, and slots reserved
  // meanwhile are dropped when their turn comes.
  void set_muted(bool muted) { muted_ = muted; }

  // Reserves the place of the next reply, to be filled later. The slot's
  // address is stable until it is filled.
  Slot* Reserve();

  // `slot` (from Reserve) now holds its reply. Resumes a waiting Settle().
  void Fill(Slot* slot);
  // Fill() with `reply` as the slot's data. The oldest slot's reply goes
  // straight to the output buffer instead, where Settle() would have copied
  // it: a batch of hops comes back in request order, so most replies skip
  // their slot.
  void Fill(Slot* slot, std::string_view reply);

  size_t pending() const { return pending_; }
  // Whether a refused command waits to be sent again (after Settle()).
  bool HasRefused() const { return refused_ > 0; }

  // After Settle() and sending what it moved to the output buffer: calls
  // `send(command)` for each refused command in order, and waits for their
  // replies again.
  template <typename SendFn>
  void Resend(SendFn send) {
    for (size_t i = begin_; i < end_; ++i) {
      Slot& slot = *slots_[i];
      if (slot.refused == nullptr) continue;
      ++pending_;
      --refused_;
      send(std::exchange(slot.refused, nullptr));
    }
  }
  // For a connection that ends: hands each refused command to `drop`.
  template <typename DropFn>
  void DropRefused(DropFn drop) {
    for (size_t i = begin_; i < end_; ++i) {
      Slot& slot = *slots_[i];
      if (slot.refused == nullptr) continue;
      --refused_;
      drop(std::exchange(slot.refused, nullptr));
    }
  }
  // Bytes of replies held here or in the output buffer, to bound a batch.
  size_t BufferedBytes() const;

  // co_await queue.Settle(): waits until every reserved reply has been
  // filled, then appends all queued replies to the output buffer in order.
  class SettleAwaiter {
   public:
    explicit SettleAwaiter(ReplyQueue& queue) : queue_(queue) {}
    bool await_ready() const { return queue_.pending_ == 0; }
    void await_suspend(std::coroutine_handle<> waiter) {
      queue_.waiter_ = waiter;
    }
    void await_resume() { queue_.Collapse(); }

   private:
    ReplyQueue& queue_;
  };
  SettleAwaiter Settle() { return SettleAwaiter(*this); }

 private:
  void Collapse();
  void Filled();
  bool empty() const { return begin_ == end_; }
  Slot& back() { return *slots_[end_ - 1]; }
  // A slot at the end, reused from an earlier batch when there is one.
  Slot& PushBack();

  std::string* out_;
  bool muted_ = false;
  std::string muted_sink_;
  // The queue is slots_[begin_, end_). Each slot is its own object, so
  // slots keep their place while the vector grows; emptied slots stay for
  // the next batch with a buffer of up to 4 KiB, so that a connection's
  // steady stream of remote replies allocates nothing.
  std::vector<std::unique_ptr<Slot>> slots_;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t queued_bytes_ = 0;  // in filled or closed slots
  size_t pending_ = 0;
  size_t refused_ = 0;  // slots holding a refused command
  std::coroutine_handle<> waiter_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REPLY_QUEUE_H_
