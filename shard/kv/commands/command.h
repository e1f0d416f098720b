// A KV command as its family's table declares it: its arity, flags, which
// arguments are keys, how the partial replies of a command split over shards
// are merged, and the handler that runs it. Each family (commands/<family>/)
// lists its rows in a table at the end of its main file (family_tables.h);
// command_table.h joins the tables and finds a command by name.
//
//   const kv::CommandSpec* spec = kv::FindCommand(args[0]);  // command_table.h
//   kv::CommandContext ctx{store, reply, args, now_ms};
//   spec->handler(ctx);
//
// A handler runs against one shard's Store. It is a plain synchronous
// function: a command whose keys are all local runs to completion without
// suspending. Commands about the connection or the server (QUIT, HELLO,
// CONFIG, INFO, ...) have a session handler instead (session_context.h),
// which runs on the connection's shard against the session and the server.
#ifndef SHARDD_SHARD_KV_COMMANDS_COMMAND_H_
#define SHARDD_SHARD_KV_COMMANDS_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/types/span.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/store/databases.h"
#include "shard/kv/store/keyspace_event.h"
#include "shard/kv/store/store.h"
#include "shard/task.h"

namespace shardd::kv {

using CommandArgs = absl::Span<const std::string_view>;  // args[0] is the name

struct CommandContext {
  Store& store;  // the client's database (SELECT) on this shard
  resp::ReplyWriter& reply;
  CommandArgs args;
  int64_t now_ms;  // wall clock, milliseconds since the Unix epoch
  // The shard running the command and how many there are (SCAN's cursor
  // names a shard).
  uint32_t shard_id = 0;
  uint32_t shard_count = 1;
  // The shard's random generator (RANDOMKEY, SPOP, SRANDMEMBER, ...).
  absl::BitGen* random = nullptr;
  // Where keyspace events go; null while notifications are off.
  KeyspaceEventSink* events = nullptr;
  // Set by a write that found nothing to change where its reply cannot say
  // so (SET NX that did not set, ZADD that changed no score, BITFIELD of
  // only GETs, SETBIT of a bit already so): the executor then neither logs
  // it nor touches WATCHed keys, as Redis does.
  bool changed_nothing = false;
  // Set by a write that changed some of its keys but left this one as it
  // was (SMOVE of a member its destination holds already): the key's
  // watches stay, as in Redis. The command is logged as usual.
  std::optional<std::string_view> unchanged_key;
  // Set by a read that rewrote its key's bytes without changing what they
  // hold (PFCOUNT storing its refreshed estimate in the value): the
  // executor then logs the command, so that a replay rewrites them too.
  bool rewrote_bytes = false;
  // `store`'s database number, and every database of this shard (FLUSHALL,
  // MOVE, SWAPDB, COPY ... DB); null only in unit tests of handlers that
  // reach no other database.
  uint32_t db = 0;
  Databases* databases = nullptr;
  // Runs on values their owners lent (exec/held_values.h): `store` holds
  // every key of the command, whichever database each is in.
  bool on_lent_values = false;

  // Deletes `key` as a command's effect (Redis keeps no empty aggregate,
  // and a STORE with nothing to store deletes its destination) and reports
  // "del" if it was there. Returns whether it was.
  bool DeleteKey(std::string_view key) {
    if (!store.Erase(key, now_ms)) return false;
    Notify(kNotifyGeneric, "del", key);
    return true;
  }

  // A STORE's empty result: deletes its destination, and if there was
  // none the command changed nothing.
  void DeleteEmptyResult(std::string_view key) {
    if (!DeleteKey(key)) changed_nothing = true;
  }

