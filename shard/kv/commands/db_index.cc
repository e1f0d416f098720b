#include "shard/kv/commands/db_index.h"

#include <optional>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {
namespace {

// The number `arg` names, if it is a database of `databases`.
std::optional<uint32_t> DbNumber(std::string_view arg, uint32_t databases) {
  int64_t db = 0;
  if (!ParseInt64(arg, &db) || db < 0 || db >= databases) return std::nullopt;
  return static_cast<uint32_t>(db);
}

}  // namespace

bool ParseDbIndex(CommandContext& ctx, std::string_view arg, uint32_t* db) {
  int64_t number = 0;
  if (!ParseInt64(arg, &number)) {
    ctx.reply.Error(kNotIntegerError);
    return false;
  }
  if (!FitsInt(number)) {
    ctx.reply.Error(kNotIntError);
    return false;
  }
  const uint32_t databases =
      ctx.databases != nullptr ? ctx.databases->count() : 1;
  if (number < 0 || number >= databases) {
    ctx.reply.Error(kDbOutOfRangeError);
    return false;
  }
  *db = static_cast<uint32_t>(number);
  return true;
}

bool KeyInOtherDb(const CommandSpec& spec, CommandArgs args, uint32_t db,
                  uint32_t databases, OtherDbKey* other) {
  std::optional<uint32_t> number;
  if (spec.name == "move" && args.size() == 3) {
    number = DbNumber(args[2], databases);
    other->position = 1;
  } else if (spec.name == "copy") {
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (EqualsIgnoreCase(args[i], "DB")) {
        number = DbNumber(args[i + 1], databases);
      }
    }
    other->position = 2;
  }
  if (!number.has_value() || *number == db) return false;
  other->db = *number;
  return true;
}

}  // namespace shardd::kv
