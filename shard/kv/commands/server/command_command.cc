// COMMAND: what clients learn about the command table (names, arities,
// flags, key positions, ACL categories, key specs, subcommands) to route
// and to check arguments before sending; COMMAND DOCS for their hints and
// help; COMMAND LIST, GETKEYS, GETKEYSANDFLAGS and HELP.
#include <algorithm>
#include <cassert>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "net/resp/reply_replay.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/glob_match.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/command_docs.h"
#include "shard/kv/commands/server/command_meta.h"
#include "shard/kv/commands/server/key_spec_search.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Every command's details, as INFO gives them.",
    "COUNT",
    "    How many commands the server has.",
    "GETKEYS <full-command>",
    "    The key arguments of a whole command line.",
    "GETKEYSANDFLAGS <full-command>",
    "    The key arguments of a command line, each with its key spec flags.",
    "INFO [<command-name> ...]",
    "    Arity, flags, key positions, ACL categories, tips, key specs and",
    "    subcommands of the named commands, or of every command.",
    "DOCS [<command-name> ...]",
    "    Summary, group, complexity and arguments of the named commands, or",
    "    of every command.",
    "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN "
    "<pattern>)]",
    "    The names of the commands and subcommands, all or those matching.",
    "HELP",
    "    This text.",
};

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

// One key spec, as Redis 7.0 writes it: flags, begin_search, find_keys.
void ReplyKeySpec(resp::ReplyWriter& writer, const KeySpecMeta& spec) {
  writer.MapHeader(3);
  writer.Bulk("flags");
  const std::vector<std::string_view> flags = Words(spec.flags);
  writer.SetHeader(flags.size());
  for (std::string_view flag : flags) writer.SimpleString(flag);
  writer.Bulk("begin_search");
  writer.MapHeader(2);
  writer.Bulk("type");
  switch (spec.begin_search.type) {
    case kIndex:
      writer.Bulk("index");
      writer.Bulk("spec");
      writer.MapHeader(1);
      writer.Bulk("index");
      writer.Integer(spec.begin_search.index);
      break;
    case kKeyword:
      writer.Bulk("keyword");
      writer.Bulk("spec");
      writer.MapHeader(2);
      writer.Bulk("keyword");
      writer.Bulk(spec.begin_search.keyword);
      writer.Bulk("startfrom");
      writer.Integer(spec.begin_search.startfrom);
      break;
    case kUnknownSearch:
      writer.Bulk("unknown");
      writer.Bulk("spec");
      writer.MapHeader(0);
      break;
  }
  writer.Bulk("find_keys");
  writer.MapHeader(2);
  writer.Bulk("type");
  switch (spec.find_keys.type) {
    case kRange:
      writer.Bulk("range");
      writer.Bulk("spec");
      writer.MapHeader(3);
      writer.Bulk("lastkey");
      writer.Integer(spec.find_keys.a);
      writer.Bulk("keystep");
      writer.Integer(spec.find_keys.b);
      writer.Bulk("limit");
      writer.Integer(spec.find_keys.c);
      break;
    case kKeynum:
      writer.Bulk("keynum");
      writer.Bulk("spec");
      writer.MapHeader(3);
      writer.Bulk("keynumidx");
      writer.Integer(spec.find_keys.a);
      writer.Bulk("firstkey");
      writer.Integer(spec.find_keys.b);
      writer.Bulk("keystep");
      writer.Integer(spec.find_keys.c);
      break;
    case kUnknownFind:
      writer.Bulk("unknown");
      writer.Bulk("spec");
      writer.MapHeader(0);
      break;
  }
}

// Flags and ACL categories: simple strings, a set in RESP3.
void WriteStatusSet(resp::ReplyWriter& writer,
                    const std::vector<std::string_view>& words) {
  writer.SetHeader(words.size());
  for (std::string_view word : words) writer.SimpleString(word);
}

// COMMAND INFO's ACL categories, tips and key specs (sets in RESP3).
void ReplyInfoTail(resp::ReplyWriter& writer, const CommandMeta* meta) {
  WriteStatusSet(writer, Words(meta == nullptr ? "" : meta->categories));
  const std::vector<std::string_view> tips =
      Words(meta == nullptr ? "" : meta->tips);
  writer.SetHeader(tips.size());
  for (std::string_view tip : tips) writer.Bulk(tip);
  const int spec_count = meta == nullptr ? 0 : meta->key_spec_count;
  writer.SetHeader(spec_count);
  for (int i = 0; i < spec_count; ++i) ReplyKeySpec(writer, meta->key_specs[i]);
}

