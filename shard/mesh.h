// Mesh: the wiring between shards — one Mailbox per ordered pair (from, to),
// one Doorbell per shard, and the counter of the stop handshake. Built once
// before the shard threads start and destroyed after they are joined; the
// shards only ever touch it through their Reactor.
//
//   Mesh mesh(4, /*mailbox_capacity=*/1024);
//   Mailbox& box = mesh.Between(0, 3);   // written by shard 0, read by 3
#ifndef SHARDD_SHARD_MESH_H_
#define SHARDD_SHARD_MESH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "shard/doorbell.h"
#include "shard/mailbox.h"

namespace shardd {

class Mesh {
 public:
  Mesh(uint32_t shard_count, size_t mailbox_capacity);

  uint32_t shard_count() const { return shard_count_; }
  Mailbox& Between(uint32_t from, uint32_t to) {
    return *mailboxes_[from * shard_count_ + to];
  }
  Doorbell& BellOf(uint32_t shard) { return *doorbells_[shard]; }

  // Stop handshake: each shard calls this once it has no task left; the
  // shards keep serving mailboxes until all have arrived, because until then
  // a peer's task may still need them. Returns true for the last arrival.
  bool ArriveQuiescent() {
    return quiescent_.fetch_add(1, std::memory_order_acq_rel) + 1 ==
           shard_count_;
  }
  bool AllQuiescent() const {
    return quiescent_.load(std::memory_order_acquire) == shard_count_;
  }

 private:
  const uint32_t shard_count_;
  // unique_ptr keeps each mailbox at a fixed, cache-line aligned address.
  std::vector<std::unique_ptr<Mailbox>> mailboxes_;
  std::vector<std::unique_ptr<Doorbell>> doorbells_;
  std::atomic<uint32_t> quiescent_{0};
};

}  // namespace shardd

#endif  // SHARDD_SHARD_MESH_H_
