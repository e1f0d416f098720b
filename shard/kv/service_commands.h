// The commands about the connection or the server rather than about keys:
// their replies depend on the service (options, shards, the client), not on a
// Store, so the command table has no handler for them.
//
//   HelloCommand(writer, args, client_id);
//   std::string info = co_await InfoReply(service, args);
#ifndef SHARDD_SHARD_KV_SERVICE_COMMANDS_H_
#define SHARDD_SHARD_KV_SERVICE_COMMANDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "net/resp/reply_writer.h"
#include "shard/kv/command.h"
#include "shard/kv/kv_service.h"
#include "shard/task.h"

namespace shardd::kv {

// The Redis version whose behaviour shardd reproduces; clients read it from
// HELLO and INFO to decide which commands they may use.
inline constexpr std::string_view kRedisCompatibleVersion = "7.0.0";

// "ERR unknown command 'x', with args beginning with: 'a' 'b' ".
void ReplyUnknownCommand(resp::ReplyWriter& writer, CommandArgs args);

void SelectCommand(resp::ReplyWriter& writer, CommandArgs args);
void HelloCommand(resp::ReplyWriter& writer, CommandArgs args,
                  uint64_t client_id);
void CommandCommand(resp::ReplyWriter& writer, CommandArgs args);
void ConfigCommand(resp::ReplyWriter& writer, CommandArgs args,
                   KvService& service);

// The full INFO reply (a bulk string); asks every shard for its numbers.
Task<std::string> InfoReply(KvService& service, CommandArgs args);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_SERVICE_COMMANDS_H_
