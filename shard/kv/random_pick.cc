#include "shard/kv/random_pick.h"

#include <limits>

#include "shard/kv/arg_parsing.h"
#include "shard/kv/reply_errors.h"

namespace shardd::kv {

bool ParseRandomCount(std::string_view text, resp::ReplyWriter& reply,
                      int64_t* count) {
  if (!ParseInt64(text, count)) {
    reply.Error(kNotIntegerError);
    return false;
  }
  // -LONG_MIN would not fit; Redis's range check names its bounds.
  if (*count == std::numeric_limits<int64_t>::min()) {
    reply.Error(
        "ERR value is out of range, value must between -9223372036854775807 "
        "and 9223372036854775807");
    return false;
  }
  return true;
}

}  // namespace shardd::kv
