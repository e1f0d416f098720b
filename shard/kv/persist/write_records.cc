#include "shard/kv/persist/write_records.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/resp/reply_reader.h"
#include "shard/kv/persist/records.h"
#include "shard/string_view_hash.h"

namespace shardd::kv {
namespace {

enum class Rule {
  kStringState,      // the key's string and expiry as they are now
  kExpiryState,      // the key's expiry as it is now
  kPoppedMembers,    // SPOP: SREM what the reply lists
  kHashFieldResult,  // HINCRBYFLOAT: HSET the field to the reply
  kPopOne,           // BLPOP/BRPOP: the pop the reply shows
  kMoveOnce,         // BLMOVE: the non-blocking move
  kZPopOne,          // BZPOPMIN/BZPOPMAX: the pop the reply shows
  kMultiPop,         // BLMPOP/BZMPOP: as many pops as the reply shows
  kStoredKey,        // SORT ... STORE: the destination as it is now
};

const absl::flat_hash_map<std::string_view, Rule, StringViewHash>& Rules() {
  static const auto* rules =
      new absl::flat_hash_map<std::string_view, Rule, StringViewHash>{
          {"set", Rule::kStringState},
          {"setex", Rule::kStringState},
          {"psetex", Rule::kStringState},
          {"incrbyfloat", Rule::kStringState},
          {"getex", Rule::kExpiryState},
          {"expire", Rule::kExpiryState},
          {"pexpire", Rule::kExpiryState},
          {"expireat", Rule::kExpiryState},
          {"pexpireat", Rule::kExpiryState},
          {"spop", Rule::kPoppedMembers},
          {"hincrbyfloat", Rule::kHashFieldResult},
          {"blpop", Rule::kPopOne},
          {"brpop", Rule::kPopOne},
          {"blmove", Rule::kMoveOnce},
          {"bzpopmin", Rule::kZPopOne},
          {"bzpopmax", Rule::kZPopOne},
          {"blmpop", Rule::kMultiPop},
          {"bzmpop", Rule::kMultiPop},
          // Its BY and GET patterns may read keys of other shards, which a
          // replay under another shard count would not find beside it.
          {"sort", Rule::kStoredKey},
      };
  return *rules;
}

// The bulk strings of a reply that is one bulk string or a flat array of
// them (nils skipped).
std::vector<std::string_view> BulkStrings(std::string_view reply) {
  std::vector<std::string_view> out;
  size_t at = 0;
  auto line = [&]() -> std::string_view {
    const size_t end = reply.find("\r\n", at);
    if (end == std::string_view::npos) return {};
    std::string_view text = reply.substr(at, end - at);
    at = end + 2;
    return text;
  };
  while (at < reply.size()) {
    const std::string_view header = line();
    if (header.size() < 2) break;
    if (header[0] == '*') continue;
    int64_t size = 0;
    const std::string_view digits = header.substr(1);
    if (header[0] != '$' ||
        !absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()),
                          &size) ||
        size < 0) {
      continue;
    }
    out.push_back(reply.substr(at, static_cast<size_t>(size)));
    at += static_cast<size_t>(size) + 2;
  }
  return out;
}

void AppendKeyCommand(std::string* out, std::string_view command,
                      std::string_view key) {
  const std::string_view args[] = {command, key};
  AppendCommand(out, args);
}

void AppendStringState(std::string* out, std::string_view key, Store& store,
                       int64_t now_ms) {
  const Entry* entry = store.Find(key, now_ms);
  if (entry == nullptr || entry->type() != ValueType::kString) {
    if (entry == nullptr) AppendKeyCommand(out, "DEL", key);
    return;
  }
  if (entry->expire_at_ms() == 0) {
    const std::string_view args[] = {"SET", key, entry->string()};
    AppendCommand(out, args);
    return;
  }
  const std::string at = absl::StrCat(entry->expire_at_ms());
  const std::string_view args[] = {"SET", key, entry->string(), "PXAT", at};
  AppendCommand(out, args);
}

void AppendExpiryState(std::string* out, std::string_view key, Store& store,
                       int64_t now_ms) {
  const Entry* entry = store.Find(key, now_ms);
  if (entry == nullptr) {
    AppendKeyCommand(out, "DEL", key);
  } else if (entry->expire_at_ms() == 0) {
    AppendKeyCommand(out, "PERSIST", key);
  } else {
    const std::string at = absl::StrCat(entry->expire_at_ms());
    const std::string_view args[] = {"PEXPIREAT", key, at};
    AppendCommand(out, args);
  }
}

