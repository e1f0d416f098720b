// KeysFromSpecs: the keys of a command line and each one's key spec flags,
// found with the command's key specs as Redis 7.0 finds them for COMMAND
// GETKEYSANDFLAGS: a begin search (an index, or a keyword looked for from
// a position) then a find (a range, or a count of keys in an argument).
//
//   std::vector<SpecKey> keys;
//   if (KeysFromSpecs(*FindCommandMeta("lmove"), args, &keys)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_SERVER_KEY_SPEC_SEARCH_H_
#define SHARDD_SHARD_KV_COMMANDS_SERVER_KEY_SPEC_SEARCH_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/server/command_meta.h"

namespace shardd::kv {

struct SpecKey {
  size_t position;         // in the command line, the name at 0
  std::string_view flags;  // space-separated: "RW access delete"
};

// Whether any of the command's key specs names keys (one that is not
// all "not_key", as SPUBLISH's channel is).
bool HasKeySpecs(const CommandMeta& meta);

// Appends the keys of `command` (its name first) to `keys`. False if a
// spec cannot place its keys there (too few arguments, a key count that
// is not a number, a count past the end): Redis then answers that the
// arguments are invalid, or, for a command whose keys are optional, that
// there are none.
bool KeysFromSpecs(const CommandMeta& meta, CommandArgs command,
                   std::vector<SpecKey>* keys);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SERVER_KEY_SPEC_SEARCH_H_
