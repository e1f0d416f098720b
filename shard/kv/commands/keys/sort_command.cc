// SORT and SORT_RO: the elements of a list, set or sorted set, ordered by
// their own value or by the values of other keys named after them (BY), cut
// to a window (LIMIT), each replaced by values of other keys (GET), and
// replied or stored as a list (STORE). The keys BY and GET name are read
// from ctx.store like any other: when they live on other shards, the router
// lends them here first, using SortReadsOtherKeys and SortPatternKeys to
// know which they are.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/keys/key_handlers.h"
#include "shard/kv/commands/keys/sort_arguments.h"
#include "shard/kv/commands/partial_sort.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kNotDoubleError =
    "ERR One or more scores can't be converted into double";

// What `pattern` gives for `element`: the element, a string key's value or
// a hash's field, or nothing (a missing key or field, or a key of another
// type). The view lasts until the store changes.
std::optional<std::string_view> LookUp(CommandContext& ctx,
                                       const SortPattern& pattern,
                                       std::string_view element) {
  if (pattern.kind == SortPattern::Kind::kElement) return element;
  if (!pattern.ReadsKeys()) return std::nullopt;
  const std::string key = pattern.Key(element);
  const Entry* entry = ctx.store.Find(key, ctx.now_ms);
  if (entry == nullptr) {
    // Redis reads these keys with an ordinary lookup, which reports a
    // miss; the executor reports only those of the command's own keys.
    ctx.Notify(kNotifyKeyMiss, "keymiss", key);
    return std::nullopt;
  }
  if (pattern.kind == SortPattern::Kind::kString) {
    if (entry->type() != ValueType::kString) return std::nullopt;
    return entry->string();
  }
  if (entry->type() != ValueType::kHash) return std::nullopt;
  const std::string* value = entry->hash().Find(pattern.field);
  if (value == nullptr) return std::nullopt;
  return *value;
}

bool IsSortable(const Entry& entry) {
  return entry.type() == ValueType::kList || entry.type() == ValueType::kSet ||
         entry.type() == ValueType::kZSet;
}

// How SORT treats a source, once its type is known.
struct SortPlan {
  bool sort = true;
  bool alpha = false;
  bool desc = false;
  // ALPHA compares bytes when storing, and C strings (strcoll, with the
  // "C" collation) when replying, as Redis does.
  bool binary = false;
  std::optional<SortPattern> by;  // only when sorting, and by other keys
  int64_t limit_offset = 0;
  int64_t limit_count = -1;
};

SortPlan MakePlan(const SortOptions& options, const Entry* source) {
  SortPlan plan;
  plan.sort = !options.dont_sort;
  plan.alpha = options.alpha;
  plan.desc = options.desc;
  plan.binary = options.store_index != 0;
  plan.limit_offset = options.limit_offset;
  plan.limit_count = options.limit_count;
  if (plan.sort && options.by.has_value())
    plan.by = ParseSortPattern(*options.by);
  // A set's own order is its encoding's, which a replica or a reload may
  // not share: Redis sorts what it stores lexicographically instead.
  if (!plan.sort && source != nullptr && source->type() == ValueType::kSet &&
      options.store_index != 0) {
    plan.sort = true;
    plan.alpha = true;
  }
  return plan;
}

// The LIMIT window [*first, *end) over `size` elements. Clamping both
// numbers to the size first, as Redis does, keeps any int64 from
// overflowing.
void LimitWindow(int64_t offset, int64_t count, size_t size, size_t* first,
                 size_t* end) {
  const auto length = static_cast<int64_t>(size);
  const int64_t start = std::clamp<int64_t>(offset, 0, length);
  count = std::min(count, length);
  *first = static_cast<size_t>(start);
  *end =
      count < 0 ? size : static_cast<size_t>(std::min(start + count, length));
}

