// Acceptor: how every service gets its connections. It opens the service's
// listening sockets (one per accepting shard, SO_REUSEPORT), runs an accept
// loop on each of those shards, enforces maxclients exactly across shards,
// hands each connection to the least-loaded shard, sets the socket options
// (TCP_NODELAY, keepalive), moves the socket into the ring's table of
// registered files if the service asks, and starts the service's handler
// there with a Connection. It knows nothing of what the service speaks: a
// service gives it a handler and the bytes that refuse a client past
// maxclients.
//
//   Acceptor acceptor(options, shard_count,
//                     [](Connection c) { return Serve(std::move(c)); });
//   RETURN_IF_ERROR(acceptor.Listen());  // before the shards start
//   acceptor.StartOnShard(reactor);      // on every shard
//
// Descriptors running out (EMFILE/ENFILE) never make the loop spin: it waits
// until a connection is pending, accepts and refuses it with a descriptor
// kept in reserve for that purpose, and sleeps when even that fails.
#ifndef SHARDD_NET_ACCEPTOR_H_
#define SHARDD_NET_ACCEPTOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "net/client_slots.h"
#include "net/connection.h"
#include "net/connection_balancer.h"
#include "net/listener.h"
#include "shard/per_shard.h"
#include "shard/reactor.h"
#include "shard/task.h"

namespace shardd::net {

struct AcceptorOptions {
  std::string name;  // for log lines, e.g. "kv"
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port
  // Shards 0 .. listeners-1 accept, each on its own socket.
  uint32_t listeners = 1;
  // Hand each connection to the shard serving the fewest; else it stays on
  // the shard that accepted it.
  bool balance = true;
  uint32_t max_clients = 10000;
  // Sent (best effort, without waiting) to a client past max_clients before
  // the close, e.g. RESP's "-ERR max number of clients reached\r\n".
  std::string refusal;
  // TCP keepalive probes after this many idle seconds (0: off), to find
  // peers that vanished without a FIN.
  int keepalive_seconds = 300;
  // Bytes one SendAll may hold for a client; more closes the connection,
  // with a line on stderr and a counter (0: no limit).
  size_t output_limit = 0;
  // Keep each connection's socket in the serving ring's table of
  // registered files (Reactor::registered_files()) instead of a descriptor
  // where the ring has a free entry. The service must then reach the
  // socket through Connection only (no system calls on fd()).
  bool register_sockets = false;
};

class Acceptor {
 public:
  // Runs on the serving shard for every connection; the connection is
  // closed when the handler's task ends (with the Connection).
  using Handler = std::function<Task<void>(Connection)>;

  Acceptor(AcceptorOptions options, uint32_t shard_count, Handler handler);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Opens the listening sockets. Fails, without taking the port, when
  // another process listens on it already.
  absl::Status Listen();
  uint16_t port() const { return listeners_->port(); }

  // On every shard's thread: starts its accept loop if it has a listener.
  void StartOnShard(Reactor& reactor);

  uint32_t max_clients() const { return slots_.limit(); }
  // CONFIG SET maxclients and tcp-keepalive, from any shard: they hold
  // for connections accepted from then on.
  void set_max_clients(uint32_t limit) { slots_.set_limit(limit); }
  int keepalive_seconds() const {
    return keepalive_seconds_.load(std::memory_order_relaxed);
  }
  void set_keepalive_seconds(int seconds) {
    keepalive_seconds_.store(seconds, std::memory_order_relaxed);
  }
  const AcceptorOptions& options() const { return options_; }
  uint32_t open_connections() const { return slots_.used(); }
  // Shard `shard`'s counters; read them on that shard.
  const ConnectionCounters& CountersOn(uint32_t shard) const {
    return counters_.On(shard);
  }
  // CONFIG RESETSTAT, on shard `shard`: the totals start again from zero
  // (the connections open now stay counted).
  void ResetTotalsOn(uint32_t shard) {
    ConnectionCounters& c = counters_.On(shard);
    c = ConnectionCounters{.current = c.current};
  }

 private:
  friend class Connection;
  friend class ConnectionHandoff;

  Task<void> AcceptLoop(int listen_fd);
  // Accept failed with EMFILE/ENFILE: refuse one waiting client with the
  // reserve descriptor, or back off.
  Task<void> ShedWithoutDescriptors(int listen_fd);
  // `fd` (refused, or -1) becomes the reserve if there is none; else it
  // is closed.
  void RestoreReserve(int fd);
  // Sends the refusal and counts it; the caller closes or keeps `fd`.
  void SendRefusal(int fd);
  void Refuse(int fd);
  // On the serving shard: configure `fd` and start the handler.
  void Adopt(int fd);
  // A Connection of this acceptor closed, on the calling shard.
  void Closed();

  const AcceptorOptions options_;
  const uint32_t shard_count_;
  const Handler handler_;
  std::optional<ListenerGroup> listeners_;
  ClientSlots slots_;
  std::atomic<int> keepalive_seconds_;
  ConnectionBalancer balancer_;
  PerShard<ConnectionCounters> counters_;
  // One descriptor the process keeps in reserve (/dev/null, or a refused
  // client's socket): with none free, a shard closes it to accept one
  // waiting client, refuse it, and keep that client's descriptor as the
  // reserve. Any shard's accept may take the descriptor freed meanwhile;
  // an accept that finds the reserve gone refuses its client and makes its
  // descriptor the reserve, so it is never lost for good (a shard without
  // one could refuse no one: its clients would hang). -1 while in use.
  std::atomic<int> reserve_fd_{-1};
};

}  // namespace shardd::net

#endif  // SHARDD_NET_ACCEPTOR_H_
