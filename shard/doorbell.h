// Doorbell: how a shard that is about to sleep gets woken by another shard.
// The consumer announces that it will sleep, re-checks its mailboxes, then
// blocks on the eventfd (in practice: an io_uring read kept armed on it). A
// producer that has just published checks the flag and, if set, rings the
// eventfd. The flag and the mailbox tails are all accessed with seq_cst
// operations: that pairing (a Dekker-style handshake) is what guarantees that a
// wake-up is never lost. Cross-thread by design.
//
//   consumer:  bell.AnnounceSleep(); if (!AnyMail()) wait on bell.fd(); bell.Awake();
//   producer:  box.Publish(); bell.WakeIfSleeping();
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

  // Producer, after Mailbox::Publish(). Only one of several producers pays for
  // the write(2): the exchange lets the first one claim the wake-up.
  void WakeIfSleeping() {
    if (sleeping_.load(std::memory_order_seq_cst) &&
        sleeping_.exchange(false, std::memory_order_seq_cst)) {
      Ring();
    }
  }

  // Unconditional wake-up (used to deliver a stop request).
  void Ring();

 private:
  int fd_;
  alignas(64) std::atomic<bool> sleeping_{false};
};

}  // namespace shardd

#endif  // SHARDD_SHARD_DOORBELL_H_
