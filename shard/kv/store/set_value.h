// SetValue is the value of a set key, in one of the two encodings Redis 7.0
// uses (it has no listpack sets), with the same threshold, so OBJECT ENCODING
// and the order of SMEMBERS agree with Redis:
//
//  - "intset" (compact): a sorted vector of int64, used while every member is
//    a decimal integer in canonical form and there are at most 512 of them
//    (set-max-intset-entries). Eight bytes a member, binary search, and
//    members listed in ascending numeric order, as Redis lists them.
//  - "hashtable" (large): a btree of members in scan order (scan_order.h),
//    for O(log n) lookups and SSCAN cursors that never miss a member.
//
// A set becomes large when a non-integer member is added or the 513th member
// is; as in Redis, removing members never makes it compact again (only a new
// set, such as SINTERSTORE's result, starts compact).
//
//   SetValue set;
//   set.Add("42");                   // true: a new member
//   bool here = set.Contains("42");
#ifndef SHARDD_SHARD_KV_STORE_SET_VALUE_H_
#define SHARDD_SHARD_KV_STORE_SET_VALUE_H_

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/random/bit_gen_ref.h"
#include "shard/kv/store/encoding_limits.h"
#include "shard/kv/store/scan_order.h"

namespace shardd::kv {

class SetValue {
 public:
  // The default limit (encoding_limits.h has the one in force).
  static constexpr size_t kMaxIntsetEntries = EncodingLimits::kSetIntsetEntries;

  size_t size() const { return large_ ? table_.size() : integers_.size(); }

  // "intset" or "hashtable", as OBJECT ENCODING says.
  std::string_view Encoding() const;

  bool Contains(std::string_view member) const;

  // Adds `member`; returns true if it is new.
  bool Add(std::string_view member);

  // Removes `member`; returns true if it was there.
  bool Remove(std::string_view member);

  // Calls visit(member) for every member, in the encoding's order. The view
  // lives only for the call.
  template <typename Visit>
  void ForEach(Visit visit) const {
    if (large_) {
      for (const ScanKey& key : table_) visit(std::string_view(key.text));
      return;
    }
    for (const int64_t integer : integers_) visit(Format(integer).view());
  }
  // As ForEach, stopping once visit returns false (a sample of a large
  // set, for MEMORY USAGE).
  template <typename Visit>
  void ForEachWhile(Visit visit) const {
    if (large_) {
      for (const ScanKey& key : table_) {
        if (!visit(std::string_view(key.text))) return;
      }
      return;
    }
    for (const int64_t integer : integers_) {
      if (!visit(Format(integer).view())) return;
    }
  }

  // Every member, in the encoding's order.
  std::vector<std::string> Members() const;

  // One member at random; the set must not be empty.
  std::string RandomMember(absl::BitGenRef gen) const;

  // One step of SSCAN: calls visit(member) for about `count` members from
  // `cursor` on and returns the cursor to continue from (0: done). An intset
  // is returned whole in one step with cursor 0, whatever the cursor, as
  // Redis does.
  template <typename Visit>
  uint64_t Scan(uint64_t cursor, size_t count, Visit visit) const {
    if (!large_) {
      ForEach(visit);
      return 0;
    }
    return ScanFrom(table_, cursor, count, [&](const ScanKey& key) {
      visit(std::string_view(key.text));
    });
  }

  // Same encoding and same contents in the same order (the coordinator
  // writes back only values a command changed).
  bool operator==(const SetValue&) const = default;

 private:
  // An intset member in decimal; "-9223372036854775808" is the longest.
  struct Decimal {
    char digits[20];
    size_t length;
    std::string_view view() const { return {digits, length}; }
  };
  static Decimal Format(int64_t integer) {
    Decimal decimal;
    decimal.length = static_cast<size_t>(
        std::to_chars(decimal.digits, decimal.digits + 20, integer).ptr -
        decimal.digits);
    return decimal;
  }

  void ConvertToLarge();

  bool large_ = false;
  std::vector<int64_t> integers_;              // when compact; ascending
  absl::btree_set<ScanKey, ScanOrder> table_;  // when large
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_SET_VALUE_H_
