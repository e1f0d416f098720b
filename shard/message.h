// Message: the unit that travels through a Mailbox from one shard to another.
// A message is an object, not a copy: the ring carries its pointer, and its
// Run() executes on whichever shard receives it. Request/reply pairs are one
// message sent there and back (see invoke_on.h), so a cross-shard call costs no
// allocation beyond the object the caller already owns.
//
//   struct Hello : Message { void Run() override { ... on the target ... } };
//   reactor.Send(target_shard, &hello);
#ifndef SHARDD_SHARD_MESSAGE_H_
#define SHARDD_SHARD_MESSAGE_H_

#include <cstddef>

namespace shardd {

class Message {
 public:
  virtual ~Message() = default;

  // Called on the receiving shard's thread, once per delivery.
  virtual void Run() = 0;

  // Called on the receiving shard's thread for every message of a batch
  // before any of them runs: first with pass 0 for all, then with pass 1 for
  // all. A message may start loading into the CPU cache what Run() will
  // touch, in two dependent steps (a hash table slot, then the entry it
  // points at), so that the cache misses of a batch overlap.
  virtual void Prefetch([[maybe_unused]] int pass) {}

 private:
  friend class MessageQueue;
  // Links the message into its sender's overflow queue while the ring to its
  // target is full; owned by the sending shard until the ring takes it.
  Message* next_ = nullptr;
};

// A FIFO of messages linked through Message::next_: holds messages a full ring
// could not take yet, in order, without allocating.
class MessageQueue {
 public:
  bool empty() const { return head_ == nullptr; }
  size_t size() const { return size_; }
  Message* front() const { return head_; }

  void PushBack(Message* m) {
    m->next_ = nullptr;
    if (tail_ == nullptr) {
      head_ = m;
    } else {
      tail_->next_ = m;
    }
    tail_ = m;
    ++size_;
  }

  Message* PopFront() {
    Message* m = head_;
    head_ = m->next_;
    if (head_ == nullptr) tail_ = nullptr;
    m->next_ = nullptr;
    --size_;
    return m;
  }

 private:
  Message* head_ = nullptr;
  Message* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_MESSAGE_H_
