// The messages that carry a command to the shard owning its keys and its reply
// back. A RemoteCommand owns a copy of its arguments (the connection's input
// buffer moves on) and is one round trip: Run() on the owner executes it,
// Run() back home delivers the reply. A FanOut collects the parts of a
// command whose keys live on several shards and merges their replies.
//
//   reactor.Send(owner, RemoteCommand::Make(shards, spec, args, {.queue = &q, .slot = slot}));
//   // goes back to its shard's pool once the reply is home
#ifndef SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_
#define SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/exec/hop_credit.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/message.h"

namespace shardd::kv {

// Merges the replies of a command split over shards, then fills its slot.
class FanOut {
 public:
  // `key_positions[part]` lists, for kArrayByKey, the client-order index of
  // each key sent in that part.
  FanOut(const CommandSpec& spec, size_t parts, size_t key_count,
         std::vector<std::vector<size_t>> key_positions, ReplyQueue& queue,
         ReplyQueue::Slot* slot, absl::BitGen& random);

  // Part `part` replied. The last one merges, fills the slot, and deletes the
  // FanOut.
  void Receive(size_t part, std::string reply);

 private:
  void Merge(std::string* out) const;

  const CommandSpec& spec_;
  size_t parts_left_;
  size_t key_count_;
  std::vector<std::vector<size_t>> key_positions_;
  std::vector<std::string> replies_;
  ReplyQueue& queue_;
  ReplyQueue::Slot* slot_;
  absl::BitGen& random_;  // the connection's shard's: picks RANDOMKEY's reply
};

// Where a RemoteCommand's reply goes once it is back home.
struct ReplyTarget {
  ReplyQueue* queue = nullptr;  // either a slot of this queue ...
  ReplyQueue::Slot* slot = nullptr;
  // ... whose owner may refuse the command past this credit, or null ...
  HopCredit* credit = nullptr;
  FanOut* fan_out = nullptr;  // ... or a part of this fan-out
  size_t part = 0;
};

class RemoteCommand final : public Message {
 public:
  // A command object from the calling shard's pool (or a new one). Pooling
  // keeps a remote GET free of allocations: the object, its argument buffer
  // and its reply buffer are reused with their capacity.
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
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_H_
