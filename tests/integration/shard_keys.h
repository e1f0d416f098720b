// Keys a given shard owns, for tests that need keys on chosen shards of a
// shardd started with a known --shards (slot s belongs to shard s mod N).
//
//   const std::string src = KeyOn(1, 4, "src");   // "src:<n>", owned by 1 of 4
#ifndef SHARDD_TESTS_INTEGRATION_SHARD_KEYS_H_
#define SHARDD_TESTS_INTEGRATION_SHARD_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "shard/key_slot.h"

namespace shardd::integration {

// The first "<stem>:<n>" (n = 0, 1, ...) that shard `shard` of `shards` owns.
inline std::string KeyOn(uint32_t shard, uint32_t shards,
                         const std::string& stem) {
  for (int i = 0;; ++i) {
    std::string key = absl::StrCat(stem, ":", i);
    if (KeySlot(key) % shards == shard) return key;
  }
}

}  // namespace shardd::integration

#endif  // SHARDD_TESTS_INTEGRATION_SHARD_KEYS_H_