// The source's elements SORT starts from: all of them in the source's order
// when it sorts; when it keeps a list's or sorted set's order, only those in
// the window, already in output order (DESC reads from the tail) with the
// window then covering them all. A set's order is kept as it is.
std::vector<std::string> LoadElements(const Entry* source, const SortPlan& plan,
                                      size_t* first, size_t* end) {
  std::vector<std::string> elements;
  if (source == nullptr) {
    *first = *end = 0;
    return elements;
  }
  switch (source->type()) {
    case ValueType::kList: {
      const ListValue& list = source->list();
      LimitWindow(plan.limit_offset, plan.limit_count, list.size(), first, end);
      if (plan.sort) {
        elements.reserve(list.size());
        for (size_t i = 0; i < list.size(); ++i) elements.push_back(list[i]);
        return elements;
      }
      elements.reserve(*end - *first);
      for (size_t i = *first; i < *end; ++i) {
        elements.push_back(list[plan.desc ? list.size() - 1 - i : i]);
      }
      break;
    }
    case ValueType::kZSet: {
      const ZSetValue& zset = source->zset();
      const size_t size = zset.size();
      LimitWindow(plan.limit_offset, plan.limit_count, size, first, end);
      const auto add = [&](std::string_view member, double) {
        elements.emplace_back(member);
      };
      if (plan.sort) {
        elements.reserve(size);
        zset.ForEachInRanks(0, size, /*reverse=*/false, add);
        return elements;
      }
      elements.reserve(*end - *first);
      if (plan.desc) {
        zset.ForEachInRanks(size - *end, size - *first, /*reverse=*/true, add);
      } else {
        zset.ForEachInRanks(*first, *end, /*reverse=*/false, add);
      }
      break;
    }
    default: {
      const SetValue& set = source->set();
      LimitWindow(plan.limit_offset, plan.limit_count, set.size(), first, end);
      elements.reserve(set.size());
      set.ForEach(
          [&](std::string_view member) { elements.emplace_back(member); });
      return elements;
    }
  }
  *end -= *first;
  *first = 0;
  return elements;
}

// A number as SORT reads one: with strtod, so leading spaces, hexadecimal
// and "inf" pass, while trailing bytes, NaN and values out of a double's
// range fail. strtod stops at a NUL byte, which then ends the text.
bool ParseSortScore(std::string_view text, double* score) {
  const std::string terminated(text);
  char* rest;
  errno = 0;
  *score = std::strtod(terminated.c_str(), &rest);
  return *rest == '\0' && errno != ERANGE && !std::isnan(*score);
}

