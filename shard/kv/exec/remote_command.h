// Commands travel to their owner shards in HopBatches (hop_batch.h). A
// RemoteCommand is one credited command on its own: one its owner refused,
// for lack of credit or because a transaction held one of its keys, kept in
// its reply slot and sent again (CommandRouter::ResendRefused). It owns a
// copy of its arguments and is one round trip: Run() on the owner executes
// it (or, if a key is still held, queues for it in the lock table and runs
// when granted), Run() back home delivers the reply. It comes from the
// shard's HopPool and goes back to it, so that neither side of a hop
// allocates once the pool is warm.
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

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/hop_credit.h"
#include "shard/kv/exec/key_locks.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/store/store.h"
#include "shard/message.h"

namespace shardd::kv {

// Where a hopped command's reply goes once it is back home: a slot of the
// connection's queue, whose owner may refuse the command past this credit;
// and the protocol the owner writes it in (copied: the connection may
// switch while the command travels).
struct ReplyTarget {
  ReplyQueue* queue = nullptr;
  ReplyQueue::Slot* slot = nullptr;
  HopCredit* credit = nullptr;
  resp::Protocol protocol = resp::Protocol::kResp2;
  uint32_t db = 0;         // the connection's database (SELECT)
  uint64_t client_id = 0;  // the connection's, for the slow log
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
  // (pass 2), then its node (pass 3).
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
  Store::HashedKey key_{};  // between Prefetch's two passes
  // On the owner, while it queues for locked keys: its distinct keys.
  std::vector<size_t> key_positions_;
  std::vector<std::string_view> lock_keys_;
  uint64_t refusals_when_queued_ = 0;  // the stream's count then
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_
