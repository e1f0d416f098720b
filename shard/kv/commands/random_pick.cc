#include "shard/kv/commands/random_pick.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

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

bool WithinPickLimit(int64_t count, resp::ReplyWriter& reply) {
  // A negative count asks for that many picks, repeats allowed: Redis builds
  // any such reply (and a huge one exhausts its memory). shardd refuses
  // replies beyond kMaxRandomPicks elements instead of risking the process.
  if (count >= -kMaxRandomPicks) return true;
  reply.Error(absl::StrCat("ERR value is out of range, must be at least -",
                           kMaxRandomPicks));
  return false;
}

}  // namespace shardd::kv
