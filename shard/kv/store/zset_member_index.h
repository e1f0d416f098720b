// ZSetMemberIndex finds a large sorted set's node by member in O(1): a chained
// hash table whose chains run through the skip-list nodes themselves
// (ZSetNode::next_in_bucket), so it costs one pointer per member and never
// copies a member's bytes.
//
// Buckets are chosen by the top bits of the hash and chains are kept sorted
// by hash, so walking the buckets in order visits the members in hash order.
// That gives ZSCAN the cursor HSCAN and SSCAN use (scan_order.h): the hash to
// resume at, which never misses a member present for the whole scan however
// the table grows or shrinks in between.
//
//   ZSetMemberIndex index;
//   index.Insert(node);
//   ZSetNode* found = index.Find("a", ScanHash("a"));
#ifndef SHARDD_SHARD_KV_STORE_ZSET_MEMBER_INDEX_H_
#define SHARDD_SHARD_KV_STORE_ZSET_MEMBER_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "shard/kv/store/zset_skiplist.h"

namespace shardd::kv {

class ZSetMemberIndex {
 public:
  ZSetMemberIndex();

  ZSetNode* Find(std::string_view member, uint64_t hash) const;
  // `node->hash` must be set; the member must not be indexed yet.
  void Insert(ZSetNode* node);
  void Remove(ZSetNode* node);

  // Calls visit(node) for the nodes from hash `cursor` on, in hash order: at
  // least `count` of them (all if fewer), then the rest of the last hash's
  // run. Returns the cursor to continue from; 0 once all are visited.
  uint64_t Scan(uint64_t cursor, size_t count,
                absl::FunctionRef<void(const ZSetNode& node)> visit) const;

 private:
  static constexpr size_t kMinBuckets = 8;

  size_t BucketOf(uint64_t hash) const { return hash >> shift_; }
  // Rehashes into `buckets` buckets (a power of two).
  void Resize(size_t buckets);

  std::vector<ZSetNode*> buckets_;
  int shift_ = 0;  // 64 - log2(buckets_.size())
  size_t size_ = 0;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ZSET_MEMBER_INDEX_H_
