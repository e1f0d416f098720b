// MultishotReceiver: a connection's receive side as one multishot recv
// (IORING_RECV_MULTISHOT) armed on the shard's ring, which selects one of
// the shard's shared buffers (shard/provided_buffers.h) each time data
// arrives. Each CQE's bytes are copied out at once and the buffer goes back
// to the kernel, so an idle connection holds no receive buffer, and a busy
// one no SQE per receive. Bytes go into the connection's InputBuffer while
// a receive waits; bytes that arrive while the connection is busy
// (executing, sending, writing a body to disk: its parser may hold views
// into the input) wait in a buffer of their own until the next receive.
//
//   receiver->Receive(input, deadline)  // as Connection::Receive
//
// Back-pressure: past kHighWater early bytes the recv is cancelled, and
// re-armed at the next receive, so a client that sends without reading its
// replies fills its socket, not the server's memory.
//
// Lifetime: the kernel holds the recv until its last CQE (one without
// IORING_CQE_F_MORE). Abandon() — the connection is gone — cancels it; the
// receiver frees itself when that last CQE comes, and keeps the loop
// running until then.
#ifndef SHARDD_NET_MULTISHOT_RECEIVER_H_
#define SHARDD_NET_MULTISHOT_RECEIVER_H_

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "net/input_buffer.h"
#include "net/socket_id.h"
#include "shard/provided_buffers.h"
#include "shard/reactor.h"
#include "shard/wakeable_wait.h"

namespace shardd::net {

struct ConnectionCounters;

class MultishotReceiver {
 public:
  // Early bytes past which a busy connection stops receiving.
  static constexpr size_t kHighWater = 64 * 1024;

  MultishotReceiver(SocketId socket, ProvidedBuffers& buffers,
                    ConnectionCounters& counters);
  MultishotReceiver(const MultishotReceiver&) = delete;
  MultishotReceiver& operator=(const MultishotReceiver&) = delete;

  // Deletes this receiver now, or once the kernel has let go of it.
  void Abandon();

  // False once a multishot recv failed with EINVAL (Linux 5.19 registers
  // buffer rings but has no multishot recv): connections then receive
  // with a recv of their own. One flag for the process, as the kernel's.
  static bool Supported() {
    return supported_.load(std::memory_order_relaxed);
  }

  // co_await: as Connection::Receive.
  class [[nodiscard]] Awaiter {
   public:
    Awaiter(MultishotReceiver& receiver, InputBuffer& in, absl::Time deadline)
        : receiver_(receiver), in_(in), wait_(receiver.wait_.Until(deadline)) {}
    bool await_ready();
    bool await_suspend(std::coroutine_handle<> waiter);
    int await_resume();

   private:
    MultishotReceiver& receiver_;
    InputBuffer& in_;
    WakeableWait::Awaiter wait_;
    std::optional<int> result_;  // decided without waiting
    bool suspended_ = false;
  };
  Awaiter Receive(InputBuffer& in, absl::Time deadline) {
    return Awaiter(*this, in, deadline);
  }

 private:
  ~MultishotReceiver() = default;  // through Abandon()

  // The recv's completion target, which finds its receiver.
  struct OwnedCompletion : Completion {
    MultishotReceiver* owner;
  };

  static void OnComplete(Completion* completion);
  void Handle(int result, uint32_t flags);
  void Arm();
  void Cancel();
  // What a receive into `in` returns now without waiting, if anything: the
  // bytes that arrived (moved into `in`), or how the stream ended.
  std::optional<int> Take(InputBuffer& in);

  const SocketId socket_;
  ProvidedBuffers& buffers_;
  ConnectionCounters& counters_;
  OwnedCompletion completion_;
  InputBuffer* sink_ = nullptr;  // while a receive waits: its buffer
  std::string early_;            // bytes that came while none waited
  WakeableWait wait_;
  size_t arrived_ = 0;         // bytes appended to sink_ while waiting
  std::optional<int> ended_;   // 0: the peer closed; < 0: an error
  bool armed_ = false;         // the recv is in the kernel
  bool cancelling_ = false;    // ... and asked to stop (back-pressure)
  bool waiting_ = false;       // a receive waits
  bool abandoned_ = false;
  bool unsupported_ = false;  // this kernel has no multishot recv

  static inline std::atomic<bool> supported_{true};
};

}  // namespace shardd::net

#endif  // SHARDD_NET_MULTISHOT_RECEIVER_H_
