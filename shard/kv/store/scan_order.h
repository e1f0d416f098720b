// Scan order: how the large encodings of hashes and sets (hash_value.h,
// set_value.h) keep their elements, sorted by a 64-bit hash of the element
// (field or member) and then by its bytes. That order is what makes HSCAN and
// SSCAN cursors sound: a cursor is just the hash at which the next call
// resumes, so an element present for the whole scan is never missed however
// the container changes in between, and no element is returned twice unless
// it was removed and added again. (Redis gets the same guarantee from its
// reverse-binary bucket cursor, which needs access to the table's buckets.)
// It also lets a random pick take a few probes of O(log n) each.
//
//   absl::btree_set<ScanKey, ScanOrder> members;
//   members.insert(MakeScanKey("m"));
//   uint64_t next = ScanFrom(members, cursor, /*count=*/10, visit);
#ifndef SHARDD_SHARD_KV_STORE_SCAN_ORDER_H_
#define SHARDD_SHARD_KV_STORE_SCAN_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "shard/string_view_hash.h"

namespace shardd::kv {

// Stable for the life of the process, which is as long as a cursor lives.
inline uint64_t ScanHash(std::string_view text) {
  return StringViewHash{}(text);
}

struct ScanKey {
  uint64_t hash;
  std::string text;
  bool operator==(const ScanKey&) const = default;
};

// A lookup key that borrows its text.
struct ScanKeyView {
  uint64_t hash;
  std::string_view text;
};

inline ScanKey MakeScanKey(std::string_view text) {
  return {ScanHash(text), std::string(text)};
}
inline ScanKeyView MakeScanKeyView(std::string_view text) {
  return {ScanHash(text), text};
}

// Orders ScanKeys and ScanKeyViews alike, so lookups build no string.
struct ScanOrder {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    if (a.hash != b.hash) return a.hash < b.hash;
    return std::string_view(a.text) < std::string_view(b.text);
  }
};

// The ScanKey of a set element or of a map entry.
inline const ScanKey& KeyOf(const ScanKey& key) { return key; }
template <typename Value>
const ScanKey& KeyOf(const std::pair<const ScanKey, Value>& entry) {
  return entry.first;
}

// Calls visit(element) for the elements of `elements` (a btree ordered by
// ScanOrder) from `cursor` on: at least `count` of them (all if fewer), then
// the rest of the last hash's run, so a cursor never splits elements that
// share a hash. Returns the cursor to continue from; 0 once all are visited.
template <typename Elements, typename Visit>
uint64_t ScanFrom(const Elements& elements, uint64_t cursor, size_t count,
                  Visit visit) {
  size_t visited = 0;
  uint64_t last_hash = 0;
  for (auto it = elements.lower_bound(ScanKeyView{cursor, {}});
       it != elements.end(); ++it) {
    const uint64_t hash = KeyOf(*it).hash;
    // The next hash is above a visited one, hence never 0 ("done").
    if (visited >= count && hash != last_hash) return hash;
    visit(*it);
    ++visited;
    last_hash = hash;
  }
  return 0;
}

// One element of `elements` (a btree ordered by ScanOrder, holding `size`
// elements, at least one), each with the same chance. A small container is
// walked to a random place. In a large one the hash space is cut into
// buckets holding 8 to 16 elements on average; a random bucket and a random
// place among kBucketPlaces are drawn until the place holds an element, so
// each element has the chance 1 / (buckets * kBucketPlaces) whatever the
// hashes' spacing (a probe at a random hash would favour elements after
// wide gaps), in 4 to 8 draws on average. An element beyond the 64th of
// its bucket cannot be drawn so; hashes spread as a hash spreads them make
// that vanishingly rare (below 1e-19 a bucket), but a client that learns
// hashes from SSCAN cursors could crowd a bucket on purpose: after
// kMaxDraws misses the pick walks to a random place, so it always ends and
// every element can come up.
inline constexpr size_t kWalkedSize = 128;
inline constexpr size_t kBucketPlaces = 64;
inline constexpr int kMaxDraws = 64;

template <typename Elements, typename Uniform>
auto RandomElement(const Elements& elements, size_t size, Uniform uniform) {
  const auto walk = [&] {
    auto it = elements.begin();
    for (uint64_t steps = uniform(size); steps > 0; --steps) ++it;
    return it;
  };
  if (size <= kWalkedSize) return walk();
  int bits = 0;  // 2^bits buckets, of size / 16 to size / 8 each
  while ((size >> (bits + 3)) > 1) ++bits;
  const int shift = 64 - bits;
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    const uint64_t bucket = uniform(uint64_t{1} << bits);
    uint64_t place = uniform(kBucketPlaces);
    auto it = elements.lower_bound(ScanKeyView{bucket << shift, {}});
    while (it != elements.end() && (KeyOf(*it).hash >> shift) == bucket) {
      if (place == 0) return it;
      --place;
      ++it;
    }
  }
  return walk();
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_SCAN_ORDER_H_
