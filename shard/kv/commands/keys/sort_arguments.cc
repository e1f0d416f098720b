#include "shard/kv/commands/keys/sort_arguments.h"

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {

std::string_view ParseSortOptions(CommandArgs args, bool readonly,
                                  SortOptions* options) {
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string_view option = args[i];
    const size_t left = args.size() - i - 1;
    if (EqualsIgnoreCase(option, "asc")) {
      options->desc = false;
    } else if (EqualsIgnoreCase(option, "desc")) {
      options->desc = true;
    } else if (EqualsIgnoreCase(option, "alpha")) {
      options->alpha = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      if (!ParseInt64(args[i + 1], &options->limit_offset) ||
          !ParseInt64(args[i + 2], &options->limit_count)) {
        return kNotIntegerError;
      }
      i += 2;
    } else if (!readonly && EqualsIgnoreCase(option, "store") && left >= 1) {
      options->store_index = ++i;
    } else if (EqualsIgnoreCase(option, "by") && left >= 1) {
      options->by = args[++i];
      if (UpToNul(*options->by).find('*') == std::string_view::npos) {
        options->dont_sort = true;
      }
    } else if (EqualsIgnoreCase(option, "get") && left >= 1) {
      options->gets.push_back(args[++i]);
    } else {
      return kSyntaxError;
    }
  }
  return {};
}

SortPattern ParseSortPattern(std::string_view text) {
  const std::string_view searched = UpToNul(text);
  SortPattern pattern;
  if (searched == "#") {
    pattern.kind = SortPattern::Kind::kElement;
    return pattern;
  }
  const size_t star = searched.find('*');
  if (star == std::string_view::npos) return pattern;
  pattern.kind = SortPattern::Kind::kString;
  pattern.prefix = text.substr(0, star);
  pattern.suffix = text.substr(star + 1);
  const size_t arrow = searched.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < searched.size()) {
    pattern.kind = SortPattern::Kind::kHashField;
    pattern.suffix = text.substr(star + 1, arrow - star - 1);
    pattern.field = text.substr(arrow + 2);
  }
  return pattern;
}

}  // namespace shardd::kv
