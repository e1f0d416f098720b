// Transaction: holds the keys of a step that spans shards (a multi-key
// command, a MULTI/EXEC block, a blocked client's retry) locked on their
// owners while the step runs, so that no other client sees or interleaves
// with a partial result (key_locks.h has the per-shard table).
//
//   Transaction tx(shards, keys);          // distinct keys, any shards
//   co_await tx.Lock(hook, &context);      // hook(context, part) on each owner
//   ... the step: InvokeOn the owners, which only this step may touch now
//   tx.Release();                          // unlock
//
// The flow:
//
//   parts = keys grouped by owner shard, in ascending shard order
//   for part in parts:                        -- one after the other
//     on part.shard, in one step:
//       register every key of part in KeyLocks (FIFO per key)
//       when the part holds them all:         -- now, or when released to it
//         hook(part)                          -- take the values out, or run
//                                             -- this shard's part of a command
//         back home; go on with the next part
//   the step runs at home (all keys held), and puts back what it took
//   for part in parts:                        -- messages, not awaited
//     on part.shard: serve clients blocked on the keys, release
//
// Why no deadlock: a part waits only on its own shard, only for waiters
// registered there before it, and a transaction registers on shards in
// ascending order, holding nothing on any shard after the one it waits on;
// so every wait points to an earlier registration on the same shard or to
// a higher shard, and no cycle can close.
//
// LockAtOnce saves the round trip per owner:
//
//   for part in parts, all at once:           -- one round trip in all
//     on part.shard: if no one holds or waits for its keys (TryAcquire;
//       for a whole-shard part, for any key: TryAcquireShard),
//       take them (and run hook(part) if the hooks only read);
//       else register nothing
//   first = the lowest part refused (none: past the last)
//   if the hooks write: the parts below first run their hooks, all at
//     once (a second round trip)
//   if a part was refused:
//     let go of the parts above first that were granted
//     go on as above, one after the other, from first
//
// A try never waits, so it closes no cycle; and once the parts above the
// first refusal are let go, what is held is what Lock would hold at that
// point: the parts below it. A reading hook may run twice for a part (let
// go, then granted again); the second run has none of the first's side
// effects (KvShard::repeating_read: no count, keyspace hits and misses,
// slow-log entry or keymiss notification). A writing one runs only on a
// part held for good.
#ifndef SHARDD_SHARD_KV_EXEC_TRANSACTION_H_
#define SHARDD_SHARD_KV_EXEC_TRANSACTION_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "shard/kv/exec/key_locks.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/store/entry.h"
#include "shard/message.h"
#include "shard/task.h"

namespace shardd::kv {

class Transaction {
  class LockAwaiter;
  class AtOnceAwaiter;

 public:
  // One owner shard's keys, and what the hook leaves there. Lives on the
  // heap: it travels to its owner as a message and is the owner's
  // LockWaiter.
  class Part final : public Message, public LockWaiter {
   public:
    uint32_t shard() const { return shard_; }
    // This shard's distinct keys, in the order first given.
    absl::Span<const std::string_view> keys() const { return key_views_; }

    // Free for the hook and the step: the keys' values taken out of the
    // owner's store (held_values.h) and the store's epoch then, or the
    // reply of this shard's part of a split command.
    std::vector<std::optional<Entry>> values;
    uint64_t epoch = 0;
    std::string reply;

    void Run() override;
    void Granted() override;

   private:
    friend class Transaction;
    friend class Transaction::LockAwaiter;
    friend class Transaction::AtOnceAwaiter;
    enum class State {
      kIdle,
      kAcquiring,
      kTrying,
      kRunningHook,
      kReturning,
      kReleasing
    };
    Part(Transaction& tx, uint32_t shard, uint32_t home)
        : tx_(&tx), shards_(&tx.shards_), shard_(shard), home_(home) {}
    // On the owner: registers in the lock table; true if granted at once.
    bool AcquireHere();
    // On the owner: takes the keys if they are free now (and runs the hook
    // if the transaction's hooks read); else refused_.
    void TryHere();
    // On the owner, holding the keys: the hook (a repeat without its side
    // effects, KvShard::repeating_read).
    void RunHook();
    // On the owner: serve blocked clients, unlock.
    void ReleaseHere();
    // Copies the keys key_views_ points at into key_bytes_, and points the
    // views there: the part outlives the keys it was made from.
    void OwnKeys();

