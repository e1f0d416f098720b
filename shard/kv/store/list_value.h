// ListValue is a list: a sequence of byte strings with O(1) push and pop at
// both ends and O(1) access by index.
//
// It is a std::deque<std::string>. Redis chains small packed arrays
// (quicklist) to avoid a pointer and a heap block per element; a deque
// already stores its elements in fixed-size blocks, and a std::string keeps
// up to 15 bytes inline, so the small elements lists mostly hold cost one
// 32-byte slot and no allocation of their own. Index access (LINDEX, LSET,
// LRANGE) is O(1) instead of quicklist's walk. A deque of packed chunks
// would save memory for large lists of tiny elements; measure first.
//
//   ListValue list;
//   list.PushBack("a");
//   list.PushFront("b");       // b a
//   std::string last = list.PopBack();  // "a"
#ifndef SHARDD_SHARD_KV_STORE_LIST_VALUE_H_
#define SHARDD_SHARD_KV_STORE_LIST_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace shardd::kv {

class ListValue {
 public:
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  // As OBJECT ENCODING names it: Redis 7.0 reports every list as a
  // "quicklist" (7.2 added a "listpack" for small ones).
  std::string_view Encoding() const { return "quicklist"; }

  const std::string& operator[](size_t index) const { return items_[index]; }
  void Set(size_t index, std::string_view value);

  void PushFront(std::string_view value) { items_.emplace_front(value); }
  void PushBack(std::string_view value) { items_.emplace_back(value); }
  // The list must not be empty.
  std::string PopFront();
  std::string PopBack();

  // Inserts `value` before the element at `index` (size() appends).
  void Insert(size_t index, std::string_view value);
  // Removes up to |count| elements equal to `value`: from the head if
  // count > 0, from the tail if count < 0, all if 0. Returns how many.
  size_t Remove(std::string_view value, int64_t count);
  // Keeps only the elements at [first, end).
  void Trim(size_t first, size_t end);

  // Same elements in the same order (the coordinator writes back only
  // values a command changed).
  bool operator==(const ListValue&) const = default;

 private:
  std::deque<std::string> items_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_LIST_VALUE_H_
