#include "shard/kv/commands/reply_errors.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"

namespace shardd::kv {

void ReplyWrongArity(resp::ReplyWriter& reply, std::string_view command) {
  std::string message = "ERR wrong number of arguments for '";
  message.append(command).append("' command");
  reply.Error(message);
}

void ReplyInvalidExpireTime(resp::ReplyWriter& reply,
                            std::string_view command) {
  std::string message = "ERR invalid expire time in '";
  message.append(command).append("' command");
  reply.Error(message);
}

void ReplyUnknownCommand(resp::ReplyWriter& reply,
                         absl::Span<const std::string_view> args) {
  std::string quoted;
  for (size_t i = 1; i < args.size() && quoted.size() < 128; ++i) {
    absl::StrAppend(&quoted, "'",
                    ArgumentForError(args[i]).substr(0, 128 - quoted.size()),
                    "' ");
  }
  reply.Error(absl::StrCat("ERR unknown command '",
                           ArgumentForError(args[0]).substr(0, 128),
                           "', with args beginning with: ", quoted));
}

void ReplyUnknownSubcommand(resp::ReplyWriter& reply,
                            absl::Span<const std::string_view> args) {
  reply.Error(absl::StrCat(
      "ERR unknown subcommand '", ArgumentForError(args[1]).substr(0, 128),
      "'. Try ", absl::AsciiStrToUpper(ArgumentForError(args[0])), " HELP."));
}

std::string ArgumentForError(std::string_view arg) {
  std::string shown(UpToNul(arg));
  std::replace(shown.begin(), shown.end(), '\r', ' ');
  std::replace(shown.begin(), shown.end(), '\n', ' ');
  return shown;
}

}  // namespace shardd::kv
