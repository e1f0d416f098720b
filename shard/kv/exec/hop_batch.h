// HopBatch: the commands one connection's batch sends to one owner shard,
// as one message both ways. The home shard appends each command's
// arguments to one buffer; the owner runs the commands in order and appends
// their replies to one buffer; back home each reply goes, in order, to the
// connection's output buffer (or to its slot while an earlier reply is
// still out: reply_queue.h). One mailbox message, one publication and a few
// cache lines cross between the cores per batch, instead of an object per
// command. Pooled (hop_pool.h): neither side allocates once it is warm.
//
//   HopBatch* batch = HopBatch::Make(shards);
//   batch->Add(spec, args, {.queue = &q, .slot = slot, .credit = &credit});
//   reactor.Send(owner, batch);  // back to its shard's pool once delivered
//
// A line the other core wrote costs a transfer between the cores (47 to
// 260 ns on this project's VM, docs/performance.md, "Hops when a cache
// line crosses slowly"), so the fields are kept apart by who writes them
// and who reads them: what the owner reads of a command is 16 bytes (a
// batch of 16 in four lines), what it writes back is where each reply
// starts, and what only the home shard needs (each reply's slot) lies in lines
// the owner never touches. Prefetch() asks for the lines that crossed, for each
// group of messages the loop drains, before any of them runs.
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

  // Appends a command: its arguments are copied. Every command of a batch
  // comes from one connection, so every target has the same queue, credit
  // (the connection's for this owner) and client.
  void Add(const CommandSpec& spec, CommandArgs args,
           const ReplyTarget& target);
  size_t size() const { return steps_.size(); }

  void Run() override;
  // Pass 0: the batch's own lines; pass 1: the buffers Run() reads (on the
  // owner the commands and arguments, back home the replies); passes 2 and
  // 3, on the owner: the first command's key (Run() prefetches the rest of
  // each batch itself).
  void Prefetch(int pass) override;

 private:
  // What the owner reads of a command: 16 bytes (a database number fits
  // in 16 bits: --databases is at most 65,536).
  struct Step {
    const CommandSpec* spec;
    uint32_t arg_count;
    uint16_t db;
    resp::Protocol protocol;
  };
  static_assert(sizeof(Step) == 16);

  // Where a step's arguments start, walking the steps in order: in
  // arg_sizes_ and in arg_bytes_.
  struct Cursor {
    size_t arg = 0;
    size_t byte = 0;
  };

  HopBatch() = default;
  void RunOnOwner();
  void DeliverHome();
  // The store holding the key of the step at `at`, with the key in `key`;
  // null for a command without one key first.
  const Store* KeyOf(const Step& step, Cursor at, std::string_view* key) const;
  // The arguments of the step at `at`, as views into arg_bytes_ (in args_);
  // moves `at` to the next step.
  CommandArgs NextArgs(const Step& step, Cursor* at);
  // Moves `at` past a step.
  void Skip(const Step& step, Cursor* at) const;
  void Recycle();

  // Written at home, read by the owner: with the Message's own fields, two
  // cache lines (a vector rather than a string for the bytes, 24 bytes
  // against 32, is what keeps it to two).
  KvShards* shards_ = nullptr;
  // Copied from the credit as commands are added (the owner reads these,
  // never the credit, which belongs to the home shard).
  HopStream* stream_ = nullptr;
  uint64_t granted_ = 0;
  uint64_t client_id_ = 0;
  uint32_t origin_ = 0;
  std::vector<char> arg_bytes_;
  std::vector<uint32_t> arg_sizes_;
  std::vector<Step> steps_;

  // Written by the owner, read at home: one cache line.
  alignas(64) bool executed_ = false;
  // Every step from this one on was refused (a refusal stalls the
  // connection's stream, so the rest of the batch is refused too).
  uint32_t refused_from_ = 0;
  // Where each reply but the first starts in reply_. 32 bits hold them:
  // home grants only bytes of replies the owner built, so the grant never
  // runs ahead of what was built by more than the window (kHopWindowBytes),
  // and a command runs only while within the grant; so each reply that
  // another follows ended within the window. The last may be of any size.
  std::vector<uint32_t> reply_starts_;
  std::string reply_;

  // The owner's scratch.
  alignas(64) const Store* first_store_ = nullptr;
  Store::HashedKey first_key_{};
  std::vector<std::string_view> args_;

  // Home only.
  alignas(64) ReplyQueue* queue_ = nullptr;
  HopCredit* credit_ = nullptr;
  std::vector<ReplyQueue::Slot*> slots_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HOP_BATCH_H_
