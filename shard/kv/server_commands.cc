// Commands about the keyspace as a whole (DBSIZE, FLUSHALL), which run on
// every shard, and the keyless PING and ECHO.
#include <cstdint>

#include "shard/kv/arg_parsing.h"
#include "shard/kv/command_handlers.h"
#include "shard/kv/reply_errors.h"

namespace shardd::kv {

void DbSizeCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.store.KeyCount()));
}

void FlushAllCommand(CommandContext& ctx) {
  // SYNC and ASYNC are accepted for compatibility; clearing one shard's map
  // is quick enough either way.
  const bool valid =
      ctx.args.size() == 1 ||
      (ctx.args.size() == 2 && (EqualsIgnoreCase(ctx.args[1], "SYNC") ||
                                EqualsIgnoreCase(ctx.args[1], "ASYNC")));
  if (!valid) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  ctx.store.Clear();
  ctx.reply.Ok();
}

void PingCommand(CommandContext& ctx) {
  // The arity (-1) allows any count; Redis rejects more than one argument here.
  if (ctx.args.size() > 2) {
    ReplyWrongArity(ctx.reply, "ping");
  } else if (ctx.args.size() == 2) {
    ctx.reply.Bulk(ctx.args[1]);
  } else {
    ctx.reply.SimpleString("PONG");
  }
}

void EchoCommand(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

}  // namespace shardd::kv