// A subcommand has no family table row: all of it is Redis's metadata.
void ReplySubcommandInfo(resp::ReplyWriter& writer, const CommandMeta& meta) {
  writer.ArrayHeader(10);
  writer.Bulk(meta.name);
  writer.Integer(meta.arity);
  WriteStatusSet(writer, Words(meta.flags));
  writer.Integer(meta.first_key);
  writer.Integer(meta.last_key);
  writer.Integer(meta.key_step);
  ReplyInfoTail(writer, &meta);
  writer.SetHeader(0);
}

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
  const CommandMeta* meta = FindCommandMeta(spec.name);
  if (meta != nullptr) {
    first = meta->first_key;
    last = meta->last_key;
    step = meta->key_step;
  }
  // A container (CLIENT, CONFIG, ...) is described as Redis describes it,
  // by its subcommands: its own row in the family table holds what the
  // executor needs of them all.
  const std::span<const CommandMeta> subcommands = SubcommandMetas(spec.name);
  const bool container = meta != nullptr && !subcommands.empty();
  writer.ArrayHeader(10);
  writer.Bulk(spec.name);
  writer.Integer(container ? meta->arity : spec.arity);
  WriteStatusSet(writer,
                 container ? Words(meta->flags) : CommandFlagNames(spec.flags));
  writer.Integer(first);
  writer.Integer(last);
  writer.Integer(step);
  ReplyInfoTail(writer, meta);
  if (subcommands.empty()) {
    writer.SetHeader(0);  // as Redis 7.0: an empty set, otherwise an array
    return;
  }
  writer.ArrayHeader(subcommands.size());
  for (const CommandMeta& sub : subcommands) ReplySubcommandInfo(writer, sub);
}

// COMMAND DOCS' entry for a command (with its subcommands') or subcommand.
void ReplyDocs(resp::ReplyWriter& writer, const CommandDocs& docs) {
  const std::span<const CommandDocs> subcommands =
      docs.name.find('|') == std::string_view::npos
          ? SubcommandDocs(docs.name)
          : std::span<const CommandDocs>();
  writer.Bulk(docs.name);
  writer.MapHeader(docs.field_count + (subcommands.empty() ? 0 : 1));
  // The generated table is whole replies (reply_replay_test and the
  // comparison with Redis in introspection_test hold it to that).
  [[maybe_unused]] const bool whole = resp::Replay(docs.fields, writer);
  assert(whole);
  if (subcommands.empty()) return;
  writer.Bulk("subcommands");
  writer.MapHeader(subcommands.size());
  for (const CommandDocs& sub : subcommands) ReplyDocs(writer, sub);
}

// The documentation rows COMMAND DOCS names: every command's without names;
// otherwise those of the names shardd has, in order (others are left out).
std::vector<const CommandDocs*> DocsToReply(const SessionContext& ctx) {
  std::vector<const CommandDocs*> found;
  if (ctx.args.size() == 2) {
    for (const CommandSpec* spec : ctx.server.Commands()) {
      if (const CommandDocs* docs = FindCommandDocs(spec->name)) {
        found.push_back(docs);
      }
    }
    return found;
  }
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(
        absl::string_view(ctx.args[i].data(), ctx.args[i].size()));
    const bool subcommand = name.find('|') != std::string::npos;
    if (!subcommand && ctx.server.FindCommand(name) == nullptr) continue;
    if (const CommandDocs* docs = FindCommandDocs(name)) found.push_back(docs);
  }
  return found;
}

