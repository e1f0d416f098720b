// OBJECT ENCODING|IDLETIME|REFCOUNT|FREQ|HELP: what a key's value is made
// of and how long it has been left alone.
#include <iterator>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/store/encoding_name.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kHelp[] = {
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    The name of the structure that holds the key's value.",
    "FREQ <key>",
    "    The key's access frequency, kept only under an LFU eviction policy.",
    "IDLETIME <key>",
    "    Seconds since the key was last read or written.",
    "REFCOUNT <key>",
    "    How many references the value has.",
    "HELP",
    "    This text.",
};

}  // namespace

void ObjectKeyPositions(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() == 3) positions->push_back(2);
}

void ObjectCommand(CommandContext& ctx) {
  const std::string_view sub = ctx.args[1];
  if (EqualsIgnoreCase(sub, "HELP")) {
    if (ctx.args.size() != 2) {
      ReplyWrongArity(ctx.reply, "object|help");
      return;
    }
    ctx.reply.ArrayHeader(std::size(kHelp));
    for (std::string_view line : kHelp) ctx.reply.SimpleString(line);
    return;
  }
  const bool keyed =
      EqualsIgnoreCase(sub, "ENCODING") || EqualsIgnoreCase(sub, "FREQ") ||
      EqualsIgnoreCase(sub, "IDLETIME") || EqualsIgnoreCase(sub, "REFCOUNT");
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
  // Looking at a key is not using it: its idle time goes on.
  const Entry* entry = ctx.store.Peek(ctx.args[2], ctx.now_ms);
  if (entry == nullptr) {
    ctx.reply.NullBulk();
  } else if (EqualsIgnoreCase(sub, "ENCODING")) {
    ctx.reply.Bulk(EncodingName(*entry));
  } else if (EqualsIgnoreCase(sub, "IDLETIME")) {
    ctx.reply.Integer(Store::IdleSeconds(*entry, ctx.now_ms));
  } else if (EqualsIgnoreCase(sub, "REFCOUNT")) {
    // A value belongs to one key in shardd; Redis's shared integers say
    // INT_MAX.
    ctx.reply.Integer(IsSharedInteger(*entry) ? 2147483647 : 1);
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