  // Reports a keyspace event (keyspace_event.h); nothing while they are
  // off.
  void Notify(uint32_t type, std::string_view event,
              std::string_view key) const {
    if (events != nullptr) events->Notify(type, event, key);
  }
  // The same for a key of database `other` (MOVE's "move_to").
  void NotifyIn(uint32_t other, uint32_t type, std::string_view event,
                std::string_view key) const {
    if (events == nullptr) return;
    events->set_db(other);
    events->Notify(type, event, key);
    events->set_db(db);
  }
};

using CommandHandler = void (*)(CommandContext& ctx);

// Which arguments are keys; decides where a command runs.
enum class KeyLayout {
  kNone,   // no keys: runs on the connection's shard (PING, ECHO, ...)
  kFirst,  // args[1] is the only key (GET, SET, INCR, ...)
  kAll,    // args[1..] are all keys (DEL, EXISTS, MGET)
  kPairs,  // args[1], args[3], ... are keys, each followed by a value (MSET)
  kEveryShard,  // the whole keyspace: runs on every shard (DBSIZE, FLUSHALL)
  kCustom,      // CommandSpec::key_finder lists the key positions
  kScanCursor,  // no keys: the cursor (args[1]) names the shard (SCAN)
};

// How the replies of the per-shard parts of a command are merged into the
// client's reply, when its keys (or the keyspace) span several shards.
enum class Merge {
  kSingle,        // never split
  kSumIntegers,   // DEL, EXISTS, DBSIZE: add the integer replies
  kArrayByKey,    // MGET: one element per key, put back in the client's order
  kAllOk,         // MSET, FLUSHALL: +OK once every part said +OK
  kConcatArrays,  // KEYS: the elements of every part's array, in turn
  // RANDOMKEY: each part replies [key count, key or nil]; a part is picked
  // with a chance in proportion to its count, and its key is the reply.
  kWeightedByKeys,
  // The command cannot be split (SINTER, RENAME, SMOVE, MSETNX, ...). When
  // its keys span shards, their owners lend their values (moved, while the
  // keys are locked), the handler runs on them in a scratch store, and they
  // go back (exec/atomic_command.h). Handlers need not know.
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
// shardd's own, never shown by COMMAND: what a write command's reply says of
// whether it changed anything, for WATCH (a change touches watched keys, as
// Redis's signalModifiedKey). A ":0" reply means nothing changed (DEL,
// SADD, EXPIRE, ...), or a nil one does (LPOP, GETDEL, ...).
inline constexpr uint32_t kZeroIsNoop = 1u << 11;
inline constexpr uint32_t kNullIsNoop = 1u << 12;
inline constexpr uint32_t kPubSub = 1u << 13;
inline constexpr uint32_t kAdmin = 1u << 14;
inline constexpr uint32_t kNoMulti = 1u << 15;  // refused inside MULTI
inline constexpr uint32_t kSkipMonitor = 1u << 16;  // not shown to MONITOR
inline constexpr uint32_t kNoMandatoryKeys = 1u << 17;
inline constexpr uint32_t kNoAsyncLoading = 1u << 18;
// Not in the slow log itself (EXEC: its commands are).
inline constexpr uint32_t kSkipSlowlog = 1u << 19;
// shardd's own: the command writes only a STORE destination, and without one
// (its key finder then lists a single key) it is a read that changes
// nothing (SORT, GEORADIUS, GEORADIUSBYMEMBER).
inline constexpr uint32_t kWritesOnlyStore = 1u << 20;

// The names of the bits set in `flags`, in the order Redis's COMMAND lists
// them (e.g. {"write", "denyoom", "fast"}).
std::vector<std::string_view> CommandFlagNames(uint32_t flags);

struct SessionContext;  // session_context.h
class ServerView;

// Runs a connection or server command on the connection's shard.
using SessionHandler = void (*)(SessionContext& ctx);
// The same, for one whose reply needs every shard's answer (INFO): the
// session awaits it in request order.
// `db`: the connection's database.
using WaitingSessionHandler = Task<std::string> (*)(ServerView& server,
                                                    CommandArgs args,
                                                    resp::Protocol protocol,
                                                    uint32_t db);

// MULTI, EXEC, DISCARD, WATCH and UNWATCH: the router runs these itself,
// as they act on the connection's transaction (exec/multi_exec.h).
enum class TxControl : uint8_t {
  kNone,
  kMulti,
  kExec,
  kDiscard,
  kWatch,
  kUnwatch
};

// Commands the router runs itself, on the connection's pub/sub state or
// across every shard's subscriptions (exec/publish.h), or on the whole
// connection (RESET).
enum class RouterOp : uint8_t {
  kNone,
  kSubscribe,
  kUnsubscribe,
  kPSubscribe,
  kPUnsubscribe,
  kSSubscribe,
  kSUnsubscribe,
  kPublish,
  kSPublish,
  kPubSub,  // PUBSUB CHANNELS|NUMSUB|NUMPAT|SHARDCHANNELS|SHARDNUMSUB|HELP
  kReset,
  kClient,  // CLIENT ID|SETNAME|GETNAME|INFO|LIST|KILL|REPLY|...
  kMonitor,
};

// (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE: they change the connection's
// subscriptions.
constexpr bool ChangesSubscriptions(RouterOp op) {
  return op == RouterOp::kSubscribe || op == RouterOp::kUnsubscribe ||
         op == RouterOp::kPSubscribe || op == RouterOp::kPUnsubscribe ||
         op == RouterOp::kSSubscribe || op == RouterOp::kSUnsubscribe;
}

// A command that reads keys its arguments do not name: SORT's BY and GET
// patterns name keys by the elements of its source. Over several shards
// the router asks the source's owner which keys those are, holds them
// locked with the command's own, and checks on the held values that they
// are still the keys the command reads (exec/atomic_command.h).
struct KeyDiscovery {
  // Whether these arguments read such keys at all (no store needed).
  bool (*needed)(CommandArgs args);
  // Appends the keys the command would read on `store` now, touching
  // nothing.
  void (*find)(Store& store, CommandArgs args, int64_t now_ms,
               std::vector<std::string>* keys);
};

struct CommandSpec {
  std::string_view name;     // lower case, as COMMAND reports it
  int arity;                 // Redis convention: -N means at least N
  uint32_t flags;            // kWrite | kFast | ...
  KeyLayout keys;
  Merge merge;
  CommandHandler handler;    // null for session commands
  KeyFinder key_finder = nullptr;  // for KeyLayout::kCustom
  // At most one of handler, session and waiting_session is set; none for
  // the router's own commands (tx or router_op).
  SessionHandler session = nullptr;
  WaitingSessionHandler waiting_session = nullptr;
  TxControl tx = TxControl::kNone;
  RouterOp router_op = RouterOp::kNone;
  const KeyDiscovery* discovery = nullptr;
};

// Whether `spec` with `args` reads keys beyond those `args` name, on keys
// that may live on other shards than its source's.
inline bool DiscoversKeys(const CommandSpec& spec, CommandArgs args,
                          uint32_t shard_count) {
  return spec.discovery != nullptr && shard_count > 1 &&
         spec.discovery->needed(args);
}

// The row of a command with a session handler: it has no keys and is never
// split.
constexpr CommandSpec SessionCommand(std::string_view name, int arity,
                                     uint32_t flags, SessionHandler handler) {
  return {name, arity, flags, KeyLayout::kNone, Merge::kSingle, nullptr,
          nullptr, handler};
}
constexpr CommandSpec WaitingSessionCommand(std::string_view name, int arity,
                                            uint32_t flags,
                                            WaitingSessionHandler handler) {
  return {name,    arity,   flags,   KeyLayout::kNone, Merge::kSingle,
          nullptr, nullptr, nullptr, handler};
}

// Appends to `positions` the indices of the keys of a keyed command, as
// its layout says (nothing for commands without keys, or malformed
// arguments).
void FindKeyPositions(const CommandSpec& spec, CommandArgs args,
                      std::vector<size_t>* positions);

// The row of a transaction command (no handler: the router runs it).
constexpr CommandSpec TransactionCommand(std::string_view name, int arity,
                                         uint32_t flags, KeyLayout keys,
                                         TxControl tx) {
  return {name,    arity,   flags,   keys, Merge::kSingle, nullptr,
          nullptr, nullptr, nullptr, tx};
}

// The row of a command the router runs itself (RouterOp).
constexpr CommandSpec RouterCommand(std::string_view name, int arity,
                                    uint32_t flags, RouterOp op) {
  return {name,    arity,   flags,   KeyLayout::kNone, Merge::kSingle,
          nullptr, nullptr, nullptr, nullptr,          TxControl::kNone,
          op};
}

// True if `args` (including the name) satisfies `spec.arity`.
bool ArityMatches(const CommandSpec& spec, size_t arg_count);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_COMMAND_H_