// BLMPOP timeout numkeys key ... LEFT|RIGHT [COUNT n] and BZMPOP (MIN|MAX)
// as the LPOP/RPOP or ZPOPMIN/ZPOPMAX of the key and count the reply
// shows ([key, [popped ...]]).
void AppendMultiPop(std::string* out, const CommandSpec& spec, CommandArgs args,
                    std::string_view reply) {
  std::vector<std::string_view> parts;
  std::vector<std::string_view> popped;
  if (!resp::SplitArray(reply, &parts) || parts.size() != 2 ||
      !resp::SplitArray(parts[1], &popped) || popped.empty()) {
    return;
  }
  const std::vector<std::string_view> key = BulkStrings(parts[0]);
  int64_t keys = 0;
  if (key.size() != 1 ||
      !absl::SimpleAtoi(absl::string_view(args[2].data(), args[2].size()),
                        &keys) ||
      keys < 1 || static_cast<size_t>(keys) + 3 >= args.size()) {
    return;
  }
  const std::string_view side = args[3 + static_cast<size_t>(keys)];
  const bool first =
      absl::EqualsIgnoreCase(absl::string_view(side.data(), side.size()),
                             spec.name == "blmpop" ? "left" : "min");
  const std::string_view command = spec.name == "blmpop"
                                       ? (first ? "LPOP" : "RPOP")
                                       : (first ? "ZPOPMIN" : "ZPOPMAX");
  const std::string count = absl::StrCat(popped.size());
  const std::string_view pop[] = {command, key[0], count};
  AppendCommand(out, pop);
}

}  // namespace

void AppendWriteRecord(std::string* out, const CommandSpec& spec,
                       CommandArgs args, std::string_view reply, Store& store,
                       int64_t now_ms) {
  const auto rule = Rules().find(spec.name);
  if (rule == Rules().end()) {
    AppendCommand(out, args);
    return;
  }
  switch (rule->second) {
    case Rule::kStringState:
      AppendStringState(out, args[1], store, now_ms);
      return;
    case Rule::kExpiryState:
      // GETEX without an option changes nothing.
      if (spec.name == "getex" && args.size() == 2) return;
      AppendExpiryState(out, args[1], store, now_ms);
      return;
    case Rule::kPoppedMembers: {
      std::vector<std::string_view> srem = {"SREM", args[1]};
      for (std::string_view member : BulkStrings(reply)) {
        srem.push_back(member);
      }
      if (srem.size() > 2) AppendCommand(out, srem);
      return;
    }
    case Rule::kHashFieldResult: {
      const std::vector<std::string_view> value = BulkStrings(reply);
      if (value.size() != 1) return;
      const std::string_view hset[] = {"HSET", args[1], args[2], value[0]};
      AppendCommand(out, hset);
      return;
    }
    case Rule::kPopOne: {
      const std::vector<std::string_view> popped = BulkStrings(reply);
      if (popped.size() != 2) return;
      AppendKeyCommand(out, spec.name == "blpop" ? "LPOP" : "RPOP",
                       popped[0]);
      return;
    }
    case Rule::kMoveOnce: {
      const std::string_view move[] = {"LMOVE", args[1], args[2], args[3],
                                       args[4]};
      AppendCommand(out, move);
      return;
    }
    case Rule::kZPopOne: {
      const std::vector<std::string_view> popped = BulkStrings(reply);
      if (popped.empty()) return;
      AppendKeyCommand(out, spec.name == "bzpopmin" ? "ZPOPMIN" : "ZPOPMAX",
                       popped[0]);
      return;
    }
    case Rule::kMultiPop:
      AppendMultiPop(out, spec, args, reply);
      return;
    case Rule::kStoredKey: {
      // The key finder lists the destination last, if there is one; a
      // SORT without STORE wrote nothing.
      std::vector<size_t> positions;
      FindKeyPositions(spec, args, &positions);
      if (positions.size() < 2) return;
      const std::string_view dest = args[positions.back()];
      AppendKeyCommand(out, "DEL", dest);
      if (const Entry* entry = store.Find(dest, now_ms)) {
        AppendEntry(out, dest, *entry);
      }
      return;
    }
  }
}

}  // namespace shardd::kv
