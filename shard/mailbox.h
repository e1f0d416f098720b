// Mailbox: a bounded, lock-free, single-producer/single-consumer ring of
// Message pointers. There is one per ordered pair of shards (from, to); the
// `from` shard is its only producer and the `to` shard its only consumer. This
// is one of the two cross-thread structures in shardd (the other is the
// start/stop handshake in shard_set.h).
//
//   producer:  if (!box.TryPush(m)) keep m for later;  ...  box.Publish();
//   consumer:  box.ConsumeAll([](Message* m) { m->Run(); });
//
// Pushes become visible only at Publish(), so a producer pays one release
// store per batch rather than one per message.
#ifndef SHARDD_SHARD_MAILBOX_H_
#define SHARDD_SHARD_MAILBOX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "shard/message.h"

namespace shardd {

class Mailbox {
 public:
  // `capacity` is rounded up to a power of two.
  explicit Mailbox(size_t capacity);
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // Producer: stores `m` in the next slot, unpublished. False when full.
  bool TryPush(Message* m) {
    if (producer_.next - producer_.cached_head == capacity()) {
      producer_.cached_head = head_.value.load(std::memory_order_acquire);
      if (producer_.next - producer_.cached_head == capacity()) return false;
    }
    slots_[producer_.next & mask_] = m;
    ++producer_.next;
    return true;
  }

  // Producer: number of pushed messages not yet published.
  size_t Unpublished() const {
    return producer_.next - tail_.value.load(std::memory_order_relaxed);
  }

  // Producer: messages pushed and not yet consumed (a snapshot for stats;
  // the consumer may be taking some at this very moment).
  size_t ApproxSize() const {
    return producer_.next - head_.value.load(std::memory_order_relaxed);
  }

  // Producer: makes every pushed message visible to the consumer. Sequentially
  // consistent, not just release: paired with the consumer's seq_cst store of
  // its sleeping flag (doorbell.h), it guarantees that either the consumer sees
  // these messages before sleeping or the producer sees it asleep and wakes it.
  void Publish() { tail_.value.store(producer_.next, std::memory_order_seq_cst); }

  // Consumer: true if published messages are waiting (seq_cst; see Publish).
  bool HasMessages() const {
    return tail_.value.load(std::memory_order_seq_cst) !=
           head_.value.load(std::memory_order_relaxed);
  }

  // Consumer: runs `fn` on every published message in order and frees their
  // slots; returns how many. `fn` may push to other mailboxes, not this one's
  // reverse direction's consumer side (it is a different ring anyway).
  template <typename Fn>
  size_t ConsumeAll(Fn&& fn) {
    uint64_t head = head_.value.load(std::memory_order_relaxed);
    uint64_t tail = tail_.value.load(std::memory_order_acquire);
    for (uint64_t i = head; i != tail; ++i) fn(slots_[i & mask_]);
    // Slots are released after use, so the producer never overwrites a
    // message that is still being read.
    head_.value.store(tail, std::memory_order_release);
    return tail - head;
  }

 private:
  // Each index lives on its own cache line, and the producer's private state on
  // another, so the two threads never write to a line the other reads in its
  // fast path.
  struct alignas(64) PaddedIndex {
    std::atomic<uint64_t> value{0};
  };
  struct alignas(64) ProducerState {
    uint64_t next = 0;         // next slot to fill
    uint64_t cached_head = 0;  // last head seen; refreshed only when full
  };

  PaddedIndex tail_;  // written by the producer at Publish
  ProducerState producer_;
  PaddedIndex head_;  // written by the consumer after ConsumeAll
  const uint64_t mask_;
  std::unique_ptr<Message*[]> slots_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_MAILBOX_H_
