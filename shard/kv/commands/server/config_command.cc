// CONFIG GET: the parameters the service reports (ServerView), matched
// against glob patterns as Redis matches them, without case.
#include <fnmatch.h>

#include <string>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/server/server_handlers.h"

namespace shardd::kv {

void ConfigCommand(SessionContext& ctx) {
  const CommandArgs args = ctx.args;
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
