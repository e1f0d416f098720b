// The command table: every command shardd knows, with Redis 7.0's name, arity
// and flags (as COMMAND INFO reports them), where its keys are, how its
// per-shard replies merge, and its handler.
#include <algorithm>
#include <cstddef>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "shard/kv/command.h"
#include "shard/kv/command_handlers.h"

namespace shardd::kv {
namespace {

using enum KeyLayout;
using enum Merge;

constexpr CommandSpec kCommands[] = {
    // Strings.
    {"get", 2, "readonly fast", kFirst, kSingle, GetCommand},
    {"set", -3, "write denyoom", kFirst, kSingle, SetCommand},
    {"setnx", 3, "write denyoom fast", kFirst, kSingle, SetNxCommand},
    {"getset", 3, "write denyoom fast", kFirst, kSingle, GetSetCommand},
    {"mget", -2, "readonly fast", kAll, kArrayByKey, MGetCommand},
    {"mset", -3, "write denyoom", kPairs, kAllOk, MSetCommand},
    {"incr", 2, "write denyoom fast", kFirst, kSingle, IncrCommand},
    {"decr", 2, "write denyoom fast", kFirst, kSingle, DecrCommand},
    {"incrby", 3, "write denyoom fast", kFirst, kSingle, IncrByCommand},
    {"decrby", 3, "write denyoom fast", kFirst, kSingle, DecrByCommand},
    {"append", 3, "write denyoom fast", kFirst, kSingle, AppendCommand},
    {"strlen", 2, "readonly fast", kFirst, kSingle, StrLenCommand},
    // Keys and expiry.
    {"del", -2, "write", kAll, kSumIntegers, DelCommand},
    {"exists", -2, "readonly fast", kAll, kSumIntegers, ExistsCommand},
    {"expire", -3, "write fast", kFirst, kSingle, ExpireCommand},
    {"pexpire", -3, "write fast", kFirst, kSingle, PExpireCommand},
    {"ttl", 2, "readonly fast", kFirst, kSingle, TtlCommand},
    {"pttl", 2, "readonly fast", kFirst, kSingle, PTtlCommand},
    {"persist", 2, "write fast", kFirst, kSingle, PersistCommand},
    // The keyspace as a whole.
    {"dbsize", 1, "readonly fast", kEveryShard, kSumIntegers, DbSizeCommand},
    {"flushall", -1, "write", kEveryShard, kAllOk, FlushAllCommand},
    // Connection and server; those without a handler are the service's.
    {"ping", -1, "fast", kNone, kSingle, PingCommand},
    {"echo", 2, "loading stale fast", kNone, kSingle, EchoCommand},
    {"quit", -1, "noscript loading stale fast no_auth allow_busy", kNone,
     kSingle, nullptr},
    {"select", 2, "loading stale fast", kNone, kSingle, nullptr},
    {"hello", -1, "noscript loading stale fast no_auth allow_busy", kNone,
     kSingle, nullptr},
    {"command", -1, "loading stale", kNone, kSingle, nullptr},
    {"info", -1, "loading stale", kNone, kSingle, nullptr},
    {"config", -2, "", kNone, kSingle, nullptr},
};

constexpr size_t LongestName() {
  size_t longest = 0;
  for (const CommandSpec& spec : kCommands) {
    longest = std::max(longest, spec.name.size());
  }
  return longest;
}

// A name longer than this matches no command, so FindCommand can lower-case
// into a fixed stack buffer instead of allocating.
constexpr size_t kLongestName = LongestName();

using CommandIndex = absl::flat_hash_map<std::string_view, const CommandSpec*>;

const CommandIndex& Index() {
  static const CommandIndex* const index = [] {
    auto* built = new CommandIndex();
    for (const CommandSpec& spec : kCommands) built->emplace(spec.name, &spec);
    return built;
  }();
  return *index;
}

}  // namespace

const CommandSpec* FindCommand(std::string_view name) {
  if (name.size() > kLongestName) return nullptr;
  char lower[kLongestName];
  for (size_t i = 0; i < name.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(name[i]));
  }
  const CommandIndex& index = Index();
  auto it = index.find(std::string_view(lower, name.size()));
  return it == index.end() ? nullptr : it->second;
}

absl::Span<const CommandSpec> AllCommands() { return kCommands; }

bool ArityMatches(const CommandSpec& spec, size_t arg_count) {
  if (spec.arity >= 0) return arg_count == static_cast<size_t>(spec.arity);
  return arg_count >= static_cast<size_t>(-spec.arity);
}

}  // namespace shardd::kv
