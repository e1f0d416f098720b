// ConnectionBalancer: decides which shard serves a freshly accepted
// connection. SO_REUSEPORT hashes the 4-tuple, which spreads few or
// short-lived connections unevenly (docs/connection-spread.md has the
// measurements); the accepting shard therefore hands the socket to the shard
// with the fewest open connections. Cross-thread by design: each shard's count
// is one relaxed atomic that every acceptor reads, each on its own cache line.
//
//   uint32_t target = balancer.Assign(this_shard);   // counts it as open there
//   ...                                              // on close, on `target`:
//   balancer.Release(target);
#ifndef SHARDD_NET_CONNECTION_BALANCER_H_
#define SHARDD_NET_CONNECTION_BALANCER_H_

#include <atomic>
#include <cstdint>
#include <memory>

namespace shardd::net {

class ConnectionBalancer {
 public:
  // With `enabled` false every connection stays where the kernel put it, which
  // is how the spread of plain SO_REUSEPORT is measured.
  ConnectionBalancer(uint32_t shard_count, bool enabled);

  // Picks the shard for a connection accepted on `acceptor` and counts it
  // there. Ties go to the acceptor, which avoids a hop.
  uint32_t Assign(uint32_t acceptor);

  // The connection counted on `shard` by Assign() has closed.
  void Release(uint32_t shard) {
    counts_[shard].open.fetch_sub(1, std::memory_order_relaxed);
  }

  int64_t OpenOn(uint32_t shard) const {
    return counts_[shard].open.load(std::memory_order_relaxed);
  }

 private:
  struct alignas(64) Count {
    std::atomic<int64_t> open{0};
  };
  const uint32_t shard_count_;
  const bool enabled_;
  std::unique_ptr<Count[]> counts_;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_CONNECTION_BALANCER_H_
