#include "net/acceptor.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <utility>

#include "absl/time/time.h"
#include "net/socket_io.h"
#include "shard/message.h"
#include "shard/timer.h"

namespace shardd::net {

// Carries an accepted socket to the shard chosen to serve it.
class ConnectionHandoff final : public Message {
 public:
  ConnectionHandoff(Acceptor& acceptor, int fd)
      : acceptor_(acceptor), fd_(fd) {}
  void Run() override {
    acceptor_.Adopt(fd_);
    delete this;
  }

 private:
  Acceptor& acceptor_;
  int fd_;
};

namespace {

// How long an accept loop sleeps when it cannot even refuse a client for
// lack of descriptors, and after an unexpected accept error: long enough to
// cost nothing, short enough that service resumes promptly.
constexpr absl::Duration kAcceptBackoff = absl::Milliseconds(100);

int OpenReserveDescriptor() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

// Errors that concern one connection only (it was reset before we took it,
// a signal, ...): accepting again at once is right.
bool IsTransient(int error) {
  return error == ECONNABORTED || error == EINTR || error == EAGAIN ||
         error == EPERM || error == EPROTO;
}

void SetSocketOptions(int fd, int keepalive_seconds) {
  int one = 1;
  // Replies are written in whole batches, so Nagle's delay only adds latency.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (keepalive_seconds <= 0) return;
  // As Redis's anetKeepAlive: first probe after the idle time, then probes a
  // third of it apart, three unanswered probes end the connection.
  int interval = keepalive_seconds;
  int probe_interval = std::max(1, interval / 3);
  int probes = 3;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &interval, sizeof(interval));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &probe_interval,
             sizeof(probe_interval));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
}

}  // namespace

Acceptor::Acceptor(AcceptorOptions options, uint32_t shard_count,
                   Handler handler)
    : options_(std::move(options)),
      shard_count_(shard_count),
      handler_(std::move(handler)),
      slots_(options_.max_clients),
      keepalive_seconds_(options_.keepalive_seconds),
      balancer_(shard_count, options_.balance),
      counters_(shard_count) {}

absl::Status Acceptor::Listen() {
  absl::StatusOr<ListenerGroup> group = ListenerGroup::Open(
      options_.bind_address, options_.port,
      std::min(options_.listeners, shard_count_));
  if (!group.ok()) return group.status();
  listeners_.emplace(std::move(*group));
  RestoreReserve(OpenReserveDescriptor());
  return absl::OkStatus();
}

Acceptor::~Acceptor() {
  const int reserve = reserve_fd_.exchange(-1);
  if (reserve >= 0) close(reserve);
}

void Acceptor::RestoreReserve(int fd) {
  if (fd < 0) return;
  int none = -1;
  if (!reserve_fd_.compare_exchange_strong(none, fd)) close(fd);
}

void Acceptor::StartOnShard(Reactor& reactor) {
  const uint32_t shard = reactor.shard_id();
  if (shard >= listeners_->size()) return;
  reactor.Spawn(AcceptLoop(listeners_->fd(shard)));
}

Task<void> Acceptor::AcceptLoop(int listen_fd) {
  Reactor& reactor = *Reactor::Current();
  ConnectionCounters& counters = counters_.Local();
  // The epoll backend accepts when the socket is ready, and an accept on a
  // blocking socket whose connection was reset meanwhile would block.
  if (reactor.epoll() != nullptr) {
    fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
  }
  bool short_of_descriptors = false;  // said so on stderr already
  for (;;) {
    const int fd = co_await AcceptOn(listen_fd);
    if (fd == -ECANCELED) break;
    if (fd == -EMFILE || fd == -ENFILE) {
      ++counters.fd_exhausted;
      if (!short_of_descriptors) {
        short_of_descriptors = true;
        std::fprintf(stderr,
                     "shardd: %s: out of file descriptors (raise ulimit -n "
                     "or lower the client limit); refusing new clients "
                     "until some close\n",
                     options_.name.c_str());
      }
      co_await ShedWithoutDescriptors(listen_fd);
      continue;
    }
    short_of_descriptors = false;
    if (fd < 0) {
      if (!IsTransient(-fd) && !co_await Delay(kAcceptBackoff)) break;
      continue;
    }
    if (reserve_fd_.load(std::memory_order_acquire) < 0) {
      // This accept took the descriptor a shard freed to refuse a client
      // (or one is refusing now): refused, it is the reserve again.
      SendRefusal(fd);
      shutdown(fd, SHUT_RDWR);
      RestoreReserve(fd);
      continue;
    }
    if (!slots_.TryAcquire()) {
      Refuse(fd);
      continue;
    }
    const uint32_t target = balancer_.Assign(reactor.shard_id());
    if (target == reactor.shard_id()) {
      Adopt(fd);
    } else {
      reactor.Send(target, new ConnectionHandoff(*this, fd));
    }
  }
}

Task<void> Acceptor::ShedWithoutDescriptors(int listen_fd) {
  // An accept fails at once without a free descriptor, pending client or
  // not; retrying it is the busy loop to avoid. Waiting for readability
  // needs no descriptor.
  if (co_await PollReadable(listen_fd) < 0) co_return;
  // (None: another shard is refusing with it, or an accept took its
  // descriptor and will give one back; this accept then fails and waits.)
  const int reserve = reserve_fd_.exchange(-1);
  if (reserve >= 0) close(reserve);
  // Non-blocking for this one accept: the client the poll saw may have gone
  // (reset) before it. The flag is cleared again for io_uring's accepts.
  const int flags = fcntl(listen_fd, F_GETFL);
  fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK);
  const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  fcntl(listen_fd, F_SETFL, flags);
  if (fd >= 0) {
    // The refused client's descriptor becomes the reserve, shut down but
    // kept: closing it and opening another would leave a moment in which
    // another accept takes the slot.
    SendRefusal(fd);
    shutdown(fd, SHUT_RDWR);
    RestoreReserve(fd);
    co_return;
  }
  RestoreReserve(OpenReserveDescriptor());
  co_await Delay(kAcceptBackoff);
}

void Acceptor::SendRefusal(int fd) {
  // Non-blocking best effort, as Redis does for the same refusal.
  send(fd, options_.refusal.data(), options_.refusal.size(),
       MSG_DONTWAIT | MSG_NOSIGNAL);
  ++counters_.Local().rejected;
}

void Acceptor::Refuse(int fd) {
  SendRefusal(fd);
  close(fd);
}

void Acceptor::Adopt(int fd) {
  Reactor& reactor = *Reactor::Current();
  if (reactor.stopping()) {
    close(fd);
    balancer_.Release(reactor.shard_id());
    slots_.Release();
    return;
  }
  SetSocketOptions(fd, keepalive_seconds());
  SocketId socket{.value = fd};
  std::optional<SocketAddresses> addresses;
  if (RegisteredFiles* table = reactor.registered_files();
      table != nullptr && options_.register_sockets) {
    // Read now: the descriptor, the only way to ask, goes.
    addresses = SocketAddresses::Of(fd);
    if (const std::optional<int> index = table->Install(fd)) {
      close(fd);
      socket = {.value = *index, .registered = true};
    }
  }
  ConnectionCounters& counters = counters_.Local();
  ++counters.accepted;
  ++counters.current;
  reactor.Spawn(handler_(Connection(socket, this, &counters, addresses)));
}

void Acceptor::Closed() {
  ConnectionCounters& counters = counters_.Local();
  ++counters.closed;
  --counters.current;
  balancer_.Release(Reactor::Current()->shard_id());
  slots_.Release();
}

}  // namespace shardd::net
