// The command table: every command shardd knows, joined from the tables of
// the families in commands/<family>/, found by name.
//
//   const CommandSpec* spec = FindCommand(args[0]);  // null: unknown
#ifndef SHARDD_SHARD_KV_COMMANDS_COMMAND_TABLE_H_
#define SHARDD_SHARD_KV_COMMANDS_COMMAND_TABLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

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

// The positions in `args` of the keys write `spec` may change: all its
// keys but those its key specs (COMMAND INFO's) mark read-only (RO:
// COPY's source, SINTERSTORE's sources), which Redis does not count as
// modified: their watchers are left alone.
void FindWrittenKeyPositions(const CommandSpec& spec, CommandArgs args,
                             std::vector<size_t>* positions);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_COMMAND_TABLE_H_
