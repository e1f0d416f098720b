// PerShard<T>: one T for each shard, each reached from its own shard only
// (Seastar's sharded<T>, without the cross-shard calls: those go through
// InvokeOn). It replaces thread_local state and maps keyed by shard id, so
// that a service owns its per-shard state and a reader sees where it lives.
//
//   PerShard<Counters> counters(shard_count);
//   ++counters.Local().accepted;             // on a shard thread
//   Counters& c = counters.On(shard);        // on that shard, or at start/stop
//
// Each T is its own allocation, so two shards' Ts never share a cache line
// unless T is tiny; T is built on the thread that builds the PerShard.
#ifndef SHARDD_SHARD_PER_SHARD_H_
#define SHARDD_SHARD_PER_SHARD_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "shard/reactor.h"

namespace shardd {

template <typename T>
class PerShard {
 public:
  // Builds `shard_count` Ts, each from a copy of `args`.
  template <typename... Args>
  explicit PerShard(uint32_t shard_count, const Args&... args) {
    items_.reserve(shard_count);
    for (uint32_t i = 0; i < shard_count; ++i) {
      items_.push_back(std::make_unique<T>(args...));
    }
  }
  PerShard(const PerShard&) = delete;
  PerShard& operator=(const PerShard&) = delete;

  // The calling shard's T.
  T& Local() { return *items_[Reactor::Current()->shard_id()]; }
  const T& Local() const { return *items_[Reactor::Current()->shard_id()]; }

  // Shard `shard`'s T: for code running on that shard (e.g. inside InvokeOn),
  // or before the shards start and after they stop.
  T& On(uint32_t shard) { return *items_[shard]; }
  const T& On(uint32_t shard) const { return *items_[shard]; }

  uint32_t size() const { return static_cast<uint32_t>(items_.size()); }

 private:
  std::vector<std::unique_ptr<T>> items_;
};

}  // namespace shardd

#endif  // SHARDD_SHARD_PER_SHARD_H_
