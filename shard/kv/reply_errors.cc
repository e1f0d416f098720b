#include "shard/kv/reply_errors.h"

#include <algorithm>
#include <string>

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

std::string ArgumentForError(std::string_view arg) {
  std::string shown(arg.substr(0, arg.find('\0')));
  std::replace(shown.begin(), shown.end(), '\r', ' ');
  std::replace(shown.begin(), shown.end(), '\n', ' ');
  return shown;
}

}  // namespace shardd::kv
