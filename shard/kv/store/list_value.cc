#include "shard/kv/store/list_value.h"

#include <utility>

namespace shardd::kv {

// Out of line: inlined into a caller with a constant index, GCC 12 wrongly
// reports the string copy as overlapping (-Wrestrict).
void ListValue::Set(size_t index, std::string_view value) {
  items_[index].assign(value.data(), value.size());
}

std::string ListValue::PopFront() {
  std::string value = std::move(items_.front());
  items_.pop_front();
  return value;
}

std::string ListValue::PopBack() {
  std::string value = std::move(items_.back());
  items_.pop_back();
  return value;
}

void ListValue::Insert(size_t index, std::string_view value) {
  items_.emplace(items_.begin() + static_cast<std::ptrdiff_t>(index), value);
}

size_t ListValue::Remove(std::string_view value, int64_t count) {
  size_t removed = 0;
  if (count >= 0) {
    // Compacts the kept elements forward in one pass, like std::remove, but
    // stops removing after `count` matches.
    auto out = items_.begin();
    for (auto it = items_.begin(); it != items_.end(); ++it) {
      if (*it == value &&
          (count == 0 || removed < static_cast<size_t>(count))) {
        ++removed;
      } else {
        if (out != it) *out = std::move(*it);
        ++out;
      }
    }
    items_.erase(out, items_.end());
    return removed;
  }
  const size_t limit =
      count == INT64_MIN ? SIZE_MAX : static_cast<size_t>(-count);
  auto out = items_.rbegin();
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (*it == value && removed < limit) {
      ++removed;
    } else {
      if (out != it) *out = std::move(*it);
      ++out;
    }
  }
  items_.erase(items_.begin(), out.base());
  return removed;
}

void ListValue::Trim(size_t first, size_t end) {
  items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(end), items_.end());
  items_.erase(items_.begin(),
               items_.begin() + static_cast<std::ptrdiff_t>(first));
}

}  // namespace shardd::kv
