// The working side of the loop (shard/reactor.h): one turn of each shard
// (ready coroutines, incoming messages, outgoing ones), and the loop that
// runs the turns of the shards of one thread between its waits (the wait
// itself: reactor_idle.cc; the reap: reactor.cc).
#include <liburing.h>

#include <cstdint>
#include <span>

#include "absl/time/clock.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd {

void Reactor::Run() {
  Reactor* self = this;
  RunTogether({&self, 1});
}

bool Reactor::TurnBeforeWait(bool& busy) {
  current_ = this;
  ++stats_.loop_turns;
  RunReady();
  const bool got_mail = DrainMailboxes();
  if (epoll_ != nullptr) epoll_->RunDeferred();
  FlushOutgoing();
  if (stopping_) {
    if (!quiescent_ && live_tasks_ == 0 && !AnyOutgoingBacklog()) {
      quiescent_ = true;
      if (mesh_.ArriveQuiescent()) {
        for (uint32_t s = 0; s < shard_count(); ++s) mesh_.BellOf(s).Ring();
      }
    }
    if (quiescent_ && mesh_.AllQuiescent()) return false;
  }
  busy = busy || !ready_.empty() || got_mail;
  return true;
}

void Reactor::MakeThreadMates(std::span<Reactor* const> shards) {
  for (Reactor* shard : shards) {
    shard->mates_.assign(shard->shard_count(), nullptr);
    for (Reactor* mate : shards) shard->mates_[mate->shard_id()] = mate;
  }
}

void Reactor::RunTogether(std::span<Reactor* const> shards) {
  MakeThreadMates(shards);
  Reactor& owner = *shards.front();  // of the ring, or the epoll backend
  for (Reactor* shard : shards) {
    current_ = shard;
    if (shard->epoll_ == nullptr) shard->ArmDoorbell();
    shard->run_started_ns_ = stats::MonotonicNanos();
  }
  for (;;) {
    // The shards of a ring stop together: one's stop cancels everything in
    // flight on the ring, the others' operations too.
    bool stop = false;
    for (Reactor* shard : shards) {
      stop = stop || shard->stop_requested_.load(std::memory_order_acquire);
    }
    bool busy = false;
    bool running = false;
    for (Reactor* shard : shards) {
      current_ = shard;
      if (stop && !shard->stopping_) {
        // As if asked itself (WaitForWork looks for a request not yet
        // acted on).
        shard->stop_requested_.store(true, std::memory_order_release);
        shard->BeginStop();
      }
      running = shard->TurnBeforeWait(busy) || running;
    }
    if (!running) break;
    // A shard's turn may leave work to a mate whose turn came before it
    // (code that ran as the mate: Reactor::Visit), which must not wait
    // for a sleep to end.
    if (shards.size() > 1) {
      for (Reactor* shard : shards) busy = busy || shard->LeftWork();
    }
    current_ = &owner;
    if (!busy) {
      WaitForWork(shards);
    } else if (owner.epoll_ != nullptr) {
      owner.epoll_->Wait(0);
    } else {
      io_uring_submit(owner.ring_);
    }
    if (owner.epoll_ == nullptr) ReapCompletions(shards);
    for (Reactor* shard : shards) {
      current_ = shard;
      if (!shard->deadlines_.empty()) shard->ExpireDeadlines(absl::Now());
      if (shard->epoll_ != nullptr &&
          shard->epoll_->NearestDeadline() != absl::InfiniteFuture()) {
        shard->epoll_->ExpireDeadlines(absl::Now());
      }
      // The thread's time, in equal shares (idle_ns too: WaitForWork), so
      // that the shards' sums are the thread's.
      shard->stats_.busy_ns =
          (stats::MonotonicNanos() - shard->run_started_ns_) / shards.size() -
          shard->stats_.idle_ns;
    }
  }
  // Messages sent by tasks in their last moments (e.g. a connection handed
  // to this shard) are still delivered, so their owners can release
  // resources.
  for (Reactor* shard : shards) {
    current_ = shard;
    shard->DrainMailboxes();
  }
  for (Reactor* shard : shards) shard->mates_.clear();
  current_ = nullptr;
}

bool Reactor::LeftWork() {
  if (!ready_.empty()) return true;
  for (uint32_t target = 0; target < shard_count(); ++target) {
    if (target != shard_id_ && mesh_.Between(shard_id_, target).Unpublished())
      return true;
  }
  return false;
}

void Reactor::RunReady() {
  while (!ready_.empty()) {
    running_.swap(ready_);
    for (std::coroutine_handle<> h : running_) h.resume();
    running_.clear();
  }
}

bool Reactor::DrainMailboxes() {
  // Messages run in groups, each offered Message::Prefetch before any of them
  // runs. As many as one pipelined batch of 16 commands: more would let the
  // first prefetched lines be evicted before use on a small cache.
  constexpr size_t kPrefetchGroup = 16;
  Message* group[kPrefetchGroup];
  size_t grouped = 0;
  auto run_group = [this, &group, &grouped] {
    for (int pass = 0; pass < Message::kPrefetchPasses; ++pass) {
      for (size_t i = 0; i < grouped; ++i) group[i]->Prefetch(pass);
    }
    for (size_t i = 0; i < grouped; ++i) {
      ++messages_run_;
      group[i]->Run();
    }
    grouped = 0;
  };
  size_t received = 0;
  for (uint32_t from = 0; from < shard_count(); ++from) {
    if (from == shard_id_) continue;
    const size_t n = mesh_.Between(from, shard_id_).ConsumeAll([&](Message* m) {
      group[grouped++] = m;
      if (grouped == kPrefetchGroup) run_group();
    });
    run_group();
    stats_.peers[from].messages_received += n;
    received += n;
  }
  return received > 0;
}

void Reactor::FlushOutgoing() {
  for (uint32_t target = 0; target < shard_count(); ++target) {
    if (target == shard_id_) continue;
    Mailbox& box = mesh_.Between(shard_id_, target);
    MessageQueue& backlog = backlog_[target];
    while (!backlog.empty() && box.TryPush(backlog.front())) {
      backlog.PopFront();
    }
    if (box.Unpublished() > 0) {
      box.Publish();
      WakePeer(target);
    }
    stats_.NoteMailboxDepth(target, box.ApproxSize() + backlog.size());
  }
}

bool Reactor::AnyIncomingMessages() const {
  for (uint32_t from = 0; from < shard_count(); ++from) {
    if (from != shard_id_ && mesh_.Between(from, shard_id_).HasMessages()) {
      return true;
    }
  }
  return false;
}

bool Reactor::AnyOutgoingBacklog() const {
  for (const MessageQueue& q : backlog_) {
    if (!q.empty()) return true;
  }
  return false;
}

}  // namespace shardd
