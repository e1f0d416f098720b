// Connection: one accepted client socket, served on one shard by a service's
// handler. It owns the descriptor and the client's place under maxclients:
// destroying it closes the socket and frees the place. Every service
// receives and sends through it, so timeouts, the IORING_RECVSEND_POLL_FIRST
// fallback and the send loop exist once.
//
//   Task<void> Serve(net::Connection conn) {
//     net::InputBuffer in(16 << 10, 1 << 20);
//     int n = co_await conn.Receive(in, absl::Now() + absl::Seconds(5));
//     if (n == -ETIMEDOUT) ...;  if (n <= 0) co_return;
//     if (!co_await conn.SendAll(reply, absl::Seconds(5))) co_return;
//   }
#ifndef SHARDD_NET_CONNECTION_H_
#define SHARDD_NET_CONNECTION_H_

#include <liburing.h>

#include <cerrno>
#include <coroutine>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "absl/time/time.h"
#include "net/input_buffer.h"
#include "net/multishot_receiver.h"
#include "net/socket_addresses.h"
#include "net/socket_id.h"
#include "shard/reactor.h"
#include "shard/readiness_op.h"
#include "shard/task.h"

namespace shardd::net {

class Acceptor;

// What one shard counts about one acceptor's connections.
struct ConnectionCounters {
  uint64_t current = 0;
  uint64_t accepted = 0;
  uint64_t closed = 0;
  uint64_t rejected = 0;        // refused: the service's maxclients reached
  uint64_t fd_exhausted = 0;    // accepts that failed with EMFILE/ENFILE
  uint64_t timed_out = 0;       // closed by an idle or header timeout
  uint64_t output_limited = 0;  // closed for holding too many reply bytes
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t reads = 0;   // receives that brought bytes
  uint64_t writes = 0;  // sends that took bytes
};

// One socket operation on the shard's ring, ended early by a deadline. The
// deadline is an io_uring linked timeout, so waiting costs no timer of our
// own. Under the epoll backend the operation is a non-blocking system call,
// tried at once where that can succeed and again whenever the socket is
// ready, with the deadline kept by the backend. A base for the receive and
// send awaiters below.
class TimedSocketOp {
 protected:
  TimedSocketOp(SocketId socket, absl::Time deadline)
      : socket_(socket), deadline_(deadline) {}
  TimedSocketOp(const TimedSocketOp&) = delete;
  TimedSocketOp& operator=(const TimedSocketOp&) = delete;

  // For await_ready: true (and the result set) when the operation must not
  // be submitted: the shard is stopping or the deadline has passed.
  bool EndsAtOnce();
  // Submits the SQE `prepare` fills, linked to the deadline's timeout.
  template <typename Prepare>
  void Submit(std::coroutine_handle<> waiter, Prepare prepare) {
    completion_.waiter = waiter;
    Reactor& reactor = *Reactor::Current();
    reactor.ReserveSqes(timed_ ? 2 : 1);
    io_uring_sqe* sqe = reactor.PrepareSqe(&completion_);
    prepare(sqe);
    socket_.Target(sqe);
    if (timed_) LinkTimeout(sqe);
  }
  // The CQE's result, with a cancellation by the deadline as -ETIMEDOUT.
  int Result() const;

  // Epoll backend: makes `attempt(context)` now and keeps its result; true
  // unless it said -EAGAIN.
  bool TryNow(int (*attempt)(void*), void* context);
  // Epoll backend: tries `attempt` again each time the socket is ready for
  // `events`, until it does not say -EAGAIN or the deadline passes.
  void WatchReady(std::coroutine_handle<> waiter, uint32_t events,
                  int (*attempt)(void*), void* context);
  // Epoll backend: tries `attempt` at the end of the loop turn
  // (EpollBackend::Defer), then as WatchReady unless `try_once`.
  void DeferSend(std::coroutine_handle<> waiter, int (*attempt)(void*),
                 void* context, bool try_once);

  const SocketId socket_;
  bool submitted_ = false;

 private:
  void LinkTimeout(io_uring_sqe* sqe);
  // Epoll backend: op_ for the socket's connection, resuming `waiter`.
  ReadinessOp* PrepareOp(std::coroutine_handle<> waiter, uint32_t events,
                         int (*attempt)(void*), void* context);

  const absl::Time deadline_;
  bool timed_ = false;
  __kernel_timespec timeout_{};  // read by the kernel at submission
  Completion completion_;
  ReadinessOp op_;  // epoll backend
};

// co_await connection.Receive(...): bytes received (> 0, already committed
// to the buffer), 0 when the peer closed, -ETIMEDOUT, -ENOBUFS when the
// buffer is full, -EAGAIN when the receive must simply be retried, or
// another -errno. Through the connection's MultishotReceiver if it has
// one, else with one recv of its own.
class [[nodiscard]] ReceiveAwaiter : TimedSocketOp {
 public:
  ReceiveAwaiter(SocketId socket, InputBuffer& in, ConnectionCounters& counters,
                 bool poll_first, absl::Time deadline,
                 MultishotReceiver* multishot);

