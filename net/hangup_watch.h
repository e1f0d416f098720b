// HangupWatch: calls back as soon as a connection's peer hangs up (its FIN
// or a reset), while nothing reads the socket: a client blocked in BLPOP
// and the like sends nothing more, but may leave, and Redis frees it at
// once (an element pushed after it left must not be popped for it).
// io_uring: one POLL_ADD for POLLRDHUP; epoll: the socket's registration
// (EpollBackend::WatchHangup). The callback runs where the loop learns of
// the hang-up, in the order events arrived: before the loop handles what
// came after it. So it must do at once what cannot wait (and may wake a
// coroutine for the rest).
//
//   HangupWatch* watch =
//       HangupWatch::Start(connection.socket(), [&] { ...; wait.Wake(); });
//   co_await wait.Until(deadline);
//   watch->Abandon();
//
// Lifetime: as MultishotReceiver's, the kernel may hold the poll after
// Abandon(); the watch then frees itself when its last CQE comes.
#ifndef SHARDD_NET_HANGUP_WATCH_H_
#define SHARDD_NET_HANGUP_WATCH_H_

#include <functional>

#include "net/socket_id.h"
#include "shard/reactor.h"

namespace shardd::net {

class HangupWatch {
 public:
  // Watches `socket` (connected) on the calling shard; `on_hangup` runs at
  // most once, possibly before Start returns. If the watching itself
  // fails, it never runs.
  static HangupWatch* Start(SocketId socket, std::function<void()> on_hangup);
  HangupWatch(const HangupWatch&) = delete;
  HangupWatch& operator=(const HangupWatch&) = delete;

  // Stops watching and deletes this watch, now or once the kernel has let
  // go of it; `on_hangup` does not run after this.
  void Abandon();

 private:
  struct OwnedCompletion : Completion {
    HangupWatch* owner;
  };

  HangupWatch(SocketId socket, std::function<void()> on_hangup);
  ~HangupWatch() = default;  // through Abandon()
  static void OnComplete(Completion* completion);

  const SocketId socket_;
  std::function<void()> on_hangup_;
  OwnedCompletion completion_;
  bool armed_ = false;  // the poll is in the kernel (or the epoll backend)
  bool abandoned_ = false;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_HANGUP_WATCH_H_
