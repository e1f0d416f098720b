// ReplyQueue: keeps one connection's replies in request order while some of
// them are still being computed on other shards. Replies computed here go
// straight into the connection's output buffer as long as nothing is pending
// before them; once a remote reply is pending, later replies queue behind it.
//
//   std::string* sink = queue.LocalSink();        // write a local reply here
//   ReplyQueue::Slot* slot = queue.Reserve();      // a remote reply's place
//   ... later, on this shard: slot->data = ...; queue.Fill(slot);
//   co_await queue.Settle();                       // all in `out`, in order
#ifndef SHARDD_SHARD_KV_REPLY_QUEUE_H_
#define SHARDD_SHARD_KV_REPLY_QUEUE_H_

#include <coroutine>
#include <cstddef>
#include <deque>
#include <string>

namespace shardd::kv {

class ReplyQueue {
 public:
  struct Slot {
    std::string data;
    bool remote = false;  // reserved for a reply computed elsewhere
  };

  explicit ReplyQueue(std::string* out) : out_(out) {}
  ReplyQueue(const ReplyQueue&) = delete;
  ReplyQueue& operator=(const ReplyQueue&) = delete;

  // The buffer the next locally computed reply must be appended to.
  std::string* LocalSink();

  // Reserves the place of the next reply, to be filled later. The slot's
  // address is stable until Settle() completes.
  Slot* Reserve();

  // `slot` (from Reserve) now holds its reply. Resumes a waiting Settle().
  void Fill(Slot* slot);

  size_t pending() const { return pending_; }
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

  std::string* out_;
  std::deque<Slot> slots_;  // deque: push_back keeps earlier slots in place
  size_t queued_bytes_ = 0;  // in filled or closed slots
  size_t pending_ = 0;
  std::coroutine_handle<> waiter_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_REPLY_QUEUE_H_
