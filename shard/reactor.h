// Reactor: one shard's event loop over its own io_uring. Everything a shard
// does — socket and file I/O, timers, messages from other shards, coroutines
// becoming ready — is driven from Run(). The narrow interface below is all the
// rest of shardd sees of the loop (cf. Redis's ae.c).
//
//   Reactor reactor(shard_id, mesh);
//   reactor.Spawn(ServeForever());        // a detached Task<void>
//   reactor.Run();                        // until RequestStop() and quiescence
//
// One loop turn: resume ready coroutines; run messages from every incoming
// mailbox; publish outgoing messages and wake sleeping peers; submit all queued
// SQEs and reap completions with a single io_uring_enter; sleep in the kernel
// only when there is nothing else to do.
#ifndef SHARDD_SHARD_REACTOR_H_
#define SHARDD_SHARD_REACTOR_H_

#include <liburing.h>

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "shard/epoll_backend.h"
#include "shard/mesh.h"
#include "shard/message.h"
#include "shard/provided_buffers.h"
#include "shard/registered_files.h"
#include "shard/stats/shard_stats.h"
#include "shard/task.h"
#include "shard/wakeable_wait.h"

namespace shardd {

class Reactor;

// Completion target of an io_uring operation: the CQE's user_data points at
// it. Awaitables embed one (see io_awaiter.h).
struct Completion {
  std::coroutine_handle<> waiter;
  // The shard whose loop handles the completion (set by PrepareSqe): shards
  // that share a CPU share a ring (Reactor::RunTogether).
  Reactor* reactor = nullptr;
  int result = 0;
  uint32_t flags = 0;  // the CQE's: IORING_CQE_F_MORE, _F_BUFFER, ...
  // Called for each CQE instead of resuming `waiter`: a multishot
  // operation's CQEs arrive whether or not anyone waits for them.
  void (*on_complete)(Completion*) = nullptr;
};

// How a shard does I/O: io_uring, or epoll plus threads for files where
// io_uring is unavailable (shard/epoll_backend.h).
enum class IoBackend { kIoUring, kEpoll };

class Reactor {
 public:
  // `idle_poll_ns`: how long an idle loop keeps looking for work before it
  // sleeps (0: it sleeps at once). Waking a sleeping loop costs the waker
  // and the woken tens of microseconds on some hosts; polling costs a CPU
  // that nothing else should want (ShardSet::Options).
  // `receive_buffer_count`: how many buffers ReceiveBuffers() registers (a
  // power of two; 0: none). As many as connections are likely to get data
  // in one loop turn; when every one is out, receives re-arm
  // (net/multishot_receiver.h).
  static constexpr uint16_t kDefaultReceiveBuffers = 128;
  Reactor(uint32_t shard_id, Mesh& mesh, uint64_t idle_poll_ns = 0,
          uint16_t receive_buffer_count = kDefaultReceiveBuffers);
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Sets up the ring, or the epoll backend; must be called on the shard's
  // own thread before Run(). `ring_owner`: a shard of the same thread whose
  // ring this one shares instead of making its own (io_uring only).
  // `registered_files`: entries of the ring's table of registered sockets
  // (0: none; see registered_files()); a sharer uses its owner's.
  absl::Status Init(IoBackend backend = IoBackend::kIoUring,
                    unsigned ring_entries = 4096, Reactor* ring_owner = nullptr,
                    uint32_t registered_files = 0);

  // Whether this process may set up an io_uring at all: an error (EPERM
  // under Docker's default seccomp profile or kernel.io_uring_disabled,
  // ENOSYS on kernels without it) means the epoll backend must serve.
  static absl::Status ProbeIoUring();

  // The epoll backend, or null when the shard runs on io_uring. Awaitables
  // ask it before preparing an SQE.
  EpollBackend* epoll() { return epoll_.get(); }
  IoBackend backend() const {
    return epoll_ != nullptr ? IoBackend::kEpoll : IoBackend::kIoUring;
  }

  // The reactor of the calling thread (null outside shard threads).
  static Reactor* Current() { return current_; }
  // Makes this the calling thread's reactor before Run() (Run does it too).
  void MakeCurrent() { current_ = this; }

  uint32_t shard_id() const { return shard_id_; }
  uint32_t shard_count() const { return mesh_.shard_count(); }

