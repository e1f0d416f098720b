#include "shard/reactor.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd {
namespace {

// user_data values that are not Completion pointers (which are never this
// small, being aligned heap or frame addresses).
constexpr uint64_t kIgnoredCompletion = 0;
// A peer's MSG_RING wake-up: nothing to do, the loop drains its mailboxes on
// every turn.
constexpr uint64_t kWakeCompletion = 1;
// kDoorbellBase + s: shard s's read of its eventfd (shards that share a ring
// each keep one). kDoorbellBase + shard count + s: a MSG_RING to shard s
// failed (its CQ overflowed, say); it is woken through its eventfd instead.
// Success posts no CQE here.
constexpr uint64_t kDoorbellBase = 2;

// Publishing costs a seq_cst store and maybe a wake-up; 16 messages per
// publication is the batch Seastar settled on for its cross-shard queues.
constexpr size_t kPublishBatch = 16;

constexpr unsigned kReapBatch = 256;

// The receive buffers: each Redis's read size (PROTO_IOBUF_LEN). Only the
// pages data was written to cost memory: a small request touches one.
constexpr uint32_t kReceiveBufferSize = 16 * 1024;

// The coroutine behind Reactor::Spawn: starts at once, frees itself at the end.
struct DetachedCoroutine {
  struct promise_type {
    DetachedCoroutine get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

}  // namespace

thread_local Reactor* Reactor::current_ = nullptr;

void DetachedTaskFinished(Reactor* reactor) { --reactor->live_tasks_; }

void task_internal::CountFrameAllocated() {
  if (Reactor::current_ != nullptr) ++Reactor::current_->frames_allocated_;
}

uint64_t TaskFramesAllocated() {
  return Reactor::current_ != nullptr ? Reactor::current_->frames_allocated_
                                      : 0;
}

namespace {
DetachedCoroutine RunDetached(Reactor* reactor, Task<void> task) {
  co_await task;
  DetachedTaskFinished(reactor);
}
}  // namespace

Reactor::Reactor(uint32_t shard_id, Mesh& mesh, uint64_t idle_poll_ns,
                 uint16_t receive_buffer_count)
    : shard_id_(shard_id),
      mesh_(mesh),
      receive_buffer_count_(receive_buffer_count),
      receive_buffers_tried_(receive_buffer_count == 0),
      backlog_(mesh.shard_count()),
      stats_(mesh.shard_count()),
      idle_poll_ns_(idle_poll_ns) {}

Reactor::~Reactor() {
  receive_buffers_.reset();
  own_registered_files_.reset();
  if (ring_ready_ && owns_ring_) io_uring_queue_exit(ring_);
}

std::span<char> Reactor::ReceiveScratch() {
  constexpr size_t kScratchBytes = 16 * 1024;
  if (receive_scratch_ == nullptr) {
    receive_scratch_ = std::make_unique<char[]>(kScratchBytes);
  }
  return {receive_scratch_.get(), kScratchBytes};
}

ProvidedBuffers* Reactor::ReceiveBuffers() {
  if (!receive_buffers_tried_ && ring_ready_ && epoll_ == nullptr) {
    receive_buffers_tried_ = true;
    absl::StatusOr<std::unique_ptr<ProvidedBuffers>> buffers =
        ProvidedBuffers::Register(ring_, buffer_group_, receive_buffer_count_,
                                  kReceiveBufferSize);
    if (buffers.ok()) {
      receive_buffers_ = *std::move(buffers);
    } else {
      std::fprintf(stderr,
                   "shardd: shard %u receives one buffer per connection: %s\n",
                   shard_id_, std::string(buffers.status().message()).c_str());
    }
  }
  return receive_buffers_.get();
}

absl::Status Reactor::ProbeIoUring() {
  io_uring ring{};
  const int rc = io_uring_queue_init(2, &ring, 0);
  if (rc < 0) {
    return absl::UnavailableError(
        absl::StrCat("io_uring_setup: ", std::strerror(-rc)));
  }
  io_uring_queue_exit(&ring);
  return absl::OkStatus();
}

absl::Status Reactor::Init(IoBackend backend, unsigned ring_entries,
                           Reactor* ring_owner, uint32_t registered_files) {
  if (backend == IoBackend::kEpoll) {
    absl::StatusOr<std::unique_ptr<EpollBackend>> epoll =
        EpollBackend::Create(mesh_.BellOf(shard_id_).fd());
    if (!epoll.ok()) return epoll.status();
    epoll_ = *std::move(epoll);
    return absl::OkStatus();
  }
  if (ring_owner != nullptr) {
    ring_ = ring_owner->ring_;
    ring_ready_ = ring_owner->ring_ready_;
    msg_ring_ = ring_owner->msg_ring_;
    buffer_group_ = ring_owner->next_buffer_group_++;
    registered_files_ = ring_owner->registered_files_;
    mesh_.BellOf(shard_id_).set_ring_fd(ring_->ring_fd);
    return absl::OkStatus();
  }
  io_uring_params params{};
  // Only this thread submits (SINGLE_ISSUER, 6.0+), and the kernel's
  // completion work waits for the loop's next io_uring_enter with GETEVENTS
  // instead of interrupting it (DEFER_TASKRUN, 6.1+; with COOP_TASKRUN it
  // may still run on any system call): both cut kernel overhead.
  // TASKRUN_FLAG tells the loop that such work waits, in the SQ ring's
  // flags: io_uring_submit then asks for it, and an idle poll sees it.
  // Older kernels get what they have.
  int rc = -EINVAL;
  for (const unsigned flags :
       {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
            IORING_SETUP_TASKRUN_FLAG,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN |
            IORING_SETUP_TASKRUN_FLAG,
        0u}) {
    params = {};
    params.flags = flags;
    rc = io_uring_queue_init_params(ring_entries, ring_, &params);
    if (rc != -EINVAL) break;
  }
  if (rc < 0) {
    return absl::InternalError(
        absl::StrCat("io_uring_queue_init: ", std::strerror(-rc)));
  }
  ring_ready_ = true;
  owns_ring_ = true;
  io_uring_probe* probe = io_uring_get_probe_ring(ring_);
  msg_ring_ = probe != nullptr &&
              io_uring_opcode_supported(probe, IORING_OP_MSG_RING) != 0;
  if (probe != nullptr) io_uring_free_probe(probe);
  mesh_.BellOf(shard_id_).set_ring_fd(ring_->ring_fd);
  if (registered_files > 0) {
    absl::StatusOr<std::unique_ptr<RegisteredFiles>> table =
        RegisteredFiles::Register(ring_, registered_files);
    if (table.ok()) {
      own_registered_files_ = *std::move(table);
      registered_files_ = own_registered_files_.get();
    } else {
      std::fprintf(stderr,
                   "shardd: shard %u keeps its sockets as descriptors: %s\n",
                   shard_id_, std::string(table.status().message()).c_str());
    }
  }
  return absl::OkStatus();
}

void Reactor::Spawn(Task<void> task) {
  ++live_tasks_;
  Reactor* previous = std::exchange(current_, this);
  RunDetached(this, std::move(task));
  current_ = previous;
}

void Reactor::RequestStop() {
  stop_requested_.store(true, std::memory_order_release);
  mesh_.BellOf(shard_id_).Ring();
}

io_uring_sqe* Reactor::PrepareSqe(Completion* completion) {
  io_uring_sqe* sqe = io_uring_get_sqe(ring_);
  while (sqe == nullptr) {
    io_uring_submit(ring_);
    sqe = io_uring_get_sqe(ring_);
  }
  if (completion != nullptr) completion->reactor = this;
  io_uring_sqe_set_data(sqe, completion);
  ++stats_.uring_submissions;
  return sqe;
}

void Reactor::ReserveSqes(unsigned count) {
  // As PrepareSqe: submit until the kernel has taken enough to make room.
  while (io_uring_sq_space_left(ring_) < count) io_uring_submit(ring_);
}

void Reactor::Send(uint32_t target, Message* message, bool publish_now) {
  MessageQueue& backlog = backlog_[target];
  Mailbox& box = mesh_.Between(shard_id_, target);
  ++stats_.peers[target].messages_sent;
  if (!backlog.empty() || !box.TryPush(message)) {
    backlog.PushBack(message);
    return;
  }
  if (publish_now || box.Unpublished() >= kPublishBatch) {
    box.Publish();
    // Mid-turn: the peer should start on this batch now, not at the end of
    // our turn, so a MSG_RING wake-up goes out at once.
    if (WakePeer(target)) io_uring_submit(ring_);
  }
}

bool Reactor::WakePeer(uint32_t target) {
  Doorbell& bell = mesh_.BellOf(target);
  if (!bell.ClaimWake()) return false;
  ++stats_.peers[target].wakeups_sent;
  if (!msg_ring_ || bell.ring_fd() < 0) {
    bell.Ring();
    return false;
  }
  // Goes out with this turn's io_uring_enter, which the loop makes anyway:
  // no system call of its own, and nothing for the peer to re-arm.
  io_uring_sqe* sqe = PrepareSqe(nullptr);
  io_uring_prep_msg_ring(sqe, bell.ring_fd(), 0, kWakeCompletion, 0);
  sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
  io_uring_sqe_set_data64(sqe, kDoorbellBase + shard_count() + target);
  return true;
}

void Reactor::AddDeadline(absl::Time deadline, WakeableWait* wait) {
  wait->armed_ = true;
  if (deadline == absl::InfiniteFuture()) {
    // Kept only so that stopping ends it: a list link, no map node to
    // allocate (every receive of an idle connection waits this way).
    wait->endless_next_ = endless_;
    wait->endless_prev_ = nullptr;
    if (endless_ != nullptr) endless_->endless_prev_ = wait;
    endless_ = wait;
    wait->endless_ = true;
    return;
  }
  wait->position_ = deadlines_.emplace(deadline, wait);
}

void Reactor::CancelDeadline(WakeableWait* wait) {
  wait->armed_ = false;
  if (!wait->endless_) {
    deadlines_.erase(wait->position_);
    return;
  }
  if (wait->endless_prev_ != nullptr) {
    wait->endless_prev_->endless_next_ = wait->endless_next_;
  } else {
    endless_ = wait->endless_next_;
  }
  if (wait->endless_next_ != nullptr) {
    wait->endless_next_->endless_prev_ = wait->endless_prev_;
  }
  wait->endless_ = false;
}

void Reactor::ExpireDeadlines(absl::Time now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    WakeableWait* wait = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    wait->Expire();
  }
}

int64_t Reactor::WallMillisAt(uint64_t monotonic_ns) {
  if (wall_anchor_turn_ != stats_.loop_turns) {
    wall_anchor_turn_ = stats_.loop_turns;
    wall_anchor_ns_ = absl::GetCurrentTimeNanos();
    monotonic_anchor_ns_ = monotonic_ns;
  }
  const int64_t since_anchor_ns =
      static_cast<int64_t>(monotonic_ns - monotonic_anchor_ns_);
  return (wall_anchor_ns_ + since_anchor_ns) / 1'000'000;
}

void Reactor::ArmDoorbell() {
  io_uring_sqe* sqe = PrepareSqe(nullptr);
  io_uring_prep_read(sqe, mesh_.BellOf(shard_id_).fd(), &doorbell_value_,
                     sizeof(doorbell_value_), 0);
  io_uring_sqe_set_data64(sqe, kDoorbellBase + shard_id_);
}

void Reactor::ReapCompletions(std::span<Reactor* const> shards) {
  Reactor& owner = *shards.front();
  const uint32_t shard_count = owner.shard_count();
  io_uring_cqe* cqes[kReapBatch];
  struct Done {
    uint64_t user_data;
    int result;
    uint32_t flags;
  };
  Done done[kReapBatch];
  for (;;) {
    const unsigned n = io_uring_peek_batch_cqe(owner.ring_, cqes, kReapBatch);
    if (n == 0) return;
    // Copy out and release the CQ slots first: resuming a coroutine may
    // submit new work, and the CQ must not be full of handled entries.
    for (unsigned i = 0; i < n; ++i) {
      done[i] = {cqes[i]->user_data, cqes[i]->res, cqes[i]->flags};
    }
    io_uring_cq_advance(owner.ring_, n);
    owner.stats_.uring_completions += n;
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t data = done[i].user_data;
      if (data == kIgnoredCompletion || data == kWakeCompletion) continue;
      if (data < kDoorbellBase + shard_count) {
        for (Reactor* shard : shards) {
          if (shard->shard_id_ != data - kDoorbellBase) continue;
          current_ = shard;
          shard->ArmDoorbell();
        }
        continue;
      }
      if (data < kDoorbellBase + 2 * shard_count) {
        owner.mesh_.BellOf(data - kDoorbellBase - shard_count).Ring();
        continue;
      }
      auto* completion = reinterpret_cast<Completion*>(data);
      completion->result = done[i].result;
      completion->flags = done[i].flags;
      current_ = completion->reactor;
      if (completion->on_complete != nullptr) {
        completion->on_complete(completion);
      } else {
        completion->waiter.resume();
      }
    }
    if (n < kReapBatch) return;
  }
}

void Reactor::BeginStop() {
  stopping_ = true;
  // Every wait ends, those without a deadline too.
  while (!deadlines_.empty()) {
    WakeableWait* wait = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    wait->Expire();
  }
  while (endless_ != nullptr) {
    WakeableWait* wait = endless_;
    CancelDeadline(wait);
    wait->Expire();
  }
  if (epoll_ != nullptr) {
    epoll_->CancelAll();
    return;
  }
  // One request cancels every operation in flight (the doorbell read too; it
  // is re-armed when its cancellation completes).
  io_uring_sqe* sqe = PrepareSqe(nullptr);
  io_uring_prep_cancel(sqe, nullptr, IORING_ASYNC_CANCEL_ANY);
  io_uring_sqe_set_data64(sqe, kIgnoredCompletion);
}

}  // namespace shardd