int CompareBytes(std::string_view a, std::string_view b) {
  const int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

struct SortItem {
  size_t index;  // into the elements
  double score = 0;
  std::optional<std::string> by_text;  // ALPHA's BY value; none sorts first
};

// Orders `elements` as the plan says and keeps those in [first, end).
// `by_value` gives the BY pattern's value for an element. False (with
// everything read) if a value to sort by is not a number.
template <typename ByValue>
bool SortElements(const SortPlan& plan, ByValue by_value, size_t first,
                  size_t end, std::vector<std::string>* elements) {
  std::vector<SortItem> items;
  items.reserve(elements->size());
  bool numbers_ok = true;
  for (size_t i = 0; i < elements->size(); ++i) {
    SortItem& item = items.emplace_back(SortItem{i});
    const std::string& element = (*elements)[i];
    std::optional<std::string_view> value = element;
    if (plan.by.has_value()) value = by_value(*plan.by, element);
    if (plan.alpha) {
      if (plan.by.has_value() && value.has_value()) item.by_text = *value;
    } else if (value.has_value() && !ParseSortScore(*value, &item.score)) {
      numbers_ok = false;
    }
  }
  if (!numbers_ok) return false;
  const auto text = [&](std::string_view s) {
    return plan.binary ? s : UpToNul(s);
  };
  const auto compare = [&](const SortItem& a, const SortItem& b) {
    const std::string_view element_a = (*elements)[a.index];
    const std::string_view element_b = (*elements)[b.index];
    if (!plan.alpha) {
      if (a.score != b.score) return a.score < b.score ? -1 : 1;
      // Equal scores fall back on the elements, so the order is always
      // the same.
      return CompareBytes(element_a, element_b);
    }
    if (!plan.by.has_value()) {
      return CompareBytes(text(element_a), text(element_b));
    }
    if (!a.by_text.has_value() || !b.by_text.has_value()) {
      return static_cast<int>(a.by_text.has_value()) -
             static_cast<int>(b.by_text.has_value());
    }
    return CompareBytes(text(*a.by_text), text(*b.by_text));
  };
  const auto ordered = [&](const SortItem& a, const SortItem& b) {
    const int cmp = compare(a, b);
    return plan.desc ? -cmp : cmp;
  };
  if (plan.by.has_value() && (first != 0 || end != items.size())) {
    // Redis sorts by other keys under a LIMIT with its partial quicksort,
    // which moves ties (ALPHA values that are equal or missing) about.
    if (first < end) {
      PartialQuickSort(items.begin(), items.end(), first, end - 1, ordered);
    }
  } else {
    // Elsewhere with glibc's qsort, a stable merge sort: ties keep the
    // source's order. The index makes the order total, so a partial sort
    // gives the same window as a full one.
    const auto less = [&](const SortItem& a, const SortItem& b) {
      const int cmp = ordered(a, b);
      return cmp != 0 ? cmp < 0 : a.index < b.index;
    };
    if (end == items.size()) {
      std::sort(items.begin(), items.end(), less);
    } else {
      std::partial_sort(items.begin(), items.begin() + end, items.end(), less);
    }
  }
  std::vector<std::string> sorted;
  sorted.reserve(end - first);
  for (size_t i = first; i < end; ++i) {
    sorted.push_back(std::move((*elements)[items[i].index]));
  }
  *elements = std::move(sorted);
  return true;
}

void Sort(CommandContext& ctx, bool readonly) {
  SortOptions options;
  if (const std::string_view error =
          ParseSortOptions(ctx.args, readonly, &options);
      !error.empty()) {
    ctx.reply.Error(error);
    return;
  }
  Entry* source = ctx.store.Find(ctx.args[1], ctx.now_ms);
  if (source != nullptr && !IsSortable(*source)) {
    ctx.reply.Error(kWrongTypeError);
    return;
  }
  // Redis turns a sorted set it sorts into a skip list for good, even for
  // SORT_RO (OBJECT ENCODING then tells).
  if (source != nullptr && source->type() == ValueType::kZSet) {
    source->zset().ConvertToSkipList();
  }
  const SortPlan plan = MakePlan(options, source);
  size_t first;
  size_t end;
  std::vector<std::string> elements = LoadElements(source, plan, &first, &end);
  if (plan.sort) {
    const auto by_value = [&](const SortPattern& pattern,
                              std::string_view element) {
      return LookUp(ctx, pattern, element);
    };
    if (!SortElements(plan, by_value, first, end, &elements)) {
      ctx.reply.Error(kNotDoubleError);
      return;
    }
  } else {
    elements.erase(elements.begin() + end, elements.end());
    elements.erase(elements.begin(), elements.begin() + first);
  }
  std::vector<SortPattern> gets;
  gets.reserve(options.gets.size());
  for (const std::string_view get : options.gets) {
    gets.push_back(ParseSortPattern(get));
  }

  if (options.store_index == 0) {
    ctx.reply.ArrayHeader(gets.empty() ? elements.size()
                                       : gets.size() * elements.size());
    for (const std::string& element : elements) {
      if (gets.empty()) ctx.reply.Bulk(element);
      for (const SortPattern& get : gets) {
        const std::optional<std::string_view> value = LookUp(ctx, get, element);
        if (value.has_value()) {
          ctx.reply.Bulk(*value);
        } else {
          ctx.reply.NullBulk();
        }
      }
    }
    return;
  }

  // Every value is copied out before the destination is written: it may be
  // the source or one of the keys the patterns read.
  std::vector<std::string> values;
  if (gets.empty()) {
    values = std::move(elements);
  } else {
    values.reserve(gets.size() * elements.size());
    for (const std::string& element : elements) {
      for (const SortPattern& get : gets) {
        values.emplace_back(LookUp(ctx, get, element).value_or(""));
      }
    }
  }
  const std::string_view destination = ctx.args[options.store_index];
  if (values.empty()) {
    // Redis has no empty lists: an empty result deletes the destination.
    ctx.DeleteEmptyResult(destination);
  } else {
    ListValue& list = ctx.store.Create(destination, ValueType::kList).list();
    for (const std::string& value : values) list.PushBack(value);
    ctx.Notify(kNotifyList, "sortstore", destination);
  }
  ctx.reply.Integer(static_cast<int64_t>(values.size()));
}

}  // namespace

