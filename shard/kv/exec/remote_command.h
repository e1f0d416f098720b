// Commands travel to their owner shards in HopBatches (hop_batch.h); this
// file has the two pieces that outlive a batch. A RemoteCommand is one
// credited command on its own: one its owner refused for lack of credit or
// because a transaction held one of its keys, kept in its reply slot and
// sent again (CommandRouter::ResendRefused). It owns a copy of its
// arguments and is one round trip: Run() on the owner executes it (or, if
// a key is still held, queues for it in the lock table and runs when
// granted), Run() back home delivers the reply. A FanOut collects the parts
// of a whole-keyspace command (DBSIZE, KEYS) and merges their replies. Both come from the shard's HopPool and go back to it, so that
// neither side of a hop allocates once the pool is warm.
//
//   RemoteCommand* command = RemoteCommand::Make(shards, spec, args,
//       {.queue = &q, .slot = slot, .credit = &credit});
//   reactor.Send(owner, command);  // back to its shard's pool once home
#ifndef SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/exec/hop_credit.h"
#include "shard/kv/exec/key_locks.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/reply_merger.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/message.h"

namespace shardd::kv {

// Merges the replies of a command run on every shard, then fills its slot.
// Pooled like RemoteCommand (hop_pool.h): its vectors and reply buffers
// keep their capacity from one command to the next.
class FanOut {
 public:
  // A fan-out from the calling shard's pool (or a new one) for a command
  // split into `parts`.
  static FanOut* Make(KvShards& shards, const CommandSpec& spec, size_t parts,
                      ReplyQueue& queue, ReplyQueue::Slot* slot);

  // Part `part` replied: takes `reply`'s bytes and leaves `reply` empty,
  // with a spare buffer. The last part merges, fills the slot, and goes
  // back to the pool.
  void Receive(size_t part, std::string& reply);
  // The same, copying `reply` (a part of a HopBatch's replies).
  void Receive(size_t part, std::string_view reply);

 private:
  FanOut() = default;
  // Part `part`'s reply is in replies_[part]: the last part merges.
  void PartArrived();

  KvShards* shards_ = nullptr;  // the connection's shard's, for RANDOMKEY
  const CommandSpec* spec_ = nullptr;
  size_t parts_ = 0;
  size_t parts_left_ = 0;
  std::vector<std::string> replies_;
  ReplyMerger merger_;
  ReplyQueue* queue_ = nullptr;
  ReplyQueue::Slot* slot_ = nullptr;
};

// Where a hopped command's reply goes once it is back home (a
// RemoteCommand's: always a credited slot).
struct ReplyTarget {
  ReplyQueue* queue = nullptr;  // either a slot of this queue ...
  ReplyQueue::Slot* slot = nullptr;
  // ... whose owner may refuse the command past this credit, or null ...
  HopCredit* credit = nullptr;
  FanOut* fan_out = nullptr;  // ... or a part of this fan-out
  size_t part = 0;
};

class RemoteCommand final : public Message, public LockWaiter {
 public:
  // A command object from the calling shard's pool (or a new one), for a
  // slot with a credit. Pooled: the object, its argument buffer and its
  // reply buffer are reused with their capacity.
  static RemoteCommand* Make(KvShards& shards, const CommandSpec& spec,
                             CommandArgs args, ReplyTarget target);

  // A command its owner refused (hop_credit.h), made ready to go again with
  // the credit as it stands now. `resume`: the first of the connection's
  // refused commands for that owner, which ends the owner's stall.
  void PrepareRetry(bool resume);
  HopCredit* credit() const { return target_.credit; }
  // A refused command that will not be sent again goes back to the pool.
  void Discard() { Recycle(); }

  void Run() override;
  // On the owner, when a command that queued for locked keys gets them.
  void Granted() override;
  // On the owner shard, for a single-key command: the key's table slot
  // (pass 0), then its node (pass 1).
  void Prefetch(int pass) override;

 private:
  RemoteCommand() = default;
  void Recycle();

  KvShards* shards_ = nullptr;
  const CommandSpec* spec_ = nullptr;
  std::string arg_bytes_;  // all arguments back to back: one buffer
  std::vector<std::string_view> args_;
  std::string reply_;
  ReplyTarget target_;
  // Copied from target_.credit when sent: the owner reads these, never the
  // credit, which belongs to the home shard.
  HopStream* stream_ = nullptr;
  uint64_t granted_ = 0;
  uint32_t origin_ = 0;
  bool executed_ = false;
  bool refused_ = false;  // by the owner, for lack of credit
  bool resume_ = false;   // see PrepareRetry
  // On the owner, while it queues for locked keys: its distinct keys.
  std::vector<size_t> key_positions_;
  std::vector<std::string_view> lock_keys_;
  uint64_t refusals_when_queued_ = 0;  // the stream's count then
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_
