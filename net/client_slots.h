// ClientSlots: a service's maxclients, counted exactly across shards. Every
// accepting shard takes a slot before serving a connection and the serving
// shard gives it back on close. One atomic counter shared by the shards: a
// per-shard count could be exceeded by up to shards-1 when several shards
// accept at the same moment. It is touched once per connection, not per
// request, so the shared cache line costs nothing measurable.
//
//   if (!slots.TryAcquire()) { refuse(fd); return; }
//   ... on close: slots.Release();
#ifndef SHARDD_NET_CLIENT_SLOTS_H_
#define SHARDD_NET_CLIENT_SLOTS_H_

#include <atomic>
#include <cstdint>

namespace shardd::net {

class ClientSlots {
 public:
  explicit ClientSlots(uint32_t limit) : limit_(limit) {}

  // CONFIG SET maxclients: connections beyond a lowered limit stay; new
  // ones are refused until the count is under it.
  void set_limit(uint32_t limit) {
    limit_.store(limit, std::memory_order_relaxed);
  }

  // Takes a slot; false (and nothing taken) when all `limit` are in use.
  bool TryAcquire() {
    uint32_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used >= limit_.load(std::memory_order_relaxed)) return false;
    } while (!used_.compare_exchange_weak(used, used + 1,
                                          std::memory_order_relaxed));
    return true;
  }
  void Release() { used_.fetch_sub(1, std::memory_order_relaxed); }

  uint32_t limit() const { return limit_.load(std::memory_order_relaxed); }
  uint32_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint32_t> limit_;
  std::atomic<uint32_t> used_{0};
};

}  // namespace shardd::net

#endif  // SHARDD_NET_CLIENT_SLOTS_H_