  bool await_ready();
  bool await_suspend(std::coroutine_handle<> waiter);
  int await_resume();

 private:
  static int TryReceive(void* self);  // epoll backend

  std::optional<MultishotReceiver::Awaiter> multishot_;
  InputBuffer& in_;
  ConnectionCounters& counters_;
  const bool poll_first_;
  std::span<char> space_;
  bool full_ = false;  // no room to receive into
  bool appended_ = false;  // epoll: received via the scratch, appended
};

// co_await SendAwaiter(socket, data, deadline): bytes sent (maybe fewer than
// asked), -ETIMEDOUT, or -errno. With `dont_wait` it takes what the socket
// takes at once and never waits (-EAGAIN if nothing): no deadline needed.
class [[nodiscard]] SendAwaiter : TimedSocketOp {
 public:
  SendAwaiter(SocketId socket, std::string_view data, absl::Time deadline,
              bool dont_wait = false)
      : TimedSocketOp(socket, deadline), data_(data), dont_wait_(dont_wait) {}

  bool await_ready();
  void await_suspend(std::coroutine_handle<> waiter);
  int await_resume() { return Result(); }

 private:
  static int TrySend(void* self);  // epoll backend

  std::string_view data_;
  const bool dont_wait_;
};

// co_await WritableAwaiter(socket, deadline): a poll mask once the socket takes
// more bytes, -ETIMEDOUT, or -errno.
class [[nodiscard]] WritableAwaiter : TimedSocketOp {
 public:
  WritableAwaiter(SocketId socket, absl::Time deadline)
      : TimedSocketOp(socket, deadline) {}

  bool await_ready();
  void await_suspend(std::coroutine_handle<> waiter);
  int await_resume() { return Result(); }

 private:
  static int TryWritable(void* self);  // epoll backend
};

// shutdown(2) of `socket`, on the shard serving it: through the ring for a
// registered socket, taking effect when the loop next submits.
void ShutdownSocket(SocketId socket, int how);

class Connection {
 public:
  // Made by the Acceptor on the serving shard; `counters` are that shard's.
  // A registered socket comes with its `addresses`, read while it still
  // had a descriptor.
  Connection(SocketId socket, Acceptor* acceptor, ConnectionCounters* counters,
             std::optional<SocketAddresses> addresses = std::nullopt);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  ~Connection();

  SocketId socket() const { return socket_; }
  // The socket's descriptor, for system calls; -1 when it is registered.
  int fd() const { return socket_.registered ? -1 : socket_.value; }

  // Both ends' addresses (read at the first call, or at adoption).
  const SocketAddresses& addresses();

  // shutdown(2) (ShutdownSocket).
  void Shutdown(int how) const { ShutdownSocket(socket_, how); }

  // Receives what has arrived into `in`, waiting until `deadline` at most.
  // With multishot receive or on epoll, while it waits with nothing
  // unconsumed `in` gives its memory back (so views into consumed bytes
  // must not be used after). Without multishot
  // receive, right after a reply went out a receive first waits for data
  // instead of trying (IORING_RECVSEND_POLL_FIRST, or no attempt before
  // epoll says ready): the client cannot have answered yet.
  ReceiveAwaiter Receive(InputBuffer& in,
                         absl::Time deadline = absl::InfiniteFuture());

  // Sends all of `data`; false once the peer is gone, when it has taken
  // nothing for `idle` (a client that does not read: Redis's --timeout
  // counts writes as activity too, nginx has send_timeout), or, if
  // `output_limited`, when `data` is more than the acceptor's output limit
  // lets a client hold (a caller with limits of its own passes false).
  Task<bool> SendAll(std::string_view data,
                     absl::Duration idle = absl::InfiniteDuration(),
                     bool output_limited = true);

  // Sends what the socket takes of `data` at once, without waiting: the
  // bytes taken (maybe 0), or -errno once the peer is gone.
  Task<int> SendNow(std::string_view data);

  // For bytes sent other than by SendAll (spliced to the socket).
  void CountSent(size_t bytes) {
    counters_->bytes_out += bytes;
    counters_->writes += bytes > 0 ? 1 : 0;
    replied_ = replied_ || bytes > 0;
  }
  // Waits until the socket takes more bytes, or `idle` has passed (false,
  // and counted as a timeout).
  Task<bool> WaitWritable(absl::Duration idle);

  ConnectionCounters& counters() { return *counters_; }

 private:
  // A send without waiting: -EAGAIN is 0 bytes; bytes taken are counted.
  int TookAtOnce(int result);

  SocketId socket_;
  std::optional<SocketAddresses> addresses_;
  Acceptor* acceptor_;
  ConnectionCounters* counters_;
  MultishotReceiver* multishot_ = nullptr;  // made by the first receive
  bool replied_ = false;  // the last thing done was sending
};

}  // namespace shardd::net

#endif  // SHARDD_NET_CONNECTION_H_
