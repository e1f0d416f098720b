// The KV command table: for each Redis command, its arity, which arguments are
// keys, how the partial replies of a command split over shards are merged, and
// the handler that runs it against one shard's Store.
//
//   const kv::CommandSpec* spec = kv::FindCommand(args[0]);
//   kv::CommandContext ctx{store, reply, args, now_ms};
//   spec->handler(ctx);
//
// Handlers are plain synchronous functions: a command whose keys are all local
// runs to completion without suspending. Commands that concern the connection
// or the whole server (PING, HELLO, INFO, ...) are handled by the service and
// have no handler here.
#ifndef SHARDD_SHARD_KV_COMMAND_H_
#define SHARDD_SHARD_KV_COMMAND_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/types/span.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/store.h"

namespace shardd::kv {

using CommandArgs = absl::Span<const std::string_view>;  // args[0] is the name

struct CommandContext {
  Store& store;
  resp::ReplyWriter& reply;
  CommandArgs args;
  int64_t now_ms;  // wall clock, milliseconds since the Unix epoch
  // The shard running the command and how many there are (SCAN's cursor
  // names a shard).
  uint32_t shard_id = 0;
  uint32_t shard_count = 1;
  // The shard's random generator (RANDOMKEY, SPOP, SRANDMEMBER, ...).
  absl::BitGen* random = nullptr;
};

using CommandHandler = void (*)(CommandContext& ctx);

// Which arguments are keys; decides where a command runs.
enum class KeyLayout {
  kNone,          // no keys: runs on the connection's shard (PING, ECHO, ...)
  kFirst,         // args[1] is the only key (GET, SET, INCR, ...)
  kAll,           // args[1..] are all keys (DEL, EXISTS, MGET)
  kPairs,         // args[1], args[3], ... are keys, each followed by a value (MSET)
  kEveryShard,    // the whole keyspace: runs on every shard (DBSIZE, FLUSHALL)
  kCustom,        // CommandSpec::key_finder lists the key positions
  kScanCursor,    // no keys: the cursor (args[1]) names the shard (SCAN)
};

// How the replies of the per-shard parts of a command are merged into the
// client's reply, when its keys (or the keyspace) span several shards.
enum class Merge {
  kSingle,        // never split
  kSumIntegers,   // DEL, EXISTS, DBSIZE: add the integer replies
  kArrayByKey,    // MGET: one element per key, put back in the client's order
  kAllOk,         // MSET, FLUSHALL: +OK once every part said +OK
  kConcatArrays,  // KEYS: the elements of every part's array, in turn
  kAnyNonNull,    // RANDOMKEY: one of the parts that is not nil, at random
  // The command cannot be split (SINTER, RENAME, SMOVE, MSETNX, ...). When
  // its keys span shards, copies of all its keys are gathered on one shard,
  // the handler runs there on the copies, and (for write commands) every key
  // is written back to its owner. Handlers need not know.
  kCoordinated,
};

// Appends to `positions` the indices in `args` of the command's keys, in
// order. Appends nothing for malformed arguments: the handler then runs on the
// connection's shard and replies the error.
using KeyFinder = void (*)(CommandArgs args, std::vector<size_t>* positions);

// COMMAND's flags, as bits of CommandSpec::flags: tested with `&` where a
// command runs, spelled out only for COMMAND (CommandFlagNames).
inline constexpr uint32_t kWrite = 1u << 0;
inline constexpr uint32_t kReadonly = 1u << 1;
inline constexpr uint32_t kDenyOom = 1u << 2;
inline constexpr uint32_t kNoScript = 1u << 3;
inline constexpr uint32_t kBlocking = 1u << 4;
inline constexpr uint32_t kLoading = 1u << 5;
inline constexpr uint32_t kStale = 1u << 6;
inline constexpr uint32_t kFast = 1u << 7;
inline constexpr uint32_t kNoAuth = 1u << 8;
inline constexpr uint32_t kAllowBusy = 1u << 9;
inline constexpr uint32_t kMovableKeys = 1u << 10;

// The names of the bits set in `flags`, in the order Redis's COMMAND lists
// them (e.g. {"write", "denyoom", "fast"}).
std::vector<std::string_view> CommandFlagNames(uint32_t flags);

struct CommandSpec {
  std::string_view name;     // lower case, as COMMAND reports it
  int arity;                 // Redis convention: -N means at least N
  uint32_t flags;            // kWrite | kFast | ...
  KeyLayout keys;
  Merge merge;
  CommandHandler handler;    // null for commands the service handles itself
  KeyFinder key_finder = nullptr;  // for KeyLayout::kCustom
};

// The command named `name` (any case), or null if there is none.
const CommandSpec* FindCommand(std::string_view name);

// FindCommand with a memory of the last name found, exactly as the client
// spelled it: pipelines repeat one command, and a hit skips lower-casing and
// hashing (together 6% of a pipelined GET's CPU time). One per connection.
class CommandFinder {
 public:
  const CommandSpec* Find(std::string_view name);

 private:
  std::string last_name_;
  const CommandSpec* last_spec_ = nullptr;  // null: nothing remembered
};

// Every command, for COMMAND and COMMAND COUNT.
const std::vector<const CommandSpec*>& AllCommands();

// The tables of each command family, defined next to their handlers; the
// command table joins them.
absl::Span<const CommandSpec> HashCommandTable();
absl::Span<const CommandSpec> ListCommandTable();
absl::Span<const CommandSpec> SetCommandTable();
absl::Span<const CommandSpec> ZSetCommandTable();

// True if `args` (including the name) satisfies `spec.arity`.
bool ArityMatches(const CommandSpec& spec, size_t arg_count);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMAND_H_
