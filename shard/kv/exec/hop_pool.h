// HopPool: a shard's spare HopBatches (hop_batch.h), RemoteCommands
// (remote_command.h) and plans of split commands (split_plan.h). Each is
// taken and given back on the shard of its connection, so a remote command
// allocates nothing once the pool is warm: the objects come back with their
// buffers' capacity. Bounded, so that a burst does not pin memory for good.
//
//   HopBatch* batch = pool.batches.Take();   // null: make a new one
//   pool.batches.Give(batch);                // deleted if the pool is full
#ifndef SHARDD_SHARD_KV_EXEC_HOP_POOL_H_
#define SHARDD_SHARD_KV_EXEC_HOP_POOL_H_

#include <cstddef>
#include <vector>

namespace shardd::kv {

class RemoteCommand;
class HopBatch;
struct SplitScratch;

// Up to `kMax` spare objects of one kind.
template <typename T, size_t kMax>
class Spares {
 public:
  Spares() = default;
  Spares(const Spares&) = delete;
  Spares& operator=(const Spares&) = delete;
  ~Spares() {
    for (T* spare : spares_) delete spare;
  }

  T* Take() {
    if (spares_.empty()) return nullptr;
    T* spare = spares_.back();
    spares_.pop_back();
    return spare;
  }
  void Give(T* spare) {
    if (spares_.size() < kMax) {
      spares_.push_back(spare);
    } else {
      delete spare;
    }
  }

 private:
  std::vector<T*> spares_;
};

struct HopPool {
  HopPool();   // both where the pooled types are complete
  HopPool(const HopPool&) = delete;
  HopPool& operator=(const HopPool&) = delete;
  ~HopPool();

  // A connection has at most one batch out per shard per wait; a shard's
  // connections many, but each batch holds up to 16 commands.
  Spares<HopBatch, 256> batches;
  // As many refused commands as one connection may have out
  // (kMaxPendingRemote, resp_session.cc).
  Spares<RemoteCommand, 1024> commands;
  // One per split command in flight across threads (RunAtomically, and
  // EXEC's split commands); each connection has at most one. Trimmed when
  // given back (TrimSplitScratch), a spare keeps up to about 16 KiB per
  // shard of the server: 64 of them, 8 MiB with 8 shards.
  Spares<SplitScratch, 64> splits;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HOP_POOL_H_
