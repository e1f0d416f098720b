#include "shard/kv/store/zset_member_index.h"

#include <bit>

namespace shardd::kv {

ZSetMemberIndex::ZSetMemberIndex() { Resize(kMinBuckets); }

ZSetNode* ZSetMemberIndex::Find(std::string_view member, uint64_t hash) const {
  for (ZSetNode* node = buckets_[BucketOf(hash)];
       node != nullptr && node->hash <= hash; node = node->next_in_bucket) {
    if (node->hash == hash && node->member == member) return node;
  }
  return nullptr;
}

void ZSetMemberIndex::Insert(ZSetNode* node) {
  ZSetNode** link = &buckets_[BucketOf(node->hash)];
  while (*link != nullptr && (*link)->hash < node->hash) {
    link = &(*link)->next_in_bucket;
  }
  node->next_in_bucket = *link;
  *link = node;
  // Grow at one member per bucket, so a chain stays about one node long.
  if (++size_ > buckets_.size()) Resize(buckets_.size() * 2);
}

void ZSetMemberIndex::Remove(ZSetNode* node) {
  ZSetNode** link = &buckets_[BucketOf(node->hash)];
  while (*link != node) link = &(*link)->next_in_bucket;
  *link = node->next_in_bucket;
  node->next_in_bucket = nullptr;
  // Shrink at one member per 8 buckets, far enough below the growth point
  // that a set hovering around a size does not rehash back and forth.
  if (--size_ < buckets_.size() / 8 && buckets_.size() > kMinBuckets) {
    Resize(buckets_.size() / 2);
  }
}

void ZSetMemberIndex::Resize(size_t buckets) {
  std::vector<ZSetNode*> old = std::move(buckets_);
  buckets_.assign(buckets, nullptr);
  shift_ = 64 - std::countr_zero(buckets);
  // Old buckets in order hold the nodes in ascending hash order, and a
  // node's new bucket only grows with its hash, so appending each node to
  // its new chain keeps every chain sorted.
  std::vector<ZSetNode**> tails(buckets);
  for (size_t i = 0; i < buckets; ++i) tails[i] = &buckets_[i];
  for (ZSetNode* chain : old) {
    while (chain != nullptr) {
      ZSetNode* next = chain->next_in_bucket;
      ZSetNode**& tail = tails[BucketOf(chain->hash)];
      chain->next_in_bucket = nullptr;
      *tail = chain;
      tail = &chain->next_in_bucket;
      chain = next;
    }
  }
}

uint64_t ZSetMemberIndex::Scan(
    uint64_t cursor, size_t count,
    absl::FunctionRef<void(const ZSetNode& node)> visit) const {
  size_t visited = 0;
  uint64_t last_hash = 0;
  for (size_t bucket = BucketOf(cursor); bucket < buckets_.size(); ++bucket) {
    for (const ZSetNode* node = buckets_[bucket]; node != nullptr;
         node = node->next_in_bucket) {
      if (node->hash < cursor) continue;
      // The next hash is above a visited one, hence never 0 ("done").
      if (visited >= count && node->hash != last_hash) return node->hash;
      visit(*node);
      ++visited;
      last_hash = node->hash;
    }
  }
  return 0;
}

}  // namespace shardd::kv
