// Database numbers in arguments (MOVE key db, COPY ... DB db, SWAPDB a b),
// and the one key such a command writes in a database other than the
// client's, which the executor must treat as that database's key (its
// watches, blocked clients, compaction and log).
//
//   uint32_t db;
//   if (!ParseDbIndex(ctx, ctx.args[2], &db)) return;  // error replied
//   OtherDbKey other;
//   if (KeyInOtherDb(spec, args, client_db, databases, &other)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_DB_INDEX_H_
#define SHARDD_SHARD_KV_COMMANDS_DB_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

inline constexpr std::string_view kDbOutOfRangeError =
    "ERR DB index is out of range";
// Redis reads database numbers as C ints.
inline constexpr std::string_view kNotIntError =
    "ERR value is out of range, value must between -2147483648 and "
    "2147483647";
inline bool FitsInt(int64_t value) {
  return value >= INT32_MIN && value <= INT32_MAX;
}

// `arg` as a database number of this server; false, with Redis's error
// replied (not an integer, not an int, out of range), if it is none.
bool ParseDbIndex(CommandContext& ctx, std::string_view arg, uint32_t* db);

// A key of `args` the command writes in another database than the
// client's `db`: MOVE's key (in the target database too) and COPY's
// destination with DB. False for any other command, or when the arguments
// are wrong (the handler then replies the error).
struct OtherDbKey {
  size_t position = 0;  // in args
  uint32_t db = 0;
};
bool KeyInOtherDb(const CommandSpec& spec, CommandArgs args, uint32_t db,
                  uint32_t databases, OtherDbKey* other);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_DB_INDEX_H_
