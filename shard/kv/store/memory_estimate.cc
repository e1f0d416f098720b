#include "shard/kv/store/memory_estimate.h"

#include <algorithm>
#include <bit>
#include <string>

#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// Allowances per element for the containers, besides the element's bytes:
// a std::string's own 32 bytes, a hash table's slot and control byte, a
// skip list node's score and links.
constexpr uint64_t kStringObject = sizeof(std::string);
constexpr uint64_t kTableSlot = 9;
constexpr uint64_t kSkipListNode = 48;
// The key's node (Store::Node: the Entry and the key's length) and its
// table slot.
constexpr uint64_t kNodeHeader = 32;

// A std::string's heap block for `size` bytes (none within its 15-byte
// inline buffer).
uint64_t StringHeap(uint64_t size) {
  return size > 15 ? AllocationSize(size + 1) : 0;
}

// Visits up to `samples` elements (all if 0) through `each`, which returns
// an element's bytes, and scales the sum to `count` elements.
template <typename ForEach>
uint64_t Sampled(size_t count, size_t samples, ForEach for_each) {
  uint64_t sum = 0;
  size_t seen = 0;
  for_each([&](uint64_t bytes) {
    if (samples != 0 && seen >= samples) return;
    sum += bytes;
    ++seen;
  });
  if (seen == 0) return 0;
  return seen >= count ? sum : sum * count / seen;
}

}  // namespace

uint64_t AllocationSize(uint64_t size) {
  if (size == 0) return 0;
  if (size <= 8) return 8;
  if (size <= 128) return (size + 15) / 16 * 16;
  // Four classes per doubling above 128 bytes.
  const uint64_t power = std::bit_floor(size - 1);
  const uint64_t step = power / 4;
  return (size + step - 1) / step * step;
}

uint64_t EstimateMemory(std::string_view key, const Entry& entry,
                        size_t samples) {
  uint64_t bytes = AllocationSize(kNodeHeader + key.size()) + kTableSlot;
  switch (entry.type()) {
    case ValueType::kString: {
      const uint64_t size = entry.string().size();
      if (size > sizeof(char*)) bytes += AllocationSize(size);
      break;
    }
    case ValueType::kList: {
      const ListValue& list = entry.list();
      const size_t visited =
          samples == 0 ? list.size() : std::min(samples, list.size());
      bytes += Sampled(list.size(), samples, [&](auto add) {
        for (size_t i = 0; i < visited; ++i) {
          add(kStringObject + StringHeap(list[i].size()));
        }
      });
      break;
    }
    case ValueType::kHash: {
      const HashValue& hash = entry.hash();
      const uint64_t slot = hash.Encoding() == "hashtable" ? kTableSlot : 0;
      const size_t hash_visited =
          samples == 0 ? hash.size() : std::min(samples, hash.size());
      bytes += Sampled(hash.size(), samples, [&](auto add) {
        size_t left = hash_visited;
        hash.ForEachWhile([&](std::string_view field, std::string_view value) {
          add(2 * kStringObject + StringHeap(field.size()) +
              StringHeap(value.size()) + slot);
          return --left > 0;
        });
      });
      break;
    }
    case ValueType::kSet: {
      const SetValue& set = entry.set();
      const bool table = set.Encoding() == "hashtable";
      const size_t set_visited =
          samples == 0 ? set.size() : std::min(samples, set.size());
      bytes += Sampled(set.size(), samples, [&](auto add) {
        size_t left = set_visited;
        set.ForEachWhile([&](std::string_view member) {
          add(table ? kStringObject + StringHeap(member.size()) + kTableSlot
                    : sizeof(int64_t));
          return --left > 0;
        });
      });
      break;
    }
    case ValueType::kZSet: {
      const ZSetValue& zset = entry.zset();
      const uint64_t node =
          zset.is_compact() ? sizeof(double) : kSkipListNode + kTableSlot;
      const size_t visited =
          samples == 0 ? zset.size() : std::min(samples, zset.size());
      bytes += Sampled(zset.size(), samples, [&](auto add) {
        zset.ForEachInRanks(
            0, visited, /*reverse=*/false,
            [&](std::string_view member, double) {
              add(kStringObject + StringHeap(member.size()) + node);
            });
      });
      break;
    }
  }
  return bytes;
}

}  // namespace shardd::kv
