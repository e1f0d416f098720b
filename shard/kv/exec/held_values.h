// Values handed over by their owner shards while their keys are locked
// (transaction.h): a command that cannot be split by shard runs its
// ordinary handler on them at home, then they go back.
//
//   uint64_t epoch = TakeValues(shards, keys, &values);     // on the owner
//   std::string reply = RunOnValues(shards, spec, args, parts, &effect);
//   PutValues(shards, keys, &values, epoch, effect);         // on the owner
//
// Values move (an Entry's pointer changes hands), never copy: a RENAME of
// a 512 MiB string across shards costs no copy of its bytes. While a value
// is away its key stays in the store, holding an empty string: the keyed
// commands of others queue for the lock, and DBSIZE, KEYS and SCAN still
// count and list the key as it was before the command. A FLUSHALL meanwhile
// wins: the values do not come back after it.
#ifndef SHARDD_SHARD_KV_EXEC_HELD_VALUES_H_
#define SHARDD_SHARD_KV_EXEC_HELD_VALUES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/kv/persist/log_block.h"
#include "shard/kv/store/entry.h"

namespace shardd::kv {

// What the executor knows of the keys a command holds: each one's
// database (the client's, but for the one key it writes in another:
// KeyInOtherDb, COPY ... DB's destination), and those it only reads
// (COPY's source, SINTERSTORE's sources), whose watches its write leaves
// alone, as Redis does.
struct HeldKeys {
  uint32_t db = 0;
  bool has_other = false;
  std::string_view other_key;
  uint32_t other_db = 0;
  std::vector<std::string_view> read_only;

  static HeldKeys For(const CommandSpec& spec, CommandArgs args, uint32_t db,
                      uint32_t databases);
  uint32_t Of(std::string_view key) const {
    return has_other && key == other_key ? other_db : db;
  }
};

// What a command run on held values did to them (RunOnValues).
struct WriteEffect {
  // A write command that did not fail and did not find that it changed
  // nothing.
  bool wrote = false;
  // A key it may write but left as it was (CommandContext::unchanged_key),
  // whose watches stay.
  std::optional<std::string_view> unchanged_key;
};

// One owner's keys and their values as taken (nullopt: none).
struct HeldValues {
  absl::Span<const std::string_view> keys;
  std::vector<std::optional<Entry>>* values;
};

// On the owner: moves each live key's value out of its database into
// `*values` (one per key). Returns the stores' clears() then.
uint64_t TakeValues(KvShards& shards, const HeldKeys& dbs,
                    absl::Span<const std::string_view> keys,
                    std::vector<std::optional<Entry>>* values);

// On the owner: puts the values back under their keys, and deletes the
// keys left without one; nothing if the store was cleared since `epoch`
// (TakeValues' result). `effect.wrote`: the
// command wrote them, so their watches are touched (but for the keys it
// only read or left unchanged), and, with a `log`, the
// log gets what each key now holds (deleted, then recreated: records.h's
// AppendEntry) as piece `index` of that transaction. (Blocked clients are
// served when the keys' locks go: Transaction::Release.)
void PutValues(KvShards& shards, const HeldKeys& dbs,
               absl::Span<const std::string_view> keys,
               std::vector<std::optional<Entry>>* values, uint64_t epoch,
               const WriteEffect& effect, const TxLog* log = nullptr,
               uint32_t index = 0);

// At home: runs `spec`'s handler, for a client in database `db`, on the
// held values of every part, leaving
// in each part's values what the command made of them, and returns the
// reply, in `protocol`. Fills `*effect` with what the command wrote (a write
// command that did not fail). For a command that reads keys its arguments
// do not name (KeyDiscovery), nullopt if the values show it would read a
// key the parts do not hold: the handler did not run, and the values are
// back in the parts as they came.
std::optional<std::string> RunOnValues(KvShards& shards,
                                       const CommandSpec& spec,
                                       CommandArgs args, uint32_t db,
                                       absl::Span<const HeldValues> parts,
                                       resp::Protocol protocol,
                                       WriteEffect* effect);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HELD_VALUES_H_
