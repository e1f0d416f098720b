// ZSetSkipList keeps the elements of a large sorted set ordered by (score,
// member), with rank queries in O(log n): the structure Redis uses, a skip
// list whose links count the elements they skip ("spans"), so that summing
// the spans along a search path gives the rank of where it ends. A balanced
// tree would need the same counts in every node; Abseil's B-tree has none,
// so ZRANK and ZRANGE by index would cost O(n) there.
//
// The nodes also carry the links of the member index (zset_member_index.h),
// so that a member costs one allocation holding its bytes once.
//
//   ZSetSkipList list;
//   ZSetNode* node = list.Insert(1.5, "a", ScanHash("a"));
//   size_t rank = list.RankOf(node);   // 0
//   list.Erase(node);
#ifndef SHARDD_SHARD_KV_STORE_ZSET_SKIPLIST_H_
#define SHARDD_SHARD_KV_STORE_ZSET_SKIPLIST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace shardd::kv {

struct ZSetNode {
  struct Level {
    ZSetNode* forward;
    size_t span;  // elements from this node to `forward` (or to the end)
  };

  std::string member;
  double score;
  uint64_t hash;             // ScanHash(member), for the index
  ZSetNode* backward;        // previous node at level 0
  ZSetNode* next_in_bucket;  // the member index's chain
  int height;
  // `height` Levels follow the node in the same allocation.
  Level* levels() { return reinterpret_cast<Level*>(this + 1); }
  const Level* levels() const {
    return reinterpret_cast<const Level*>(this + 1);
  }
  ZSetNode* next() const { return levels()[0].forward; }
};

class ZSetSkipList {
 public:
  ZSetSkipList();
  ~ZSetSkipList();
  ZSetSkipList(const ZSetSkipList&) = delete;
  ZSetSkipList& operator=(const ZSetSkipList&) = delete;

  size_t size() const { return size_; }
  ZSetNode* first() const { return head_->next(); }

  // Adds an element; the caller makes sure `member` is not present.
  ZSetNode* Insert(double score, std::string_view member, uint64_t hash);
  // Removes and frees `node`.
  void Erase(ZSetNode* node);

  // 0-based position of `node` in (score, member) order.
  size_t RankOf(const ZSetNode* node) const;
  // The node at `rank` (< size()).
  ZSetNode* AtRank(size_t rank) const;
  // How many leading elements `before` holds for. `before` must hold for a
  // prefix of the order and for nothing after it, as "score < min" does.
  size_t CountWhile(absl::FunctionRef<bool(const ZSetNode& node)> before) const;

 private:
  static constexpr int kMaxHeight = 32;

  static ZSetNode* NewNode(int height, double score, std::string_view member,
                           uint64_t hash);
  static void DeleteNode(ZSetNode* node);
  int RandomHeight();

  ZSetNode* head_;  // a sentinel of kMaxHeight levels, holding no element
  size_t size_ = 0;
  int height_ = 1;
  uint64_t random_state_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ZSET_SKIPLIST_H_