// COMMAND GETKEYSANDFLAGS (GETKEYS without `with_flags`) of `command` (a
// known command): a container's subcommand is looked up as Redis does, and
// its keys found with its key specs, in Redis's order of checks.
void ReplyKeys(resp::ReplyWriter& writer, const CommandSpec& spec,
               CommandArgs command, bool with_flags) {
  const CommandMeta* meta = FindCommandMeta(spec.name);
  int arity = spec.arity;
  if (meta != nullptr && !SubcommandMetas(spec.name).empty() &&
      command.size() >= 2) {
    meta = FindCommandMeta(
        absl::StrCat(std::string(spec.name), "|",
                     absl::AsciiStrToLower(absl::string_view(
                         command[1].data(), command[1].size()))));
    if (meta == nullptr) {
      writer.Error("ERR Invalid command specified");
      return;
    }
    arity = meta->arity;
  }
  if (meta == nullptr || !HasKeySpecs(*meta)) {
    writer.Error("ERR The command has no key arguments");
    return;
  }
  const int64_t argc = static_cast<int64_t>(command.size());
  if ((arity > 0 && arity != argc) || argc < -arity) {
    writer.Error("ERR Invalid number of arguments specified for command");
    return;
  }
  std::vector<SpecKey> keys;
  if (!KeysFromSpecs(*meta, command, &keys) || keys.empty()) {
    const std::vector<std::string_view> flags = Words(meta->flags);
    if (std::find(flags.begin(), flags.end(), "no_mandatory_keys") !=
        flags.end()) {
      writer.ArrayHeader(0);
    } else {
      writer.Error("ERR Invalid arguments specified for command");
    }
    return;
  }
  writer.ArrayHeader(keys.size());
  for (const SpecKey& key : keys) {
    if (!with_flags) {
      writer.Bulk(command[key.position]);
      continue;
    }
    writer.ArrayHeader(2);
    writer.Bulk(command[key.position]);
    WriteStatusSet(writer, Words(key.flags));
  }
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
    // Without names, every command (as COMMAND alone).
    if (args.size() == 2) {
      writer.ArrayHeader(all.size());
      for (const CommandSpec* spec : all) ReplyCommandInfo(writer, *spec);
      return;
    }
    writer.ArrayHeader(args.size() - 2);
    for (size_t i = 2; i < args.size(); ++i) {
      const CommandSpec* spec = ctx.server.FindCommand(args[i]);
      const CommandMeta* sub =
          spec != nullptr || args[i].find('|') == std::string_view::npos
              ? nullptr
              : FindCommandMeta(absl::AsciiStrToLower(
                    absl::string_view(args[i].data(), args[i].size())));
      if (spec != nullptr) {
        ReplyCommandInfo(writer, *spec);
      } else if (sub != nullptr) {
        ReplySubcommandInfo(writer, *sub);
      } else {
        writer.NullBulk();  // Redis 7.0: $-1 in RESP2
      }
    }
  } else if (EqualsIgnoreCase(args[1], "LIST")) {
    // FILTERBY PATTERN <glob> or ACLCAT <category>; shardd has no modules,
    // so that filter matches nothing.
    // (Names are lower case; the pattern matches them without case.)
    std::string pattern;
    std::string category;  // "@read"
    bool filtered = false;
    bool none = false;
    if (args.size() == 5 && EqualsIgnoreCase(args[2], "FILTERBY")) {
      if (EqualsIgnoreCase(args[3], "PATTERN")) {
        pattern = absl::AsciiStrToLower(std::string(args[4]));
        filtered = true;
      } else if (EqualsIgnoreCase(args[3], "ACLCAT")) {
        category = absl::StrCat("@", absl::AsciiStrToLower(absl::string_view(
                                         args[4].data(), args[4].size())));
      } else if (EqualsIgnoreCase(args[3], "MODULE")) {
        none = true;
      } else {
        writer.Error(kSyntaxError);
        return;
      }
    } else if (args.size() != 2) {
      writer.Error(kSyntaxError);
      return;
    }
    const auto matches = [&](std::string_view name) {
      if (none || (filtered && !GlobMatch(pattern, name))) return false;
      if (category.empty()) return true;
      const CommandMeta* meta = FindCommandMeta(name);
      const std::vector<std::string_view> categories =
          Words(meta == nullptr ? "" : meta->categories);
      return std::find(categories.begin(), categories.end(), category) !=
             categories.end();
    };
    // Each command, then its subcommands, as Redis lists them.
    std::vector<std::string_view> names;
    for (const CommandSpec* spec : all) {
      if (matches(spec->name)) names.push_back(spec->name);
      for (const CommandMeta& sub : SubcommandMetas(spec->name)) {
        if (matches(sub.name)) names.push_back(sub.name);
      }
    }
    writer.ArrayHeader(names.size());
    for (std::string_view name : names) writer.Bulk(name);
  } else if (EqualsIgnoreCase(args[1], "GETKEYS") ||
             EqualsIgnoreCase(args[1], "GETKEYSANDFLAGS")) {
    const bool with_flags = EqualsIgnoreCase(args[1], "GETKEYSANDFLAGS");
    if (args.size() < 4) {
      ReplyWrongArity(
          writer, with_flags ? "command|getkeysandflags" : "command|getkeys");
      return;
    }
    const CommandArgs command = args.subspan(2);
    const CommandSpec* spec = ctx.server.FindCommand(command[0]);
    if (spec == nullptr) {
      writer.Error("ERR Invalid command specified");
      return;
    }
    // A container's subcommand has its keys in its key specs, where Redis
    // finds them (MEMORY USAGE's: the server does not route on it).
    if (with_flags || !SubcommandMetas(spec->name).empty()) {
      ReplyKeys(writer, *spec, command, with_flags);
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
    const std::vector<const CommandDocs*> found = DocsToReply(ctx);
    writer.MapHeader(found.size());
    for (const CommandDocs* docs : found) ReplyDocs(writer, *docs);
  } else if (EqualsIgnoreCase(args[1], "HELP")) {
    if (args.size() != 2) {
      ReplyWrongArity(writer, "command|help");
      return;
    }
    writer.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) writer.SimpleString(line);
  } else {
    ReplyUnknownSubcommand(writer, args);
  }
}

}  // namespace shardd::kv