void SortCommand(CommandContext& ctx) { Sort(ctx, /*readonly=*/false); }

void SortRoCommand(CommandContext& ctx) { Sort(ctx, /*readonly=*/true); }

void SortKeys(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() < 2) return;
  positions->push_back(1);
  // The handler's own reading of the options, so that the destination
  // listed is the one it writes (Redis's sortGetKeys, which skips option
  // arguments on its own, can name another in odd cases such as
  // "STORE BY STORE d"). Malformed options store nothing.
  SortOptions options;
  if (ParseSortOptions(args, /*readonly=*/false, &options).empty() &&
      options.store_index != 0) {
    positions->push_back(options.store_index);
  }
}

void SortRoKeys(CommandArgs args, std::vector<size_t>* positions) {
  if (args.size() >= 2) positions->push_back(1);
}

bool SortReadsOtherKeys(CommandArgs args) {
  if (args.size() < 2) return false;
  SortOptions options;
  // A command with bad options replies its error before reading anything.
  // (Read as SORT's: a SORT_RO with STORE, an error, may look for keys in
  // vain, no more.)
  if (!ParseSortOptions(args, /*readonly=*/false, &options).empty()) {
    return false;
  }
  // (Without the source this cannot tell a missing or empty one, for
  // which nothing is read.)
  if (!options.dont_sort && options.by.has_value() &&
      ParseSortPattern(*options.by).ReadsKeys()) {
    return true;
  }
  return std::any_of(
      options.gets.begin(), options.gets.end(),
      [](std::string_view get) { return ParseSortPattern(get).ReadsKeys(); });
}

void SortPatternKeys(Store& store, CommandArgs args, int64_t now_ms,
                     std::vector<std::string>* keys) {
  if (args.size() < 2) return;
  SortOptions options;
  ParseSortOptions(args, /*readonly=*/false, &options);
  const Entry* source = store.Peek(args[1], now_ms);
  if (source == nullptr || !IsSortable(*source)) return;
  const SortPlan plan = MakePlan(options, source);
  std::vector<SortPattern> gets;
  for (const std::string_view get : options.gets) {
    const SortPattern pattern = ParseSortPattern(get);
    if (pattern.ReadsKeys()) gets.push_back(pattern);
  }
  const bool by_reads_keys = plan.by.has_value() && plan.by->ReadsKeys();
  if (!by_reads_keys && gets.empty()) return;

  absl::flat_hash_set<std::string> seen;
  const auto add = [&](const SortPattern& pattern, std::string_view element) {
    std::string key = pattern.Key(element);
    if (seen.insert(key).second) keys->push_back(std::move(key));
  };
  size_t first;
  size_t end;
  std::vector<std::string> elements = LoadElements(source, plan, &first, &end);
  if (by_reads_keys) {
    // Which elements end in the window depends on the values BY reads, so
    // GET may read the keys of any of them.
    for (const std::string& element : elements) {
      add(*plan.by, element);
      for (const SortPattern& get : gets) add(get, element);
    }
    return;
  }
  // Without BY keys the window is known here: GET reads only its keys.
  if (plan.sort) {
    const auto no_by = [](const SortPattern&, std::string_view) {
      return std::optional<std::string_view>();
    };
    // Elements that are not numbers: the command replies an error.
    if (!SortElements(plan, no_by, first, end, &elements)) return;
    first = 0;
    end = elements.size();
  }
  for (size_t i = first; i < end; ++i) {
    for (const SortPattern& get : gets) add(get, elements[i]);
  }
}

}  // namespace shardd::kv