  // The reactor of shard `shard` if this thread runs it too (RunTogether;
  // this one included), else null. Nothing else runs on the thread while
  // a shard's code runs, so that code may act on a mate's state directly,
  // inside a Visit, as the mate itself would in its own turn.
  Reactor* ThreadMate(uint32_t shard) const {
    return shard < mates_.size() ? mates_[shard] : nullptr;
  }
  // For its scope, makes a thread mate the current shard: PerShard's
  // Local(), Send, Spawn and Schedule act as that shard's.
  class Visit {
   public:
    explicit Visit(Reactor& mate) : home_(current_) { current_ = &mate; }
    ~Visit() { current_ = home_; }
    Visit(const Visit&) = delete;
    Visit& operator=(const Visit&) = delete;

   private:
    Reactor* const home_;
  };

  // Runs the loop until a stop was requested, every task has finished, and
  // every peer shard has finished too.
  void Run();
  // Runs the loops of shards that share one thread, and the ring of the
  // first (Init's `ring_owner`), as one: each turn does every shard's work,
  // and the thread sleeps only when none has any. A hop between them is
  // then a mailbox push the same thread takes up in its next turn, with no
  // wake-up and no switch between threads (ShardSet, for shards that share
  // a CPU). Each shard keeps its own tasks, deadlines and counters.
  static void RunTogether(std::span<Reactor* const> shards);
  // Makes `shards`, which one thread is to run, each other's ThreadMate()
  // before RunTogether (which does it too), for tasks started before it.
  static void MakeThreadMates(std::span<Reactor* const> shards);

  // Thread-safe: asks the loop to stop. In-flight I/O is cancelled, new I/O
  // fails with -ECANCELED, so every task winds down on its own.
  void RequestStop();
  bool stopping() const { return stopping_; }

  // Starts `task` now and lets it run detached; its frame is freed when it
  // finishes. The reactor does not stop while detached tasks are alive.
  void Spawn(Task<void> task);

  // Resumes `handle` on a later loop turn.
  void Schedule(std::coroutine_handle<> handle) { ready_.push_back(handle); }

  // Sends `message` to run on shard `target` (not this one). Never blocks and
  // never drops: when the ring is full the message waits, in order, in a queue
  // of this shard until the ring has room. Messages are published to the
  // peer 16 at a time, or at the end of the turn; `publish_now` publishes
  // at once, for a message that carries the work of many (a HopBatch), so
  // that the peer starts on it without waiting.
  void Send(uint32_t target, Message* message, bool publish_now = false);

  // A submission queue entry to fill, whose completion resumes
  // `completion->waiter`. Never null: submits to make room when the SQ is
  // full. io_uring backend only.
  io_uring_sqe* PrepareSqe(Completion* completion);

  // Makes sure the next `count` PrepareSqe() calls find room without
  // submitting in between, so linked SQEs (IOSQE_IO_LINK) stay together.
  void ReserveSqes(unsigned count);

  // The shard's receive buffers (ProvidedBuffers), registered on first
  // use; null where the kernel cannot provide buffers or they are off.
  // Connections receive through them with a multishot recv
  // (net/multishot_receiver.h), else with a recv of their own.
  ProvidedBuffers* ReceiveBuffers();

  // The ring's table of registered sockets; null under epoll, when Init
  // asked for none, or where the kernel refused one (said on stderr).
  RegisteredFiles* registered_files() { return registered_files_; }

  // A shard-wide buffer to receive into before copying what came into a
  // connection's own (epoll backend; Redis's read size, 16 KiB).
  std::span<char> ReceiveScratch();

  // Keeps the loop running, as a live task does, until as many
  // ReleaseLoop() calls: for an operation still in the kernel whose owner
  // is gone and which frees itself when its last CQE comes.
  void RetainLoop() { ++live_tasks_; }
  void ReleaseLoop() { --live_tasks_; }

  // The deadlines of WakeableWaits: the loop sleeps no longer than the
  // nearest one and expires those that passed.
  void AddDeadline(absl::Time deadline, WakeableWait* wait);
  void CancelDeadline(WakeableWait* wait);

  // This shard's runtime counters (loop, ring, mailboxes). Written only by
  // this shard's thread; services keep their own.
  stats::RuntimeStats& stats() { return stats_; }
  const stats::RuntimeStats& stats() const { return stats_; }
  uint64_t loop_turns() const { return stats_.loop_turns; }
  // Messages from other shards run so far; the one running now included.
  uint64_t messages_run() const { return messages_run_; }

