// COMMAND: what clients learn about the command table (names, arities,
// flags, key positions) to route and to check arguments before sending;
// COMMAND LIST and GETKEYS.
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/glob_match.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {
namespace {

void ReplyCommandInfo(resp::ReplyWriter& writer, const CommandSpec& spec) {
  int first = 0, last = 0, step = 0;
  switch (spec.keys) {
    case KeyLayout::kFirst:
      first = last = step = 1;
      break;
    case KeyLayout::kAll:
      first = step = 1;
      last = -1;
      break;
    case KeyLayout::kPairs:
      first = 1;
      last = -1;
      step = 2;
      break;
    case KeyLayout::kNone:
    case KeyLayout::kEveryShard:
    case KeyLayout::kScanCursor:
      break;
    case KeyLayout::kCustom:  // Redis reports these as key specs; we do not
      first = 1;
      last = 1;
      step = 1;
      break;
  }
  const std::vector<std::string_view> flags = CommandFlagNames(spec.flags);
  writer.ArrayHeader(10);
  writer.Bulk(spec.name);
  writer.Integer(spec.arity);
  writer.SetHeader(flags.size());
  for (std::string_view flag : flags) writer.SimpleString(flag);
  writer.Integer(first);
  writer.Integer(last);
  writer.Integer(step);
  // ACL categories, tips, key specs, subcommands: not modelled. (Redis
  // 7.0 sends each as a set in RESP3.)
  for (int i = 0; i < 4; ++i) writer.SetHeader(0);
}

}  // namespace

void CommandCommand(SessionContext& ctx) {
  resp::ReplyWriter& writer = ctx.reply;
  const CommandArgs args = ctx.args;
  const std::vector<const CommandSpec*>& all = ctx.server.Commands();
  if (args.size() == 1) {
    writer.ArrayHeader(all.size());
    for (const CommandSpec* spec : all) ReplyCommandInfo(writer, *spec);
    return;
  }
  if (EqualsIgnoreCase(args[1], "COUNT") && args.size() == 2) {
    writer.Integer(static_cast<int64_t>(all.size()));
  } else if (EqualsIgnoreCase(args[1], "INFO")) {
    writer.ArrayHeader(args.size() - 2);
    for (size_t i = 2; i < args.size(); ++i) {
      const CommandSpec* spec = ctx.server.FindCommand(args[i]);
      if (spec == nullptr) {
        writer.NullArray();
      } else {
        ReplyCommandInfo(writer, *spec);
      }
    }
  } else if (EqualsIgnoreCase(args[1], "LIST")) {
    // FILTERBY PATTERN <glob>; shardd has no modules, and no ACL
    // categories, so those filters match nothing.
    // (Names are lower case; the pattern matches them without case.)
    std::string pattern;
    bool filtered = false;
    bool none = false;
    if (args.size() == 5 && EqualsIgnoreCase(args[2], "FILTERBY")) {
      if (EqualsIgnoreCase(args[3], "PATTERN")) {
        pattern = absl::AsciiStrToLower(std::string(args[4]));
        filtered = true;
      } else if (EqualsIgnoreCase(args[3], "MODULE") ||
                 EqualsIgnoreCase(args[3], "ACLCAT")) {
        none = true;
      } else {
        writer.Error(kSyntaxError);
        return;
      }
    } else if (args.size() != 2) {
      writer.Error(kSyntaxError);
      return;
    }
    std::vector<std::string_view> names;
    for (const CommandSpec* spec : all) {
      if (!none && (!filtered || GlobMatch(pattern, spec->name))) {
        names.push_back(spec->name);
      }
    }
    writer.ArrayHeader(names.size());
    for (std::string_view name : names) writer.Bulk(name);
  } else if (EqualsIgnoreCase(args[1], "GETKEYS")) {
    if (args.size() < 4) {
      ReplyWrongArity(writer, "command|getkeys");
      return;
    }
    const CommandArgs command = args.subspan(2);
    const CommandSpec* spec = ctx.server.FindCommand(command[0]);
    if (spec == nullptr) {
      writer.Error("ERR Invalid command specified");
      return;
    }
    if (!ArityMatches(*spec, command.size())) {
      writer.Error("ERR Invalid number of arguments specified for command");
      return;
    }
    std::vector<size_t> positions;
    FindKeyPositions(*spec, command, &positions);
    if (positions.empty()) {
      writer.Error("ERR The command has no key arguments");
      return;
    }
    writer.ArrayHeader(positions.size());
    for (size_t position : positions) writer.Bulk(command[position]);
  } else if (EqualsIgnoreCase(args[1], "DOCS")) {
    writer.MapHeader(0);  // no documentation is served; clients fall back
  } else {
    ReplyUnknownSubcommand(writer, args);
  }
}

}  // namespace shardd::kv
