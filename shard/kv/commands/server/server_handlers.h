// The server family's session handlers, one file each; the family's table,
// with DBSIZE and FLUSHALL, is at the end of server_commands.cc.
#ifndef SHARDD_SHARD_KV_COMMANDS_SERVER_SERVER_HANDLERS_H_
#define SHARDD_SHARD_KV_COMMANDS_SERVER_SERVER_HANDLERS_H_

#include <string>

#include "shard/kv/commands/command.h"
#include "shard/kv/commands/session_context.h"
#include "shard/task.h"

namespace shardd::kv {

// command_command.cc: COMMAND, COMMAND COUNT, COMMAND INFO, COMMAND DOCS.
void CommandCommand(SessionContext& ctx);

// config_command.cc: CONFIG GET.
void ConfigCommand(SessionContext& ctx);

// admin_commands.cc: TIME, LASTSAVE, WAIT, ROLE, SHUTDOWN, DEBUG, FUNCTION,
// and the scripting commands (EVAL, SCRIPT, FCALL, ...), which all answer
// that Lua is not supported.
void TimeCommand(SessionContext& ctx);
void LastSaveCommand(SessionContext& ctx);
void WaitCommand(SessionContext& ctx);
void RoleCommand(SessionContext& ctx);
void ShutdownCommand(SessionContext& ctx);
Task<std::string> DebugCommand(ServerView& server, CommandArgs args,
                               resp::Protocol protocol, uint32_t db);
void FunctionCommand(SessionContext& ctx);
// memory_command.cc
Task<std::string> MemoryCommand(ServerView& server, CommandArgs args,
                                resp::Protocol protocol, uint32_t db);
Task<std::string> LatencyCommand(ServerView& server, CommandArgs args,
                                 resp::Protocol protocol, uint32_t db);
Task<std::string> SlowLogCommand(ServerView& server, CommandArgs args,
                                 resp::Protocol protocol, uint32_t db);
void ScriptingCommand(SessionContext& ctx);

// info_command.cc: the full INFO reply (a bulk string; RESP3: verbatim
// text), from every shard's numbers.
Task<std::string> InfoCommand(ServerView& server, CommandArgs args,
                              resp::Protocol protocol, uint32_t db);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_SERVER_SERVER_HANDLERS_H_
