// CommandDocs: what COMMAND DOCS reports of a command or subcommand, kept
// ready-made in RESP3 (command_docs.inc, written by tools/gen/command_meta.py:
// redis-server 7.0's since, group, doc flags and arguments, with shardd's own
// summary and complexity). A parent's "subcommands" field is not in its row;
// the server adds the rows of its subcommands.
//
//   if (const CommandDocs* docs = FindCommandDocs("set")) {
//     writer.MapHeader(docs->field_count);
//     resp::Replay(docs->fields, writer);
//   }
#ifndef SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_DOCS_H_
#define SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_DOCS_H_

#include <span>
#include <string_view>

namespace shardd::kv {

struct CommandDocs {
  std::string_view name;
  int field_count;
  std::string_view fields;  // field_count RESP3 keys, each with its value
};

// The command's documentation, or null for a command Redis 7.0 does not have.
const CommandDocs* FindCommandDocs(std::string_view name);

// The documentation of the subcommands of `parent` that shardd has.
std::span<const CommandDocs> SubcommandDocs(std::string_view parent);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SERVER_COMMAND_DOCS_H_
