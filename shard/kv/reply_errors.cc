#include "shard/kv/reply_errors.h"

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

}  // namespace shardd::kv