    Transaction* tx_;  // until released: the owner reads its hook then
    KvShards* shards_;
    const uint32_t shard_;
    const uint32_t home_;
    // The keys, back to back, and views of each. Inline up to a size that
    // holds the common part (a few short keys): a part then allocates
    // nothing beyond itself.
    absl::InlinedVector<char, 64> key_bytes_;
    absl::InlinedVector<std::string_view, 4> key_views_;
    State state_ = State::kIdle;
    bool whole_ = false;  // locks the whole shard, not keys
    ShardMode mode_ = ShardMode::kExclusive;  // how, if whole_
    bool held_ = false;   // granted and not yet released
    bool refused_ = false;  // its try found a key held or waited for
    bool hooked_ = false;   // the hook ran since it was granted
    // Its hook, a read, ran on an earlier part for the same keys, let go
    // after its try (Renew): this run has no side effects of its own.
    bool repeat_ = false;
    std::coroutine_handle<> waiter_;
  };

  // Runs on a part's owner once the part holds its keys.
  using Hook = void (*)(void* context, Part& part);

  // A transaction over `keys` (duplicates are dropped), whose owners the
  // caller may have worked out already (`owners[i]`: keys[i]'s). Nothing is
  // locked yet.
  Transaction(KvShards& shards, absl::Span<const std::string_view> keys,
              absl::Span<const uint32_t> owners = {});
  // A transaction over the whole keyspace of each of `whole_shards`
  // (ascending): each part locks its shard entirely (KeyLocks::AcquireShard),
  // shared with other readers if the step only reads.
  struct WholeShards {
    absl::Span<const uint32_t> shards;
    ShardMode mode = ShardMode::kExclusive;
  };
  Transaction(KvShards& shards, WholeShards whole);
  // Releases what is still held.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // The parts, in ascending shard order.
  absl::Span<Part* const> parts() const { return parts_; }

  // Locks every part in turn, running `hook` on each owner as its keys
  // come; `context` is lent to the hooks. `done_by_hooks`: the hooks do
  // the whole step, each part's share as the part is granted (a split
  // command, an EXEC of single-shard commands); then the last part lets its
  // keys go right after its hook, since nothing more will touch them, and
  // only the earlier parts need Release()'s messages.
  Task<void> Lock(Hook hook, void* context, bool done_by_hooks = false);

  // Lock or LockAtOnce with `done_by_hooks`, whichever takes fewer round
  // trips: at once where three or more shards besides this one have parts
  // (two or more if `hooks_read`). A refused try costs a round for nothing,
  // so after one this shard's next steps lock one shard after another for a
  // while (where steps keep meeting each other's keys, 50 clients sending
  // DBSIZE say, tries would mostly be refused).
  Task<void> LockInFewestRounds(Hook hook, void* context, bool hooks_read);

  // Unlocks every part held.
  void Release();

 private:
  // Locks as Lock does, but asks every owner at once, each taking its keys
  // only if they are free (see the flow above): one round trip instead of
  // one per owner while nothing else holds them. If `hooks_read`, the
  // hooks only read and run with the tries; otherwise they run once all
  // the tries are back, on every owner at once (a second round trip).
  // True if every try was granted.
  Task<bool> LockAtOnce(Hook hook, void* context, bool done_by_hooks,
                        bool hooks_read);
  // Lets `part` (held) go, and returns a new part for the same keys.
  Part* Renew(Part* part);
  // Lets `part` go if it holds its keys; it is deleted in either case.
  void ReleasePart(Part* part);

  KvShards& shards_;
  absl::InlinedVector<Part*, 8> parts_;
  Hook hook_ = nullptr;
  void* context_ = nullptr;
  bool done_by_hooks_ = false;
  // LockAtOnce's: whether a try runs the hook, and while its steps are out,
  // how many and who waits for them.
  bool hook_at_try_ = false;
  size_t out_ = 0;
  std::coroutine_handle<> out_waiter_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_TRANSACTION_H_
