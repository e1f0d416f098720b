// CommandMeta: what COMMAND INFO reports of a command beyond the family
// tables: its key positions as Redis counts them, ACL categories, tips and
// key specs, as redis-server 7.0 reports them (command_meta.inc, written by
// tools/gen/command_meta.py from a real server's COMMAND INFO). Subcommands
// ("client|list"), which have no family table row, take their arity and
// flags from here too.
//
//   if (const CommandMeta* meta = FindCommandMeta("rename")) ...
//   for (const CommandMeta& sub : SubcommandMetas("client")) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_META_H_
#define SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_META_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace shardd::kv {

enum BeginSearchType : uint8_t { kUnknownSearch, kIndex, kKeyword };
enum FindKeysType : uint8_t { kUnknownFind, kRange, kKeynum };

struct KeySpecMeta {
  std::string_view flags;  // space-separated: "RW access delete"
  struct {
    BeginSearchType type;
    int index;                 // kIndex
    std::string_view keyword;  // kKeyword
    int startfrom;
  } begin_search;
  struct {
    FindKeysType type;
    // kRange: lastkey, keystep, limit; kKeynum: keynumidx, firstkey,
    // keystep.
    int a, b, c;
  } find_keys;
};

struct CommandMeta {
  std::string_view name;
  int arity;
  std::string_view flags;  // space-separated: "readonly fast"
  int first_key, last_key, key_step;
  std::string_view categories;  // space-separated: "@read @string @fast"
  std::string_view tips;        // space-separated
  int key_spec_count;
  KeySpecMeta key_specs[3];
};

// The command's metadata, or null for a command Redis 7.0 does not have.
const CommandMeta* FindCommandMeta(std::string_view name);

// The subcommands of `parent` that shardd has, by name.
std::span<const CommandMeta> SubcommandMetas(std::string_view parent);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_META_H_
