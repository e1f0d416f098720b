#include "shard/kv/commands/hll/murmur_hash.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardd::kv {
namespace {

constexpr uint64_t kMultiplier = 0xc6a4a7935bd1e995;
constexpr int kShift = 47;

// `count` bytes from `bytes` as a little-endian number: Redis reads its
// blocks that way on the little-endian hosts it is run on, and swaps on
// big-endian ones to agree.
uint64_t LoadLittleEndian(const unsigned char* bytes, size_t count) {
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    value |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  }
  return value;
}

}  // namespace

uint64_t MurmurHash64A(std::string_view data, uint32_t seed) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t length = data.size();
  uint64_t hash = seed ^ (static_cast<uint64_t>(length) * kMultiplier);
  const size_t block_bytes = length - length % 8;
  for (size_t i = 0; i < block_bytes; i += 8) {
    uint64_t block = LoadLittleEndian(bytes + i, 8);
    block *= kMultiplier;
    block ^= block >> kShift;
    block *= kMultiplier;
    hash ^= block;
    hash *= kMultiplier;
  }
  // The tail of 1 to 7 bytes is mixed in as one more little-endian word.
  if (length % 8 != 0) {
    hash ^= LoadLittleEndian(bytes + block_bytes, length % 8);
    hash *= kMultiplier;
  }
  hash ^= hash >> kShift;
  hash *= kMultiplier;
  hash ^= hash >> kShift;
  return hash;
}

}  // namespace shardd::kv
