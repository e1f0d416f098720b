// EstimateMemory: what a key and its value take in memory (MEMORY USAGE),
// from shardd's own structures: the key's node, each element's bytes with
// their allocation rounded up to jemalloc's size classes, and an allowance
// per element for the container that holds it. An estimate, not a count:
// the containers' spare capacity is not known here. Like Redis, with
// `samples` > 0 an aggregate's first `samples` elements stand for all.
#ifndef SHARDD_SHARD_KV_STORE_MEMORY_ESTIMATE_H_
#define SHARDD_SHARD_KV_STORE_MEMORY_ESTIMATE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shard/kv/store/entry.h"

namespace shardd::kv {

uint64_t EstimateMemory(std::string_view key, const Entry& entry,
                        size_t samples);

// The bytes jemalloc hands out for a request of `size` bytes (its size
// class; 0 for 0).
uint64_t AllocationSize(uint64_t size);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_STORE_MEMORY_ESTIMATE_H_
