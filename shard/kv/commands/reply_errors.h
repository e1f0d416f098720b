// The error replies that several commands share, with Redis's exact text:
// clients match on these strings, so they live in one place.
//
//   reply.Error(kSyntaxError);
//   ReplyWrongArity(reply, "mset");
#ifndef SHARDD_SHARD_KV_COMMANDS_REPLY_ERRORS_H_
#define SHARDD_SHARD_KV_COMMANDS_REPLY_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "net/resp/reply_writer.h"

namespace shardd::kv {

inline constexpr std::string_view kSyntaxError = "ERR syntax error";
inline constexpr std::string_view kNotFloatError =
    "ERR value is not a valid float";
inline constexpr std::string_view kNotIntegerError =
    "ERR value is not an integer or out of range";
inline constexpr std::string_view kWrongTypeError =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kOverflowError =
    "ERR increment or decrement would overflow";

// "ERR wrong number of arguments for '<command>' command"; `command` is the
// lower-case name from the command table, not the client's spelling.
void ReplyWrongArity(resp::ReplyWriter& reply, std::string_view command);

// "ERR invalid expire time in '<command>' command".
void ReplyInvalidExpireTime(resp::ReplyWriter& reply, std::string_view command);

// "ERR unknown command 'x', with args beginning with: 'a' 'b' ".
void ReplyUnknownCommand(resp::ReplyWriter& reply,
                         absl::Span<const std::string_view> args);

// "ERR unknown subcommand 'x'. Try CONFIG HELP." for args {"config", "x"}.
void ReplyUnknownSubcommand(resp::ReplyWriter& reply,
                            absl::Span<const std::string_view> args);

// An argument as Redis shows it inside an error message: it formats with
// printf's %s, which stops at a NUL byte, and turns CR/LF into spaces so the
// reply stays one line.
std::string ArgumentForError(std::string_view arg);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_REPLY_ERRORS_H_
