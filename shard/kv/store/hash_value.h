// HashValue is the value of a hash key: a map from field to value, in one of
// the two encodings Redis 7.0 uses, with the same thresholds, so OBJECT
// ENCODING and the order of HGETALL agree with Redis:
//
//  - "listpack" (compact): a vector of (field, value) pairs in insertion
//    order, searched linearly. For a few short entries this is smaller and,
//    at this size, faster than any table, and it is the order Redis replies
//    in for such hashes.
//  - "hashtable" (large): a btree in scan order (scan_order.h), for O(log n)
//    lookups and HSCAN cursors that never miss an entry. A flat_hash_map
//    would be faster to search but cannot resume a scan after it rehashes.
//
// A hash becomes large once it has more than 512 entries or a field or value
// longer than 64 bytes (Redis's hash-max-listpack-entries and -value) and,
// as in Redis, never becomes compact again.
//
//   HashValue hash;
//   hash.Set("name", "ada");                        // true: a new field
//   if (const std::string* v = hash.Find("name")) Use(*v);
#ifndef SHARDD_SHARD_KV_STORE_HASH_VALUE_H_
#define SHARDD_SHARD_KV_STORE_HASH_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/random/bit_gen_ref.h"
#include "shard/kv/store/encoding_limits.h"
#include "shard/kv/store/scan_order.h"

namespace shardd::kv {

class HashValue {
 public:
  // The default limits (encoding_limits.h has the ones in force).
  static constexpr size_t kMaxCompactEntries = EncodingLimits::kHashEntries;
  static constexpr size_t kMaxCompactLength = EncodingLimits::kHashValue;

  // A field and its value, borrowed from the hash.
  using EntryView = std::pair<std::string_view, std::string_view>;

  size_t size() const { return large_ ? table_.size() : pairs_.size(); }

  // "listpack" or "hashtable", as OBJECT ENCODING says.
  std::string_view Encoding() const;

  // The value of `field`, or null. Valid until the hash changes.
  const std::string* Find(std::string_view field) const;

  // Sets `field` to `value`; returns true if the field is new.
  bool Set(std::string_view field, std::string_view value);

  // Removes `field`; returns true if it was there.
  bool Erase(std::string_view field);

  // Calls visit(field, value) for every entry, in the encoding's order.
  template <typename Visit>
  void ForEach(Visit visit) const {
    if (large_) {
      for (const auto& [key, value] : table_) visit(key.text, value);
    } else {
      for (const auto& [field, value] : pairs_) visit(field, value);
    }
  }

  // As ForEach, stopping once visit returns false (a sample of a large
  // hash, for MEMORY USAGE).
  template <typename Visit>
  void ForEachWhile(Visit visit) const {
    if (large_) {
      for (const auto& [key, value] : table_) {
        if (!visit(key.text, value)) return;
      }
    } else {
      for (const auto& [field, value] : pairs_) {
        if (!visit(field, value)) return;
      }
    }
  }

  // Every entry, in the encoding's order.
  std::vector<EntryView> Entries() const;

  // One entry at random; the hash must not be empty.
  EntryView RandomEntry(absl::BitGenRef gen) const;

  // One step of HSCAN: calls visit(field, value) for about `count` entries
  // from `cursor` on and returns the cursor to continue from (0: done). A
  // compact hash is returned whole in one step with cursor 0, whatever the
  // cursor, as Redis does.
  template <typename Visit>
  uint64_t Scan(uint64_t cursor, size_t count, Visit visit) const {
    if (!large_) {
      ForEach(visit);
      return 0;
    }
    return ScanFrom(table_, cursor, count, [&](const auto& entry) {
      visit(entry.first.text, entry.second);
    });
  }

  // Same encoding and same contents in the same order (the coordinator
  // writes back only values a command changed).
  bool operator==(const HashValue&) const = default;

 private:
  using Pair = std::pair<std::string, std::string>;

  std::vector<Pair>::iterator FindPair(std::string_view field);
  void ConvertToLarge();

  bool large_ = false;
  std::vector<Pair> pairs_;                                 // when compact
  absl::btree_map<ScanKey, std::string, ScanOrder> table_;  // when large
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_HASH_VALUE_H_
