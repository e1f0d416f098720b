#include "net/connection.h"

#include <unistd.h>

#include <atomic>
#include <utility>

#include "absl/time/clock.h"
#include "net/acceptor.h"
#include "net/socket_io.h"

namespace shardd::net {
namespace {

// Whether the kernel takes IORING_RECVSEND_POLL_FIRST (Linux 5.19+). A
// property of the kernel, so one flag for the process: the first shard to
// get EINVAL turns it off for all.
std::atomic<bool> poll_first_works{true};

}  // namespace

ReceiveAwaiter::ReceiveAwaiter(int fd, InputBuffer& in,
                               ConnectionCounters& counters, bool poll_first,
                               absl::Time deadline)
    : fd_(fd),
      in_(in),
      counters_(counters),
      poll_first_(poll_first &&
                  poll_first_works.load(std::memory_order_relaxed)),
      deadline_(deadline) {}

bool ReceiveAwaiter::await_ready() {
  ready_ = true;
  if (Reactor::Current()->stopping()) {
    completion_.result = -ECANCELED;
    return true;
  }
  space_ = in_.WritableSpace();
  if (space_.empty()) {
    completion_.result = -ENOBUFS;
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
  ready_ = false;
  return false;
}

void ReceiveAwaiter::await_suspend(std::coroutine_handle<> waiter) {
  completion_.waiter = waiter;
  Reactor& reactor = *Reactor::Current();
  reactor.ReserveSqes(timed_ ? 2 : 1);
  io_uring_sqe* sqe = reactor.PrepareSqe(&completion_);
  io_uring_prep_recv(sqe, fd_, space_.data(), space_.size(), 0);
  if (poll_first_) sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
  if (timed_) {
    sqe->flags |= IOSQE_IO_LINK;
    // Its own completion (-ETIME or -ECANCELED) is ignored: the receive's
    // result says what happened.
    io_uring_prep_link_timeout(reactor.PrepareSqe(nullptr), &timeout_, 0);
  }
}

int ReceiveAwaiter::await_resume() {
  const int result = completion_.result;
  if (result > 0) {
    in_.Commit(static_cast<size_t>(result));
    counters_.bytes_in += static_cast<uint64_t>(result);
    return result;
  }
  if (!ready_ && result == -ECANCELED && timed_ &&
      !Reactor::Current()->stopping()) {
    return -ETIMEDOUT;
  }
  if (!ready_ && result == -EINVAL && poll_first_) {
    poll_first_works.store(false, std::memory_order_relaxed);
    return -EAGAIN;
  }
  return result;
}

Connection::Connection(int fd, Acceptor* acceptor,
                       ConnectionCounters* counters)
    : fd_(fd), acceptor_(acceptor), counters_(counters) {}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      acceptor_(other.acceptor_),
      counters_(other.counters_),
      replied_(other.replied_) {}

Connection::~Connection() {
  if (fd_ < 0) return;
  close(fd_);
  acceptor_->Closed();
}

ReceiveAwaiter Connection::Receive(InputBuffer& in, absl::Time deadline) {
  const bool poll_first = std::exchange(replied_, false);
  return ReceiveAwaiter(fd_, in, *counters_, poll_first, deadline);
}

Task<bool> Connection::SendAll(std::string_view data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const int n = co_await SendSome(fd_, data.data() + sent, data.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  counters_->bytes_out += sent;
  replied_ = sent > 0;
  co_return sent == data.size();
}

}  // namespace shardd::net
