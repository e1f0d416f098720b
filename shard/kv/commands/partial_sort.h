// PartialQuickSort: the partial quicksort Redis 7.0 runs (its pqsort, a
// range-limited form of Bentley and McIlroy's quicksort as the BSD libc has
// it) where a reply keeps only part of a sorted array: GEOSEARCH and
// GEORADIUS with a COUNT below the number of matches, SORT BY with a LIMIT.
// It is not stable, and which of several equal elements lands where depends
// on every comparison and swap it makes. This one makes the same ones, in
// the same order, so that equal elements end up where Redis puts them.
//
//   // The 10 nearest first, ties where Redis has them (GEOSEARCH COUNT 10):
//   PartialQuickSort(matches.begin(), matches.end(), 0, 9,
//                    [](const Match& a, const Match& b) { return Cmp(a, b); });
#ifndef SHARDD_SHARD_KV_COMMANDS_PARTIAL_SORT_H_
#define SHARDD_SHARD_KV_COMMANDS_PARTIAL_SORT_H_

#include <algorithm>
#include <cstddef>

namespace shardd::kv {

namespace partial_sort_internal {

// The median of three by `compare`, asking in the order Redis's med3 asks
// (which one of equal elements it picks decides the pivot).
template <typename It, typename Compare>
It MedianOfThree(It a, It b, It c, Compare& compare) {
  if (compare(*a, *b) < 0) {
    if (compare(*b, *c) < 0) return b;
    return compare(*a, *c) < 0 ? c : a;
  }
  if (compare(*b, *c) > 0) return b;
  return compare(*a, *c) < 0 ? a : c;
}

// Moves each element left past the greater ones before it, by adjacent
// swaps: equal elements keep their order.
template <typename It, typename Compare>
void InsertionSort(It first, std::ptrdiff_t n, Compare& compare) {
  for (std::ptrdiff_t i = 1; i < n; ++i) {
    for (std::ptrdiff_t j = i; j > 0 && compare(first[j - 1], first[j]) > 0;
         --j) {
      std::iter_swap(first + j, first + j - 1);
    }
  }
}

// Whether [part_first, part_last) shares an element with [range_first,
// range_last]: a part that does not needs no sorting.
template <typename It>
bool Overlaps(It part_first, It part_last, It range_first, It range_last) {
  return range_first < part_last && range_last >= part_first;
}

// Sorts the `n` elements from `first` so far as [range_first, range_last]
// needs it.
template <typename It, typename Compare>
void Sort(It first, std::ptrdiff_t n, It range_first, It range_last,
          Compare& compare) {
  for (;;) {
    if (n < 7) {
      InsertionSort(first, n, compare);
      return;
    }
    It pivot = first + n / 2;
    if (n > 7) {
      It low = first;
      It high = first + (n - 1);
      if (n > 40) {
        // Each of the three candidates is itself a median of three.
        const std::ptrdiff_t d = n / 8;
        low = MedianOfThree(low, low + d, low + 2 * d, compare);
        pivot = MedianOfThree(pivot - d, pivot, pivot + d, compare);
        high = MedianOfThree(high - 2 * d, high - d, high, compare);
      }
      pivot = MedianOfThree(low, pivot, high, compare);
    }
    std::iter_swap(first, pivot);
    // Three-way partition against the pivot, now at `first`, so that runs
    // of equal elements cost nothing later: those equal to it gather at
    // both ends ([first + 1, left_equal) and (right_equal, end)), the
    // smaller ones go before `next_low`, the greater ones after
    // `next_high`.
    It left_equal = first + 1;
    It next_low = first + 1;
    It next_high = first + (n - 1);
    It right_equal = next_high;
    for (;;) {
      int cmp;
      while (next_low <= next_high && (cmp = compare(*next_low, *first)) <= 0) {
        if (cmp == 0) {
          std::iter_swap(left_equal, next_low);
          ++left_equal;
        }
        ++next_low;
      }
      while (next_low <= next_high &&
             (cmp = compare(*next_high, *first)) >= 0) {
        if (cmp == 0) {
          std::iter_swap(next_high, right_equal);
          --right_equal;
        }
        --next_high;
      }
      if (next_low > next_high) break;
      std::iter_swap(next_low, next_high);
      ++next_low;
      --next_high;
    }
    // Unlike the BSD original (and older Redis releases), no insertion sort
    // takes over when the partition swapped nothing: that changes where
    // ties go, so Redis 7.0's order needs the recursion below either way.
    // The equal runs move from the ends to the middle, each swapped with
    // as much of its neighbouring side as it needs, pairwise from the left
    // (the order equal elements come out in depends on it).
    const It end = first + n;
    std::ptrdiff_t r = std::min(left_equal - first, next_low - left_equal);
    std::swap_ranges(first, first + r, next_low - r);
    r = std::min(right_equal - next_high, end - right_equal - 1);
    std::swap_ranges(next_low, next_low + r, end - r);
    // Then sorts the smaller side, and the greater one in this loop, each
    // only if it reaches into the range and holds two elements or more.
    const std::ptrdiff_t below_count = next_low - left_equal;
    if (below_count > 1 &&
        Overlaps(first, first + below_count, range_first, range_last)) {
      Sort(first, below_count, range_first, range_last, compare);
    }
    const std::ptrdiff_t above_count = right_equal - next_high;
    if (above_count <= 1 ||
        !Overlaps(end - above_count, end, range_first, range_last)) {
      return;
    }
    first = end - above_count;
    n = above_count;
  }
}

}  // namespace partial_sort_internal

// Puts in places [range_first, range_last] (both included, range_first <=
// range_last < last - first) the elements a full sort would put there; the
// rest stay in some order. `compare(a, b)` answers like a C comparator:
// below, at or above zero when a sorts before, with or after b.
template <typename It, typename Compare>
void PartialQuickSort(It first, It last, size_t range_first, size_t range_last,
                      Compare compare) {
  partial_sort_internal::Sort(
      first, last - first, first + static_cast<std::ptrdiff_t>(range_first),
      first + static_cast<std::ptrdiff_t>(range_last), compare);
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_PARTIAL_SORT_H_
