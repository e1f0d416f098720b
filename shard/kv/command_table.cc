// The command table: every command shardd knows, with Redis 7.0's name, arity
// and flags (as COMMAND INFO reports them), where its keys are, how its
// per-shard replies merge, and its handler.
#include <cstddef>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "shard/kv/command.h"
#include "shard/kv/command_handlers.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {
namespace {

using enum KeyLayout;
using enum Merge;

constexpr CommandSpec kCommands[] = {
    // Strings.
    {"get", 2, kReadonly | kFast, kFirst, kSingle, GetCommand},
    {"set", -3, kWrite | kDenyOom, kFirst, kSingle, SetCommand},
    {"setnx", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, SetNxCommand},
    {"getset", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, GetSetCommand},
    {"mget", -2, kReadonly | kFast, kAll, kArrayByKey, MGetCommand},
    {"mset", -3, kWrite | kDenyOom, kPairs, kAllOk, MSetCommand},
    {"incr", 2, kWrite | kDenyOom | kFast, kFirst, kSingle, IncrCommand},
    {"decr", 2, kWrite | kDenyOom | kFast, kFirst, kSingle, DecrCommand},
    {"incrby", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, IncrByCommand},
    {"decrby", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, DecrByCommand},
    {"append", 3, kWrite | kDenyOom | kFast, kFirst, kSingle, AppendCommand},
    {"strlen", 2, kReadonly | kFast, kFirst, kSingle, StrLenCommand},
    {"setex", 4, kWrite | kDenyOom, kFirst, kSingle, SetExCommand},
    {"psetex", 4, kWrite | kDenyOom, kFirst, kSingle, PSetExCommand},
    {"getdel", 2, kWrite | kFast, kFirst, kSingle, GetDelCommand},
    {"getex", -2, kWrite | kFast, kFirst, kSingle, GetExCommand},
    {"getrange", 4, kReadonly, kFirst, kSingle, GetRangeCommand},
    {"setrange", 4, kWrite | kDenyOom, kFirst, kSingle, SetRangeCommand},
    {"incrbyfloat", 3, kWrite | kDenyOom | kFast, kFirst, kSingle,
     IncrByFloatCommand},
    {"msetnx", -3, kWrite | kDenyOom, kPairs, kCoordinated, MSetNxCommand},
    // Keys and expiry.
    {"del", -2, kWrite, kAll, kSumIntegers, DelCommand},
    {"exists", -2, kReadonly | kFast, kAll, kSumIntegers, ExistsCommand},
    {"expire", -3, kWrite | kFast, kFirst, kSingle, ExpireCommand},
    {"pexpire", -3, kWrite | kFast, kFirst, kSingle, PExpireCommand},
    {"ttl", 2, kReadonly | kFast, kFirst, kSingle, TtlCommand},
    {"pttl", 2, kReadonly | kFast, kFirst, kSingle, PTtlCommand},
    {"persist", 2, kWrite | kFast, kFirst, kSingle, PersistCommand},
    {"unlink", -2, kWrite | kFast, kAll, kSumIntegers, DelCommand},
    {"touch", -2, kReadonly | kFast, kAll, kSumIntegers, ExistsCommand},
    {"type", 2, kReadonly | kFast, kFirst, kSingle, TypeCommand},
    {"expireat", -3, kWrite | kFast, kFirst, kSingle, ExpireAtCommand},
    {"pexpireat", -3, kWrite | kFast, kFirst, kSingle, PExpireAtCommand},
    {"expiretime", 2, kReadonly | kFast, kFirst, kSingle, ExpireTimeCommand},
    {"pexpiretime", 2, kReadonly | kFast, kFirst, kSingle, PExpireTimeCommand},
    {"rename", 3, kWrite, kAll, kCoordinated, RenameCommand},
    {"renamenx", 3, kWrite | kFast, kAll, kCoordinated, RenameNxCommand},
    {"copy", -3, kWrite | kDenyOom, kCustom, kCoordinated, CopyCommand,
     CopyKeyPositions},
    {"object", -2, kReadonly, kCustom, kSingle, ObjectCommand,
     ObjectKeyPositions},
    // The keyspace as a whole.
    {"dbsize", 1, kReadonly | kFast, kEveryShard, kSumIntegers, DbSizeCommand},
    {"flushall", -1, kWrite, kEveryShard, kAllOk, FlushAllCommand},
    {"flushdb", -1, kWrite, kEveryShard, kAllOk, FlushAllCommand},
    {"keys", 2, kReadonly, kEveryShard, kConcatArrays, KeysCommand},
    {"randomkey", 1, kReadonly, kEveryShard, kAnyNonNull, RandomKeyCommand},
    {"scan", -2, kReadonly, kScanCursor, kSingle, ScanCommand},
    // Connection and server; those without a handler are the service's.
    {"ping", -1, kFast, kNone, kSingle, PingCommand},
    {"echo", 2, kLoading | kStale | kFast, kNone, kSingle, EchoCommand},
    {"quit", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNone,
     kSingle, nullptr},
    {"select", 2, kLoading | kStale | kFast, kNone, kSingle, nullptr},
    {"hello", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNone,
     kSingle, nullptr},
    {"command", -1, kLoading | kStale, kNone, kSingle, nullptr},
    {"info", -1, kLoading | kStale, kNone, kSingle, nullptr},
    {"config", -2, 0, kNone, kSingle, nullptr},
};

// No Redis command name is longer than this, so FindCommand can lower-case
// into a fixed stack buffer instead of allocating; longer names match nothing.
constexpr size_t kLongestName = 32;

using CommandIndex =
    absl::flat_hash_map<std::string_view, const CommandSpec*, StringViewHash>;

const CommandIndex& Index() {
  static const CommandIndex* const index = [] {
    auto* built = new CommandIndex();
    for (const CommandSpec* spec : AllCommands()) built->emplace(spec->name, spec);
    return built;
  }();
  return *index;
}

}  // namespace

