// Redis's [start, stop] index pair (LRANGE, LTRIM, ZRANGE by rank, ...):
// negative indexes count from the end, and the pair is clamped to a sequence
// of `size` elements.
//
//   size_t first, end;
//   ClampIndexRange(-3, -1, list.size(), &first, &end);  // the last three
#ifndef SHARDD_SHARD_KV_COMMANDS_INDEX_RANGE_H_
#define SHARDD_SHARD_KV_COMMANDS_INDEX_RANGE_H_

#include <cstddef>
#include <cstdint>

namespace shardd::kv {

// Sets [*first, *end); empty (0, 0) when nothing is in range.
inline void ClampIndexRange(int64_t start, int64_t stop, size_t size,
                            size_t* first, size_t* end) {
  const int64_t length = static_cast<int64_t>(size);
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) {
    *first = *end = 0;
    return;
  }
  if (stop >= length) stop = length - 1;
  *first = static_cast<size_t>(start);
  *end = static_cast<size_t>(stop) + 1;
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_INDEX_RANGE_H_
