// Redis's encoding thresholds (hash-max-listpack-entries and -value,
// set-max-intset-entries, zset-max-listpack-entries and -value): up to them
// a value keeps its compact encoding. CONFIG SET changes them while shards
// run, for the whole server, so they are atomics every shard reads as a
// value grows (relaxed: a shard that sees a change a moment late acts as if
// its write had come just before it). As in Redis, a change applies to the
// next write to a value; none is converted at once.
//
//   if (pairs_.size() > EncodingLimits::Current().hash_entries()) ...
#ifndef SHARDD_SHARD_KV_STORE_ENCODING_LIMITS_H_
#define SHARDD_SHARD_KV_STORE_ENCODING_LIMITS_H_

#include <atomic>
#include <cstddef>

namespace shardd::kv {

class EncodingLimits {
 public:
  // Redis 7.0's defaults.
  static constexpr size_t kHashEntries = 512;
  static constexpr size_t kHashValue = 64;
  static constexpr size_t kSetIntsetEntries = 512;
  static constexpr size_t kZSetEntries = 128;
  static constexpr size_t kZSetValue = 64;

  // The server's limits.
  static EncodingLimits& Current();

  size_t hash_entries() const { return Load(hash_entries_); }
  size_t hash_value() const { return Load(hash_value_); }
  size_t set_intset_entries() const { return Load(set_intset_entries_); }
  size_t zset_entries() const { return Load(zset_entries_); }
  size_t zset_value() const { return Load(zset_value_); }

  std::atomic<size_t>& mutable_hash_entries() { return hash_entries_; }
  std::atomic<size_t>& mutable_hash_value() { return hash_value_; }
  std::atomic<size_t>& mutable_set_intset_entries() {
    return set_intset_entries_;
  }
  std::atomic<size_t>& mutable_zset_entries() { return zset_entries_; }
  std::atomic<size_t>& mutable_zset_value() { return zset_value_; }

 private:
  static size_t Load(const std::atomic<size_t>& limit) {
    return limit.load(std::memory_order_relaxed);
  }

  std::atomic<size_t> hash_entries_{kHashEntries};
  std::atomic<size_t> hash_value_{kHashValue};
  std::atomic<size_t> set_intset_entries_{kSetIntsetEntries};
  std::atomic<size_t> zset_entries_{kZSetEntries};
  std::atomic<size_t> zset_value_{kZSetValue};
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_ENCODING_LIMITS_H_