  // Wall-clock milliseconds since the epoch at `monotonic_ns`, a reading of
  // stats::MonotonicNanos() taken this loop turn. A command needs both the
  // time (for expiry) and its own duration; deriving one from the other
  // saves a clock read per command. The wall clock is read again, and so
  // follows any step, once per loop turn that asks.
  int64_t WallMillisAt(uint64_t monotonic_ns);

 private:
  friend void DetachedTaskFinished(Reactor* reactor);
  friend void task_internal::CountFrameAllocated();
  friend uint64_t TaskFramesAllocated();

  void RunReady();
  bool DrainMailboxes();
  void FlushOutgoing();
  void ArmDoorbell();
  // Wakes `target` if it sleeps: a MSG_RING when the kernel has it, else a
  // write to its eventfd. True if it queued a MSG_RING SQE, which goes out
  // with the next submission.
  bool WakePeer(uint32_t target);
  // Watches for work for up to `limit_ns` before the loop sleeps; true if
  // some came.
  bool PollBeforeSleeping(uint64_t limit_ns);
  // On the ring's owner, for every shard on the ring.
  static void WaitForWork(std::span<Reactor* const> shards);
  static void ReapCompletions(std::span<Reactor* const> shards);
  // One turn's work before the wait; false once this shard and every peer
  // have finished stopping.
  bool TurnBeforeWait(bool& busy);
  // Coroutines ready or messages not yet published: what a Visit may leave
  // to a shard after its turn.
  bool LeftWork();
  void BeginStop();
  void ExpireDeadlines(absl::Time now);
  bool AnyIncomingMessages() const;
  bool AnyOutgoingBacklog() const;

  // The one thread_local of shardd: how a shard thread finds its reactor,
  // and through it (shard_id) its entries in every PerShard<T>.
  static thread_local Reactor* current_;

  const uint32_t shard_id_;
  Mesh& mesh_;
  io_uring own_ring_{};
  io_uring* ring_ = &own_ring_;  // or the ring owner's
  bool ring_ready_ = false;
  bool owns_ring_ = false;
  uint16_t buffer_group_ = 0;            // of receive_buffers_ on ring_
  uint16_t next_buffer_group_ = 1;       // ring owner: for the next sharer
  std::unique_ptr<EpollBackend> epoll_;  // instead of ring_
  std::unique_ptr<char[]> receive_scratch_;  // ReceiveScratch()
  const uint16_t receive_buffer_count_;
  std::unique_ptr<ProvidedBuffers> receive_buffers_;  // before ring_ goes
  std::unique_ptr<RegisteredFiles> own_registered_files_;  // before ring_ goes
  RegisteredFiles* registered_files_ = nullptr;  // or the ring owner's
  bool receive_buffers_tried_;  // (or not wanted)

  std::vector<Reactor*> mates_;  // by shard id: ThreadMate()
  std::vector<std::coroutine_handle<>> ready_;
  std::vector<std::coroutine_handle<>> running_;  // swapped with ready_
  std::vector<MessageQueue> backlog_;             // per target, ring was full
  WakeableWait::DeadlineMap deadlines_;  // finite deadlines
  WakeableWait* endless_ = nullptr;  // waits without one (a linked list)

  uint64_t doorbell_value_ = 0;  // read buffer of the armed eventfd read
  uint64_t messages_run_ = 0;
  bool msg_ring_ = false;        // the kernel has IORING_OP_MSG_RING (5.18+)
  bool doorbell_armed_ = false;

  std::atomic<bool> stop_requested_{false};
  bool stopping_ = false;
  bool quiescent_ = false;
  uint64_t live_tasks_ = 0;
  uint64_t frames_allocated_ = 0;  // Task frames, see task.h
  stats::RuntimeStats stats_;
  // How long an idle loop polls before it sleeps (see the constructor).
  const uint64_t idle_poll_ns_;
  uint64_t run_started_ns_ = 0;
  // WallMillisAt's anchor: a wall-clock and a monotonic reading, taken
  // together in loop turn wall_anchor_turn_ (none yet: no turn has that
  // number).
  int64_t wall_anchor_ns_ = 0;
  uint64_t monotonic_anchor_ns_ = 0;
  uint64_t wall_anchor_turn_ = UINT64_MAX;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_REACTOR_H_
