// COMMAND: what clients learn about the command table (names, arities,
// flags, key positions, ACL categories, key specs) to route and to check
// arguments before sending; COMMAND LIST and GETKEYS.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/glob_match.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/command_meta.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {
namespace {

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
  const std::vector<std::string_view> flags = CommandFlagNames(spec.flags);
  writer.ArrayHeader(10);
  writer.Bulk(spec.name);
  writer.Integer(spec.arity);
  writer.SetHeader(flags.size());
  for (std::string_view flag : flags) writer.SimpleString(flag);
  writer.Integer(first);
  writer.Integer(last);
  writer.Integer(step);
  // (Redis 7.0 sends these four as sets in RESP3.)
  const std::vector<std::string_view> categories =
      Words(meta == nullptr ? "" : meta->categories);
  writer.SetHeader(categories.size());
  for (std::string_view category : categories) writer.SimpleString(category);
  const std::vector<std::string_view> tips =
      Words(meta == nullptr ? "" : meta->tips);
  writer.SetHeader(tips.size());
  for (std::string_view tip : tips) writer.Bulk(tip);
  const int spec_count = meta == nullptr ? 0 : meta->key_spec_count;
  writer.SetHeader(spec_count);
  for (int i = 0; i < spec_count; ++i) ReplyKeySpec(writer, meta->key_specs[i]);
  // Subcommands (CLIENT|LIST, ...) are not described.
  writer.SetHeader(0);
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
      if (spec == nullptr) {
        writer.NullBulk();  // Redis 7.0: $-1 in RESP2
      } else {
        ReplyCommandInfo(writer, *spec);
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
    std::vector<std::string_view> names;
    for (const CommandSpec* spec : all) {
      if (none || (filtered && !GlobMatch(pattern, spec->name))) continue;
      if (!category.empty()) {
        const CommandMeta* meta = FindCommandMeta(spec->name);
        const std::vector<std::string_view> categories =
            Words(meta == nullptr ? "" : meta->categories);
        if (std::find(categories.begin(), categories.end(), category) ==
            categories.end()) {
          continue;
        }
      }
      names.push_back(spec->name);
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
