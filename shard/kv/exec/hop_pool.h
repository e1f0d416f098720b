// HopPool: a shard's spare HopBatches (hop_batch.h), RemoteCommands and
// FanOuts (remote_command.h).
// Both are taken and given back on the shard of their connection, so a
// remote command, or one split over shards, allocates nothing once the pool
// is warm: the objects come back with their buffers' capacity. Bounded, so
// that a burst does not pin memory for good.
//
//   RemoteCommand* command = pool.TakeCommand();   // null: make a new one
//   pool.Give(command);                            // deleted if the pool is full
#ifndef SHARDD_SHARD_KV_EXEC_HOP_POOL_H_
#define SHARDD_SHARD_KV_EXEC_HOP_POOL_H_

#include <cstddef>
#include <vector>

namespace shardd::kv {

class RemoteCommand;
class FanOut;
class HopBatch;

class HopPool {
 public:
  // As many commands as one connection may have out (kMaxPendingRemote,
  // resp_session.cc);
  // fewer fan-outs, which hold a buffer per part.
  static constexpr size_t kMaxSpareCommands = 1024;
  static constexpr size_t kMaxSpareFanOuts = 256;
  // A connection has at most one batch out per shard per wait; a shard's
  // connections many, but each batch holds up to 16 commands.
  static constexpr size_t kMaxSpareBatches = 256;

  HopPool() = default;
  HopPool(const HopPool&) = delete;
  HopPool& operator=(const HopPool&) = delete;
  ~HopPool();

  RemoteCommand* TakeCommand();
  FanOut* TakeFanOut();
  HopBatch* TakeBatch();
  void Give(RemoteCommand* command);
  void Give(FanOut* fan_out);
  void Give(HopBatch* batch);

 private:
  std::vector<RemoteCommand*> commands_;
  std::vector<FanOut*> fan_outs_;
  std::vector<HopBatch*> batches_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HOP_POOL_H_
