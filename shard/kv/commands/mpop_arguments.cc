#include "shard/kv/commands/mpop_arguments.h"

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

// How many keys numkeys names, if it is a number of keys that leaves room
// for the side; 0 otherwise.
size_t KeyCount(CommandArgs args, size_t numkeys_at, bool* bad_number) {
  int64_t n = 0;
  *bad_number = !ParseInt64(args[numkeys_at], &n) || n < 1;
  if (*bad_number) return 0;
  // The side comes after the keys.
  if (static_cast<uint64_t>(n) >= args.size() - numkeys_at - 1) return 0;
  return static_cast<size_t>(n);
}

}  // namespace

bool ParseMPopArguments(CommandContext& ctx, size_t numkeys_at,
                        std::pair<std::string_view, std::string_view> sides,
                        MPopArguments* parsed) {
  const CommandArgs args = ctx.args;
  bool bad_number = false;
  const size_t n = KeyCount(args, numkeys_at, &bad_number);
  if (bad_number) {
    ctx.reply.Error("ERR numkeys should be greater than 0");
    return false;
  }
  if (n == 0) {
    ctx.reply.Error(kSyntaxError);
    return false;
  }
  parsed->keys = args.subspan(numkeys_at + 1, n);
  const size_t side_at = numkeys_at + 1 + n;
  if (EqualsIgnoreCase(args[side_at], sides.first)) {
    parsed->first_side = true;
  } else if (EqualsIgnoreCase(args[side_at], sides.second)) {
    parsed->first_side = false;
  } else {
    ctx.reply.Error(kSyntaxError);
    return false;
  }
  bool counted = false;
  for (size_t i = side_at + 1; i < args.size(); ++i) {
    if (!counted && EqualsIgnoreCase(args[i], "count") && i + 1 < args.size()) {
      if (!ParseInt64(args[++i], &parsed->count) || parsed->count < 1) {
        ctx.reply.Error("ERR count should be greater than 0");
        return false;
      }
      counted = true;
    } else {
      ctx.reply.Error(kSyntaxError);
      return false;
    }
  }
  return true;
}

void MPopKeys(CommandArgs args, size_t numkeys_at,
              std::vector<size_t>* positions) {
  if (args.size() <= numkeys_at) return;
  bool bad_number = false;
  const size_t n = KeyCount(args, numkeys_at, &bad_number);
  for (size_t i = 0; i < n; ++i) positions->push_back(numkeys_at + 1 + i);
}

}  // namespace shardd::kv
