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
#include <string_view>

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
};

using CommandHandler = void (*)(CommandContext& ctx);

// Which arguments are keys; decides where a command runs.
enum class KeyLayout {
  kNone,          // no keys: runs on the connection's shard (PING, ECHO, ...)
  kFirst,         // args[1] is the only key (GET, SET, INCR, ...)
  kAll,           // args[1..] are all keys (DEL, EXISTS, MGET)
  kPairs,         // args[1], args[3], ... are keys, each followed by a value (MSET)
  kEveryShard,    // the whole keyspace: runs on every shard (DBSIZE, FLUSHALL)
};

// How the replies of the per-shard parts of a command are merged into the
// client's reply, when its keys (or the keyspace) span several shards.
enum class Merge {
  kSingle,        // never split
  kSumIntegers,   // DEL, EXISTS, DBSIZE: add the integer replies
  kArrayByKey,    // MGET: one element per key, put back in the client's order
  kAllOk,         // MSET, FLUSHALL: +OK once every part said +OK
};

struct CommandSpec {
  std::string_view name;     // lower case, as COMMAND reports it
  int arity;                 // Redis convention: -N means at least N
  std::string_view flags;    // space-separated COMMAND flags, e.g. "write fast"
  KeyLayout keys;
  Merge merge;
  CommandHandler handler;    // null for commands the service handles itself
};

// The command named `name` (any case), or null if there is none.
const CommandSpec* FindCommand(std::string_view name);

// Every command, for COMMAND and COMMAND COUNT.
absl::Span<const CommandSpec> AllCommands();

// True if `args` (including the name) satisfies `spec.arity`.
bool ArityMatches(const CommandSpec& spec, size_t arg_count);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMAND_H_
