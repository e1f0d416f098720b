// MurmurHash64A, the 64-bit hash Redis's HyperLogLog hashes elements with.
// It must be bit-for-bit Redis's variant (8-byte blocks read little-endian,
// whatever the host order), or the same elements would land in different
// registers and the stored HLL bytes would differ from Redis's.
//
//   uint64_t h = MurmurHash64A("foo", 0xadc83b19);
#ifndef SHARDD_SHARD_KV_COMMANDS_HLL_MURMUR_HASH_H_
#define SHARDD_SHARD_KV_COMMANDS_HLL_MURMUR_HASH_H_

#include <cstdint>
#include <string_view>

namespace shardd::kv {

uint64_t MurmurHash64A(std::string_view data, uint32_t seed);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_HLL_MURMUR_HASH_H_
