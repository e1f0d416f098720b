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
#include <cstdint>

namespace shardd {

class Message {
 public:
  virtual ~Message() = default;

  // Called on the receiving shard's thread, once per delivery.
  virtual void Run() = 0;

  // Called on the receiving shard's thread for every message of a batch
  // before any of them runs: pass 0 for all, then pass 1 for all, and so on
  // up to kPrefetchPasses. A message may start loading into the CPU cache
  // what Run() will touch, in dependent steps (its own lines, the buffers
  // they point at, a hash table slot, the entry the slot points at), so
  // that the cache misses of a batch overlap instead of coming one by one.
  static constexpr int kPrefetchPasses = 4;
  virtual void Prefetch([[maybe_unused]] int pass) {}

 private:
  friend class MessageQueue;
  // Links the message into its sender's overflow queue while the ring to its
  // target is full; owned by the sending shard until the ring takes it.
  Message* next_ = nullptr;
};

// Asks for the cache lines of [data, data + bytes), the first 32 of them at
// most: for Message::Prefetch, which only starts loads Run() would wait for.
inline void PrefetchLines(const void* data, size_t bytes) {
  constexpr uintptr_t kLine = 64;
  constexpr size_t kMaxLines = 32;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(data) & ~(kLine - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(data) + bytes;
  size_t lines = 0;
  for (uintptr_t line = begin; line < end && lines < kMaxLines;
       line += kLine, ++lines) {
    __builtin_prefetch(reinterpret_cast<const void*>(line));
  }
}

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
