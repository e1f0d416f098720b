// Each family's table of CommandSpec rows, defined at the end of the
// family's main file (commands/<family>/<family>_commands.cc;
// string_commands.cc and key_commands.cc for strings/ and keys/).
// command_table.cc joins them; nothing else reads them directly.
#ifndef SHARDD_SHARD_KV_COMMANDS_FAMILY_TABLES_H_
#define SHARDD_SHARD_KV_COMMANDS_FAMILY_TABLES_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "shard/kv/commands/command.h"

namespace shardd::kv {

absl::Span<const CommandSpec> StringCommandTable();
absl::Span<const CommandSpec> KeyCommandTable();
absl::Span<const CommandSpec> HashCommandTable();
absl::Span<const CommandSpec> ListCommandTable();
absl::Span<const CommandSpec> SetCommandTable();
absl::Span<const CommandSpec> ZSetCommandTable();
absl::Span<const CommandSpec> GeoCommandTable();
absl::Span<const CommandSpec> HyperLogLogCommandTable();
absl::Span<const CommandSpec> ServerCommandTable();
absl::Span<const CommandSpec> ConnectionCommandTable();
absl::Span<const CommandSpec> PubSubCommandTable();

// From the server family, whose key specs (COMMAND INFO's) say how each
// key is used: appends each key's position in `args` and whether its spec
// only reads it (RO). False if the command has no specs that place its
// keys there.
bool KeysByAccess(const CommandSpec& spec, CommandArgs args,
                  std::vector<std::pair<size_t, bool>>* keys);
// Whether one of the command's key specs only reads its keys.
bool HasReadOnlyKeySpec(const CommandSpec& spec);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_FAMILY_TABLES_H_
