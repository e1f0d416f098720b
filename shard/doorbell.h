// Doorbell: how a shard that is about to sleep gets woken by another shard.
// The consumer announces that it will sleep, re-checks its mailboxes, then
// blocks in io_uring_enter (with a read kept armed on the eventfd). A
// producer that has just published checks the flag and, if set, wakes the
// consumer: with a MSG_RING into the consumer's ring when it can (see
// ring_fd), else by writing the eventfd. The flag and the mailbox tails are
// all accessed with seq_cst operations: that pairing (a Dekker-style
// handshake) is what guarantees that a wake-up is never lost. Cross-thread by
// design.
//
//   consumer:  bell.AnnounceSleep(); if (!AnyMail()) wait; bell.Awake();
//   producer:  box.Publish(); if (bell.ClaimWake()) bell.Ring();
#ifndef SHARDD_SHARD_DOORBELL_H_
#define SHARDD_SHARD_DOORBELL_H_

#include <atomic>

namespace shardd {

class Doorbell {
 public:
  Doorbell();
  ~Doorbell();
  Doorbell(const Doorbell&) = delete;
  Doorbell& operator=(const Doorbell&) = delete;

  // The eventfd a sleeping consumer waits on (readable after Ring()).
  int fd() const { return fd_; }

  // Consumer, before its final check for work.
  void AnnounceSleep() { sleeping_.store(true, std::memory_order_seq_cst); }
  // Consumer, after waking or after deciding not to sleep.
  void Awake() { sleeping_.store(false, std::memory_order_relaxed); }

  // Producer, after Mailbox::Publish(): true if the consumer sleeps and this
  // producer must wake it. Only one of several producers pays for the
  // wake-up: the exchange lets the first one claim it.
  bool ClaimWake() {
    return sleeping_.load(std::memory_order_seq_cst) &&
           sleeping_.exchange(false, std::memory_order_seq_cst);
  }

  // The consumer's io_uring fd, or -1. Set once by the consumer before any
  // producer runs (ShardSet's start latch orders the two), so a producer
  // with a ring can wake it with IORING_OP_MSG_RING, a CQE posted straight
  // into the consumer's ring, instead of a write(2) on the eventfd.
  void set_ring_fd(int fd) { ring_fd_ = fd; }
  int ring_fd() const { return ring_fd_; }

  // Unconditional wake-up (used to deliver a stop request).
  void Ring();

 private:
  int fd_;
  int ring_fd_ = -1;
  alignas(64) std::atomic<bool> sleeping_{false};
};

}  // namespace shardd

#endif  // SHARDD_SHARD_DOORBELL_H_
