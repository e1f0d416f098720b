// CONFIG GET: the parameters the service reports (ServerView), matched
// against glob patterns as Redis matches them, without case; CONFIG SET:
// what the service lets change at run time.
#include <fnmatch.h>

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern> [<pattern> ...]",
    "    The parameters whose names match a glob pattern, with their values.",
    "SET <parameter> <value> [<parameter> <value> ...]",
    "    Change parameters at run time, all of them or none.",
    "RESETSTAT",
    "    Zero the counters INFO reports.",
    "REWRITE",
    "    Write the running configuration into the --flagfile.",
    "HELP",
    "    This text.",
};

}  // namespace

void ConfigCommand(SessionContext& ctx) {
  const CommandArgs args = ctx.args;
  if (EqualsIgnoreCase(args[1], "HELP")) {
    if (args.size() != 2) {
      ReplyWrongArity(ctx.reply, "config|help");
      return;
    }
    ctx.reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) ctx.reply.SimpleString(line);
    return;
  }
  if (EqualsIgnoreCase(args[1], "SET")) {
    if (args.size() < 4 || args.size() % 2 != 0) {
      ReplyWrongArity(ctx.reply, "config|set");
      return;
    }
    const std::string error = ctx.server.SetConfig(args.subspan(2));
    if (error.empty()) {
      ctx.reply.Ok();
    } else {
      ctx.reply.Error(error);
    }
    return;
  }
  if (EqualsIgnoreCase(args[1], "RESETSTAT") && args.size() == 2) {
    ctx.server.ResetStats();
    ctx.reply.Ok();
    return;
  }
  if (EqualsIgnoreCase(args[1], "REWRITE") && args.size() == 2) {
    const std::string error = ctx.server.RewriteConfig();
    if (error.empty()) {
      ctx.reply.Ok();
    } else {
      ctx.reply.Error(error);
    }
    return;
  }
  if (!EqualsIgnoreCase(args[1], "GET")) {
    ReplyUnknownSubcommand(ctx.reply, args);
    return;
  }
  if (args.size() < 3) {
    ReplyWrongArity(ctx.reply, "config|get");
    return;
  }
  const std::vector<ConfigParameter> parameters =
      ctx.server.ConfigParameters();
  std::vector<const ConfigParameter*> matched;
  for (const ConfigParameter& parameter : parameters) {
    const std::string name(parameter.name);
    for (size_t i = 2; i < args.size(); ++i) {
      const std::string pattern(args[i]);
      if (fnmatch(pattern.c_str(), name.c_str(), FNM_CASEFOLD) == 0) {
        matched.push_back(&parameter);
        break;
      }
    }
  }
  ctx.reply.MapHeader(matched.size());
  for (const ConfigParameter* parameter : matched) {
    ctx.reply.Bulk(parameter->name);
    ctx.reply.Bulk(parameter->value);
  }
}

}  // namespace shardd::kv
