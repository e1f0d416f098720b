// SORT's arguments as the handler and the router's key discovery both read
// them: its options (SortOptions) and its BY and GET patterns
// (SortPattern), with Redis's rules.
//
//   SortOptions options;
//   if (std::string_view error = ParseSortOptions(args, false, &options);
//       !error.empty()) ...
//   if (ParseSortPattern(*options.by).ReadsKeys()) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_KEYS_SORT_ARGUMENTS_H_
#define SHARDD_SHARD_KV_COMMANDS_KEYS_SORT_ARGUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  // Set by any BY pattern without '*' ("BY nosort"), even if a later BY
  // has one: the source's own order is kept and no BY key is read.
  bool dont_sort = false;
  std::optional<std::string_view> by;  // the last BY pattern
  int64_t limit_offset = 0;
  int64_t limit_count = -1;  // negative: up to the end
  std::vector<std::string_view> gets;
  size_t store_index = 0;  // the destination's index in args; 0: no STORE
};

// Reads args[2..] in order, as Redis does, and returns the error of the
// first bad option (empty if none). The options before it are kept, which
// is all the key finders need.
std::string_view ParseSortOptions(CommandArgs args, bool readonly,
                                  SortOptions* options);

// A BY or GET pattern as Redis reads it: the first '*' stands for an
// element, and a non-empty "->field" after it makes the value a field of
// the hash so named instead of a string key's value.
struct SortPattern {
  enum class Kind {
    kElement,    // "#": the element itself
    kNothing,    // no '*': a constant key is never read
    kString,     // prefix*suffix names a string key
    kHashField,  // prefix*suffix->field names a hash's field
  };
  Kind kind = Kind::kNothing;
  std::string_view prefix;
  std::string_view suffix;
  std::string_view field;

  bool ReadsKeys() const {
    return kind == Kind::kString || kind == Kind::kHashField;
  }
  std::string Key(std::string_view element) const {
    std::string key;
    key.reserve(prefix.size() + element.size() + suffix.size());
    key.append(prefix).append(element).append(suffix);
    return key;
  }
};

// `text` read as a pattern.
SortPattern ParseSortPattern(std::string_view text);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_KEYS_SORT_ARGUMENTS_H_
