#include "net/hangup_watch.h"

#include <liburing.h>
#include <poll.h>

#include <cerrno>
#include <utility>

namespace shardd::net {

HangupWatch::HangupWatch(SocketId socket, std::function<void()> on_hangup)
    : socket_(socket), on_hangup_(std::move(on_hangup)) {
  completion_.on_complete = &HangupWatch::OnComplete;
  completion_.owner = this;
}

HangupWatch* HangupWatch::Start(SocketId socket,
                                std::function<void()> on_hangup) {
  auto* watch = new HangupWatch(socket, std::move(on_hangup));
  watch->armed_ = true;
  Reactor* reactor = Reactor::Current();
  if (EpollBackend* epoll = reactor->epoll()) {
    epoll->WatchHangup(socket.value,
                       &watch->completion_);  // may complete at once
  } else {
    io_uring_sqe* sqe = reactor->PrepareSqe(&watch->completion_);
    // POLLHUP and POLLERR are always reported too.
    io_uring_prep_poll_add(sqe, socket.value, POLLRDHUP);
    socket.Target(sqe);
  }
  return watch;
}

void HangupWatch::OnComplete(Completion* completion) {
  HangupWatch* watch = static_cast<OwnedCompletion*>(completion)->owner;
  watch->armed_ = false;
  if (watch->abandoned_) {
    Reactor::Current()->ReleaseLoop();
    delete watch;
    return;
  }
  // The events (> 0): a hang-up, or an error of the socket. An error of
  // the watch itself (-ECANCELED: the shard stops, which ends the wait
  // anyway) only ends the watching: a live client must not be let go.
  if (completion->result > 0) watch->on_hangup_();
}

void HangupWatch::Abandon() {
  if (!armed_) {
    delete this;
    return;
  }
  Reactor* reactor = Reactor::Current();
  if (EpollBackend* epoll = reactor->epoll()) {
    epoll->ForgetHangup(socket_.value);
    delete this;
    return;
  }
  abandoned_ = true;
  io_uring_sqe* sqe = reactor->PrepareSqe(nullptr);
  io_uring_prep_cancel(sqe, &completion_, 0);
  io_uring_sqe_set_data(sqe, nullptr);  // its own CQE is ignored
  reactor->RetainLoop();
}

}  // namespace shardd::net
