// ZSetValue is a sorted set: members (byte strings) each with a score,
// ordered by (score, member). Like Redis it has two encodings:
//
// - compact ("listpack"): a vector sorted by (score, member), for up to 128
//   members of at most 64 bytes. Small sets are the common case; one
//   allocation per member and a linear member lookup beat any tree there.
// - skip list ("skiplist"): past either limit, for good. A skip list with
//   spans (zset_skiplist.h) gives ranks in O(log n), and a hash index over
//   its nodes (zset_member_index.h) finds a member in O(1).
//
// A compact set keeps a score of -0 as 0, as Redis's listpack does (it
// stores an integral score as an integer); only the skip list keeps the sign.
//
//   ZSetValue zset;
//   zset.Put("a", 1.5);
//   std::optional<size_t> rank = zset.Rank("a");  // 0
//   zset.ForEachInRanks(0, zset.size(), /*reverse=*/false, visit);
#ifndef SHARDD_SHARD_KV_STORE_ZSET_VALUE_H_
#define SHARDD_SHARD_KV_STORE_ZSET_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "shard/kv/store/encoding_limits.h"

namespace shardd::kv {

class ZSetValue {
 public:
  // Redis's zset-max-listpack-entries and zset-max-listpack-value defaults.
  // The default limits (encoding_limits.h has the ones in force).
  static constexpr size_t kMaxCompactSize = EncodingLimits::kZSetEntries;
  static constexpr size_t kMaxCompactMemberBytes = EncodingLimits::kZSetValue;

  using Visit = absl::FunctionRef<void(std::string_view member, double score)>;

  ZSetValue();
  ~ZSetValue();
  ZSetValue(const ZSetValue& other);
  ZSetValue& operator=(const ZSetValue& other);
  ZSetValue(ZSetValue&& other) noexcept;
  ZSetValue& operator=(ZSetValue&& other) noexcept;

  size_t size() const;
  bool is_compact() const { return large_ == nullptr; }
  // As OBJECT ENCODING names it: "listpack" or "skiplist".
  std::string_view Encoding() const;

  // For an empty set about to receive `count` members, the longest
  // `max_member_bytes` long: starts with the encoding they will need.
  void Reserve(size_t count, size_t max_member_bytes);
  // Moves a compact set to the skiplist encoding for good (SORT does, as
  // Redis's does); nothing if it has it already.
  void ConvertToSkipList();

  std::optional<double> Score(std::string_view member) const;
  // Adds `member` or changes its score. Returns true if it was added.
  bool Put(std::string_view member, double score);
  // Returns true if `member` was there.
  bool Remove(std::string_view member);

  // 0-based position of `member` in (score, member) order.
  std::optional<size_t> Rank(std::string_view member) const;
  // How many leading members (in order) `before` holds for; `before` must
  // hold for a prefix of the order only, as "score < min" does.
  size_t CountWhile(
      absl::FunctionRef<bool(double score, std::string_view member)> before)
      const;
  // Visits the members at ranks [first, end), ascending or, if `reverse`,
  // from end - 1 down to first.
  void ForEachInRanks(size_t first, size_t end, bool reverse,
                      Visit visit) const;
  // Removes the members at ranks [first, end).
  void EraseRanks(size_t first, size_t end);

  // Calls visit for some members from `cursor` on and returns the cursor to
  // continue from (0 at the end). A member present for the whole scan is
  // visited at least once. A compact set is visited whole at once.
  uint64_t Scan(uint64_t cursor, size_t count, Visit visit) const;

  // Same encoding and the same members with the same scores (the
  // coordinator writes back only values a command changed).
  bool operator==(const ZSetValue& other) const;

 private:
  struct Element {
    double score;
    std::string member;
  };
  struct Large;

  // Position of `member` in compact_, or compact_.size().
  size_t CompactFind(std::string_view member) const;

  std::vector<Element> compact_;  // used while large_ is null
  std::unique_ptr<Large> large_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ZSET_VALUE_H_
