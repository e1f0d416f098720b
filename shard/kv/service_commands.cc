#include "shard/kv/service_commands.h"

#include <fnmatch.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/arg_parsing.h"
#include "shard/kv/reply_errors.h"

namespace shardd::kv {
namespace {

void ReplyUnknownSubcommand(resp::ReplyWriter& writer, CommandArgs args) {
  writer.Error(absl::StrCat(
      "ERR unknown subcommand '", ArgumentForError(args[1]).substr(0, 128),
      "'. Try ", absl::AsciiStrToUpper(ArgumentForError(args[0])), " HELP."));
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
  const std::vector<std::string_view> flags = CommandFlagNames(spec.flags);
  writer.ArrayHeader(10);
  writer.Bulk(spec.name);
  writer.Integer(spec.arity);
  writer.ArrayHeader(flags.size());
  for (std::string_view flag : flags) writer.SimpleString(flag);
  writer.Integer(first);
  writer.Integer(last);
  writer.Integer(step);
  // ACL categories, tips, key specs, subcommands: not modelled.
  for (int i = 0; i < 4; ++i) writer.ArrayHeader(0);
}

}  // namespace

void ReplyUnknownCommand(resp::ReplyWriter& writer, CommandArgs args) {
  std::string quoted;
  for (size_t i = 1; i < args.size() && quoted.size() < 128; ++i) {
    absl::StrAppend(&quoted, "'",
                    ArgumentForError(args[i]).substr(0, 128 - quoted.size()),
                    "' ");
  }
  writer.Error(absl::StrCat("ERR unknown command '",
                            ArgumentForError(args[0]).substr(0, 128),
                            "', with args beginning with: ", quoted));
}

void SelectCommand(resp::ReplyWriter& writer, CommandArgs args) {
  int64_t index = 0;
  if (!ParseInt64(args[1], &index)) {
    writer.Error(kNotIntegerError);
  } else if (index != 0) {
    // One keyspace per server: shards split keys, not databases.
    writer.Error("ERR DB index is out of range");
  } else {
    writer.Ok();
  }
}

void HelloCommand(resp::ReplyWriter& writer, CommandArgs args,
                  uint64_t client_id) {
  size_t next = 1;
  if (args.size() > 1) {
    int64_t version = 0;
    if (!ParseInt64(args[1], &version)) {
      writer.Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    // RESP3 is not spoken yet; Redis answers an unsupported version so.
    if (version != 2) {
      writer.Error("NOPROTO unsupported protocol version");
      return;
    }
    next = 2;
  }
  for (; next < args.size(); ++next) {
    const bool more = next + 1 < args.size();
    if (EqualsIgnoreCase(args[next], "AUTH") && next + 2 < args.size()) {
      next += 2;  // no passwords configured: the default user accepts any
    } else if (EqualsIgnoreCase(args[next], "SETNAME") && more) {
      next += 1;
    } else {
      writer.Error(absl::StrCat("ERR Syntax error in HELLO option '",
                                ArgumentForError(args[next]), "'"));
      return;
    }
  }
  writer.ArrayHeader(14);
  writer.Bulk("server");
  writer.Bulk("redis");
  writer.Bulk("version");
  writer.Bulk(kRedisCompatibleVersion);
  writer.Bulk("proto");
  writer.Integer(2);
  writer.Bulk("id");
  writer.Integer(static_cast<int64_t>(client_id));
  writer.Bulk("mode");
  writer.Bulk("standalone");
  writer.Bulk("role");
  writer.Bulk("master");
  writer.Bulk("modules");
  writer.ArrayHeader(0);
}

void CommandCommand(resp::ReplyWriter& writer, CommandArgs args) {
  const std::vector<const CommandSpec*>& all = AllCommands();
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
      const CommandSpec* spec = FindCommand(args[i]);
      if (spec == nullptr) {
        writer.NullArray();
      } else {
        ReplyCommandInfo(writer, *spec);
      }
    }
  } else if (EqualsIgnoreCase(args[1], "DOCS")) {
    writer.ArrayHeader(0);  // no documentation is served; clients fall back
  } else {
    ReplyUnknownSubcommand(writer, args);
  }
}

void ConfigCommand(resp::ReplyWriter& writer, CommandArgs args,
                   KvService& service) {
  if (!EqualsIgnoreCase(args[1], "GET")) {
    ReplyUnknownSubcommand(writer, args);
    return;
  }
  if (args.size() < 3) {
    ReplyWrongArity(writer, "config|get");
    return;
  }
  // The parameters tools such as redis-benchmark ask about.
  const KvOptions& options = service.options();
  const std::pair<std::string_view, std::string> parameters[] = {
      {"appendonly", "no"},
      {"bind", options.bind_address},
      {"client-query-buffer-limit",
       absl::StrCat(options.client_query_buffer_limit)},
      {"databases", "1"},
      {"maxclients", absl::StrCat(options.max_clients)},
      {"port", absl::StrCat(service.port())},
      {"proto-max-bulk-len", absl::StrCat(options.proto_max_bulk_len)},
      {"save", ""},
      {"tcp-keepalive", absl::StrCat(options.tcp_keepalive_seconds)},
      {"timeout", absl::StrCat(options.idle_timeout_seconds)},
  };
  std::vector<const std::pair<std::string_view, std::string>*> matched;
  for (const auto& parameter : parameters) {
    for (size_t i = 2; i < args.size(); ++i) {
      const std::string pattern(args[i]);
      const std::string name(parameter.first);
      if (fnmatch(pattern.c_str(), name.c_str(), FNM_CASEFOLD) == 0) {
        matched.push_back(&parameter);
        break;
      }
    }
  }
  writer.ArrayHeader(2 * matched.size());
  for (const auto* parameter : matched) {
    writer.Bulk(parameter->first);
    writer.Bulk(parameter->second);
  }
}

}  // namespace shardd::kv