const CommandSpec* CommandFinder::Find(std::string_view name) {
  if (last_spec_ != nullptr && name == last_name_) return last_spec_;
  const CommandSpec* spec = FindCommand(name);
  if (spec != nullptr) {
    last_name_.assign(name);
    last_spec_ = spec;
  }
  return spec;
}

const CommandSpec* FindCommand(std::string_view name) {
  if (name.size() > kLongestName) return nullptr;
  char lower[kLongestName];
  for (size_t i = 0; i < name.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(name[i]));
  }
  const CommandIndex& index = Index();
  auto it = index.find(std::string_view(lower, name.size()));
  if (it == index.end()) return nullptr;
  return it->second;
}

std::vector<std::string_view> CommandFlagNames(uint32_t flags) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kWrite, "write"},     {kReadonly, "readonly"}, {kDenyOom, "denyoom"},
      {kNoScript, "noscript"}, {kBlocking, "blocking"}, {kLoading, "loading"},
      {kStale, "stale"},     {kFast, "fast"},         {kNoAuth, "no_auth"},
      {kAllowBusy, "allow_busy"}, {kMovableKeys, "movablekeys"},
  };
  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) names.push_back(name);
  }
  return names;
}

const std::vector<const CommandSpec*>& AllCommands() {
  static const std::vector<const CommandSpec*>* const all = [] {
    auto* joined = new std::vector<const CommandSpec*>();
    for (absl::Span<const CommandSpec> table :
         {absl::Span<const CommandSpec>(kCommands), HashCommandTable(),
          ListCommandTable(), SetCommandTable(), ZSetCommandTable()}) {
      for (const CommandSpec& spec : table) joined->push_back(&spec);
    }
    return joined;
  }();
  return *all;
}

bool ArityMatches(const CommandSpec& spec, size_t arg_count) {
  if (spec.arity >= 0) return arg_count == static_cast<size_t>(spec.arity);
  return arg_count >= static_cast<size_t>(-spec.arity);
}

}  // namespace shardd::kv
