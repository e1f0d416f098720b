// HopBatch: the commands one connection's batch sends to one owner shard,
// as one message both ways. The home shard appends each command's
// arguments to one buffer; the owner runs the commands in order and appends
// their replies to one buffer; back home each reply goes to its slot in
// order. One mailbox message, one publication and a few cache lines cross
// between the cores per batch, instead of an object per command. Pooled
// (hop_pool.h): neither side allocates once it is warm.
//
//   HopBatch* batch = HopBatch::Make(shards);
//   batch->Add(spec, args, {.queue = &q, .slot = slot, .credit = &credit});
//   reactor.Send(owner, batch);  // back to its shard's pool once delivered
//
// Credit (hop_credit.h) works per command as for a RemoteCommand: the owner
// refuses a command past the grant, or one that meets a key a transaction
// holds (key_locks.h), and every later one of the batch too; home turns
// each refused one into a RemoteCommand kept in its slot, sent again by
// CommandRouter::ResendRefused.
#ifndef SHARDD_SHARD_KV_EXEC_HOP_BATCH_H_
#define SHARDD_SHARD_KV_EXEC_HOP_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/exec/remote_command.h"
#include "shard/kv/store/store.h"
#include "shard/message.h"

namespace shardd::kv {

class HopBatch final : public Message {
 public:
  // An empty batch from the calling shard's pool (or a new one).
  static HopBatch* Make(KvShards& shards);

  // Appends a command: its arguments are copied. Every target of a batch
  // has the same credit (the connection's for this owner).
  void Add(const CommandSpec& spec, CommandArgs args, ReplyTarget target);
  size_t size() const { return entries_.size(); }

  void Run() override;
  // On the owner: the first command's key (the loop prefetches a group of
  // messages; Run() prefetches the rest of each batch itself).
  void Prefetch(int pass) override;

 private:
  struct Entry {
    const CommandSpec* spec;
    uint32_t first_arg;  // index into arg_sizes_
    uint32_t arg_count;
    size_t arg_start;    // its first argument's first byte in arg_bytes_
    size_t reply_end;    // in reply_, set by the owner
    bool refused;
    ReplyTarget target;
  };

  HopBatch() = default;
  void RunOnOwner();
  void DeliverHome();
  // The store holding `entry`'s key, with the key in `key`; null for a
  // command without one key first.
  const Store* KeyOf(const Entry& entry, std::string_view* key) const;
  // The arguments of `entry`, as views into arg_bytes_ (in args_).
  CommandArgs ArgsOf(const Entry& entry);
  void Recycle();

  KvShards* shards_ = nullptr;
  // Copied from the credited commands' credit as they are added (the owner
  // reads these, never the credit, which belongs to the home shard).
  HopStream* stream_ = nullptr;
  uint64_t granted_ = 0;
  uint32_t origin_ = 0;
  bool executed_ = false;
  // The first command's key, between Prefetch's two passes.
  const Store* first_store_ = nullptr;
  Store::HashedKey first_key_{};
  std::string arg_bytes_;
  std::vector<uint32_t> arg_sizes_;
  std::vector<std::string_view> args_;  // scratch
  std::vector<Entry> entries_;
  std::string reply_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HOP_BATCH_H_
