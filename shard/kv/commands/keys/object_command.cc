// OBJECT ENCODING and OBJECT FREQ. Encodings are reported with Redis 7.0's
// names for the structure shardd actually uses, so tools that look at them
// (e.g. memory audits) read something meaningful.
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// Redis keeps a string as "int" when it is a 64-bit integer, "embstr" (one
// allocation with its header) up to 44 bytes, else "raw". shardd keeps every
// string as one bare block; the name tells which one Redis would have used.
std::string_view StringEncoding(std::string_view value) {
  int64_t unused;
  if (value.size() <= 20 && ParseInt64(value, &unused)) return "int";
  return value.size() <= 44 ? "embstr" : "raw";
}

std::string_view EncodingOf(const Entry& entry) {
  switch (entry.type()) {
    case ValueType::kString:
      return StringEncoding(entry.string());
    case ValueType::kList:
      return entry.list().Encoding();
    case ValueType::kHash:
      return entry.hash().Encoding();
    case ValueType::kSet:
      return entry.set().Encoding();
    case ValueType::kZSet:
      return entry.zset().Encoding();
  }
  return "";
}

}  // namespace

void ObjectKeyPositions(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() == 3) positions->push_back(2);
}

void ObjectCommand(CommandContext& ctx) {
  const std::string_view sub = ctx.args[1];
  const bool keyed = EqualsIgnoreCase(sub, "ENCODING") ||
                     EqualsIgnoreCase(sub, "FREQ");
  if (!keyed) {
    ctx.reply.Error(absl::StrCat(
        "ERR unknown subcommand '", ArgumentForError(sub).substr(0, 128),
        "'. Try OBJECT HELP."));
    return;
  }
  if (ctx.args.size() != 3) {
    ReplyWrongArity(ctx.reply,
                    absl::StrCat("object|", absl::AsciiStrToLower(
                                                ArgumentForError(sub))));
    return;
  }
  const Entry* entry = ctx.store.Find(ctx.args[2], ctx.now_ms);
  if (entry == nullptr) {
    ctx.reply.NullBulk();
  } else if (EqualsIgnoreCase(sub, "ENCODING")) {
    ctx.reply.Bulk(EncodingOf(*entry));
  } else {
    // shardd evicts nothing, so, like Redis under its default policy, it does
    // not track access frequency.
    ctx.reply.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not "
        "tracked. Please note that when switching between policies at "
        "runtime LRU and LFU data will take some time to adjust.");
  }
}

}  // namespace shardd::kv
