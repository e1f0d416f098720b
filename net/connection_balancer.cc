#include "net/connection_balancer.h"

namespace shardd::net {

ConnectionBalancer::ConnectionBalancer(uint32_t shard_count, bool enabled)
    : shard_count_(shard_count),
      enabled_(enabled),
      counts_(new Count[shard_count]) {}

uint32_t ConnectionBalancer::Assign(uint32_t acceptor) {
  uint32_t best = acceptor;
  if (enabled_) {
    int64_t best_open = OpenOn(acceptor);
    for (uint32_t s = 0; s < shard_count_; ++s) {
      const int64_t open = OpenOn(s);
      if (open < best_open) {
        best = s;
        best_open = open;
      }
    }
  }
  // Counted at once, so an acceptor on another shard deciding at the same
  // moment already sees it; two acceptors can still race, which costs at most
  // one connection of imbalance each.
  counts_[best].open.fetch_add(1, std::memory_order_relaxed);
  return best;
}

}  // namespace shardd::net
