#include "net/connection.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <utility>

#include "absl/time/clock.h"
#include "net/acceptor.h"
#include "shard/io_awaiter.h"

namespace shardd::net {
namespace {

// Whether the kernel takes IORING_RECVSEND_POLL_FIRST (Linux 5.19+). A
// property of the kernel, so one flag for the process: the first shard to
// get EINVAL turns it off for all.
std::atomic<bool> poll_first_works{true};

}  // namespace

bool TimedSocketOp::EndsAtOnce() {
  if (Reactor::Current()->stopping()) {
    completion_.result = -ECANCELED;
    return true;
  }
  if (deadline_ != absl::InfiniteFuture()) {
    const absl::Duration left = deadline_ - absl::Now();
    if (left <= absl::ZeroDuration()) {
      completion_.result = -ETIMEDOUT;
      return true;
    }
    const int64_t ns = absl::ToInt64Nanoseconds(left);
    timeout_ = {.tv_sec = ns / 1'000'000'000, .tv_nsec = ns % 1'000'000'000};
    timed_ = true;
  }
  submitted_ = true;
  return false;
}

void TimedSocketOp::LinkTimeout(io_uring_sqe* sqe) {
  sqe->flags |= IOSQE_IO_LINK;
  // Its own completion (-ETIME or -ECANCELED) is ignored: the operation's
  // result says what happened.
  io_uring_prep_link_timeout(Reactor::Current()->PrepareSqe(nullptr),
                             &timeout_, 0);
}

bool TimedSocketOp::TryNow(int (*attempt)(void*), void* context) {
  completion_.result = attempt(context);
  return completion_.result != -EAGAIN;
}

ReadinessOp* TimedSocketOp::PrepareOp(std::coroutine_handle<> waiter,
                                      uint32_t events, int (*attempt)(void*),
                                      void* context) {
  completion_.waiter = waiter;
  op_ = {.completion = &completion_,
         .fd = socket_.value,
         .events = events,
         .attempt = attempt,
         .context = context,
         .deadline = timed_ ? deadline_ : absl::InfiniteFuture(),
         .expired_result = -ECANCELED,
         .persistent = true};
  return &op_;
}

void TimedSocketOp::DeferSend(std::coroutine_handle<> waiter,
                              int (*attempt)(void*), void* context,
                              bool try_once) {
  ReadinessOp* op = PrepareOp(waiter, EPOLLOUT, attempt, context);
  op->try_once = try_once;
  Reactor::Current()->epoll()->Defer(op);
}

void TimedSocketOp::WatchReady(std::coroutine_handle<> waiter,
                               uint32_t events, int (*attempt)(void*),
                               void* context) {
  Reactor::Current()->epoll()->Watch(
      PrepareOp(waiter, events, attempt, context));
}

int TimedSocketOp::Result() const {
  const int result = completion_.result;
  if (submitted_ && result == -ECANCELED && timed_ &&
      !Reactor::Current()->stopping()) {
    return -ETIMEDOUT;
  }
  return result;
}

ReceiveAwaiter::ReceiveAwaiter(SocketId socket, InputBuffer& in,
                               ConnectionCounters& counters, bool poll_first,
                               absl::Time deadline,
                               MultishotReceiver* multishot)
    : TimedSocketOp(socket, deadline),
      in_(in),
      counters_(counters),
      poll_first_(poll_first &&
                  poll_first_works.load(std::memory_order_relaxed)) {
  if (multishot != nullptr) multishot_.emplace(*multishot, in, deadline);
}

bool ReceiveAwaiter::await_ready() {
  if (multishot_) return multishot_->await_ready();
  if (EpollBackend* epoll = Reactor::Current()->epoll()) {
    full_ = in_.full() && !Reactor::Current()->stopping();
    if (full_ || EndsAtOnce()) return true;
    // No edge since the socket was last drained: nothing to receive yet.
    return epoll->MayBeReady(socket_.value, EPOLLIN) &&
           TryNow(&ReceiveAwaiter::TryReceive, this);
  }
  space_ = in_.WritableSpace();
  full_ = space_.empty() && !Reactor::Current()->stopping();
  return full_ || EndsAtOnce();
}

bool ReceiveAwaiter::await_suspend(std::coroutine_handle<> waiter) {
  if (multishot_) return multishot_->await_suspend(waiter);
  if (Reactor::Current()->epoll() != nullptr) {
    // Waiting for readiness needs no buffer: an idle connection holds none.
    if (in_.size() == 0) in_.Release();
    WatchReady(waiter, EPOLLIN, &ReceiveAwaiter::TryReceive, this);
    return true;
  }
  Submit(waiter, [this](io_uring_sqe* sqe) {
    io_uring_prep_recv(sqe, socket_.value, space_.data(), space_.size(), 0);
    if (poll_first_) sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
  });
  return true;
}

int ReceiveAwaiter::TryReceive(void* self) {
  auto& receive = *static_cast<ReceiveAwaiter*>(self);
  Reactor& reactor = *Reactor::Current();
  // An empty buffer is not allocated for the call: the bytes land in the
  // shard's scratch and only what came is copied in (as the multishot
  // receive does), so a burst of ready connections takes no read-sized
  // block each.
  receive.appended_ = receive.in_.size() == 0;
  std::span<char> space;
  if (receive.appended_) {
    space = reactor.ReceiveScratch();
    space = space.first(std::min(space.size(), receive.in_.room()));
  } else {
    space = receive.in_.WritableSpace();
  }
  if (space.empty()) return -ENOBUFS;
  const int result = SyscallResult(
      recv(receive.socket_.value, space.data(), space.size(), MSG_DONTWAIT));
  if (result > 0 && receive.appended_) {
    receive.in_.Append({space.data(), static_cast<size_t>(result)});
  }
  if (result > 0 && static_cast<size_t>(result) < space.size()) {
    reactor.epoll()->Drained(receive.socket_.value, EPOLLIN);
  }
  return result;
}

int ReceiveAwaiter::await_resume() {
  if (multishot_) return multishot_->await_resume();
  if (full_) return -ENOBUFS;
  const int result = Result();
  if (result > 0) {
    if (!appended_) in_.Commit(static_cast<size_t>(result));
    counters_.bytes_in += static_cast<uint64_t>(result);
    ++counters_.reads;
  } else if (result == -EINVAL && poll_first_) {
    poll_first_works.store(false, std::memory_order_relaxed);
    return -EAGAIN;
  }
  return result;
}

bool SendAwaiter::await_ready() { return EndsAtOnce(); }

int SendAwaiter::TrySend(void* self) {
  auto& send_op = *static_cast<SendAwaiter*>(self);
  return SyscallResult(send(send_op.socket_.value, send_op.data_.data(),
                            send_op.data_.size(), MSG_NOSIGNAL | MSG_DONTWAIT));
}

void SendAwaiter::await_suspend(std::coroutine_handle<> waiter) {
  if (Reactor::Current()->epoll() != nullptr) {
    // Sent at the end of the turn with the turn's other sends (Defer); a
    // send that must not wait ends there, with -EAGAIN if it must.
    DeferSend(waiter, &SendAwaiter::TrySend, this, dont_wait_);
    return;
  }
  Submit(waiter, [this](io_uring_sqe* sqe) {
    // MSG_NOSIGNAL: a peer that went away must not kill the server.
    io_uring_prep_send(sqe, socket_.value, data_.data(), data_.size(),
                       MSG_NOSIGNAL | (dont_wait_ ? MSG_DONTWAIT : 0));
  });
}

bool WritableAwaiter::await_ready() {
  if (EndsAtOnce()) return true;
  // Under epoll the wait must follow a try: the socket may have drained
  // while the caller's own send (or splice, on the offload pool) ran, and
  // the edge that said so would not come again.
  return Reactor::Current()->epoll() != nullptr &&
         TryNow(&WritableAwaiter::TryWritable, this);
}

int WritableAwaiter::TryWritable(void* self) {
  pollfd ready{.fd = static_cast<WritableAwaiter*>(self)->socket_.value,
               .events = POLLOUT,
               .revents = 0};
  if (poll(&ready, 1, 0) < 0) return -errno;
  return ready.revents != 0 ? static_cast<int>(ready.revents) : -EAGAIN;
}

void WritableAwaiter::await_suspend(std::coroutine_handle<> waiter) {
  if (Reactor::Current()->epoll() != nullptr) {
    WatchReady(waiter, EPOLLOUT, &WritableAwaiter::TryWritable, this);
    return;
  }
  Submit(waiter, [this](io_uring_sqe* sqe) {
    io_uring_prep_poll_add(sqe, socket_.value, POLLOUT);
  });
}

Connection::Connection(SocketId socket, Acceptor* acceptor,
                       ConnectionCounters* counters,
                       std::optional<SocketAddresses> addresses)
    : socket_(socket),
      addresses_(addresses),
      acceptor_(acceptor),
      counters_(counters) {}

Connection::Connection(Connection&& other) noexcept
    : socket_(std::exchange(other.socket_, SocketId{})),
      addresses_(other.addresses_),
      acceptor_(other.acceptor_),
      counters_(other.counters_),
      multishot_(std::exchange(other.multishot_, nullptr)),
      replied_(other.replied_) {}

Connection::~Connection() {
  if (!socket_.valid()) return;
  // The kernel lets go of the socket once the recv's cancellation is done.
  if (multishot_ != nullptr) multishot_->Abandon();
  Reactor* reactor = Reactor::Current();
  if (socket_.registered) {
    reactor->registered_files()->Remove(socket_.value);
  } else {
    if (reactor != nullptr && reactor->epoll() != nullptr) {
      reactor->epoll()->Forget(socket_.value);
    }
    close(socket_.value);
  }
  acceptor_->Closed();
}

const SocketAddresses& Connection::addresses() {
  if (!addresses_.has_value()) addresses_ = SocketAddresses::Of(fd());
  return *addresses_;
}

void ShutdownSocket(SocketId socket, int how) {
  if (!socket.registered) {
    shutdown(socket.value, how);
    return;
  }
  io_uring_sqe* sqe = Reactor::Current()->PrepareSqe(nullptr);
  io_uring_prep_shutdown(sqe, socket.value, how);
  socket.Target(sqe);
  io_uring_sqe_set_data(sqe, nullptr);  // its CQE is ignored
}

ReceiveAwaiter Connection::Receive(InputBuffer& in, absl::Time deadline) {
  const bool poll_first = std::exchange(replied_, false);
  if (multishot_ != nullptr && !MultishotReceiver::Supported()) {
    multishot_->Abandon();
    multishot_ = nullptr;
  }
  if (multishot_ == nullptr && MultishotReceiver::Supported()) {
    if (ProvidedBuffers* buffers = Reactor::Current()->ReceiveBuffers()) {
      multishot_ = new MultishotReceiver(socket_, *buffers, *counters_);
    }
  }
  return ReceiveAwaiter(socket_, in, *counters_, poll_first, deadline,
                        multishot_);
}

namespace {

// No idle time (zero or less) means no deadline, as --timeout=0.
absl::Time IdleDeadline(absl::Duration idle) {
  return idle <= absl::ZeroDuration() || idle == absl::InfiniteDuration()
             ? absl::InfiniteFuture()
             : absl::Now() + idle;
}

}  // namespace

Task<bool> Connection::WaitWritable(absl::Duration idle) {
  const int result = co_await WritableAwaiter(socket_, IdleDeadline(idle));
  if (result == -ETIMEDOUT) ++counters_->timed_out;
  co_return result > 0;
}

Task<bool> Connection::SendAll(std::string_view data, absl::Duration idle,
                               bool output_limited) {
  const AcceptorOptions& options = acceptor_->options();
  if (output_limited && options.output_limit > 0 &&
      data.size() > options.output_limit) {
    ++counters_->output_limited;
    std::fprintf(stderr,
                 "shardd: %s: closing a client holding %zu reply bytes, over "
                 "its output limit of %zu\n",
                 options.name.c_str(), data.size(), options.output_limit);
    co_return false;
  }
  // Most replies fit in the socket's buffer at once: the first try never
  // waits, so it needs no linked timeout (one SQE instead of two, and no
  // timer armed and disarmed in the kernel).
  // (No co_await inside ?: here: GCC 12 has mixed up such arms.)
  int first = 0;
  if (!data.empty()) {
    const int result =
        co_await SendAwaiter(socket_, data, absl::InfiniteFuture(),
                             /*dont_wait=*/true);
    first = TookAtOnce(result);
  }
  size_t sent = first > 0 ? static_cast<size_t>(first) : 0;
  while (first >= 0 && sent < data.size()) {
    const int n =
        co_await SendAwaiter(socket_, data.substr(sent), IdleDeadline(idle));
    if (n == -ETIMEDOUT) ++counters_->timed_out;
    if (n <= 0) break;
    CountSent(static_cast<size_t>(n));
    sent += static_cast<size_t>(n);
  }
  co_return sent == data.size();
}

Task<int> Connection::SendNow(std::string_view data) {
  if (data.empty()) co_return 0;
  const int result = co_await SendAwaiter(socket_, data, absl::InfiniteFuture(),
                                          /*dont_wait=*/true);
  co_return TookAtOnce(result);
}

int Connection::TookAtOnce(int result) {
  if (result == -EAGAIN) return 0;
  if (result > 0) CountSent(static_cast<size_t>(result));
  return result;
}

}  // namespace shardd::net
