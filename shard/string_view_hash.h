// StringViewHash: Abseil's string hash for std::string_view keys.
//
//   absl::flat_hash_map<std::string_view, int, StringViewHash> counts;
//
// Debian's Abseil has its own absl::string_view, distinct from
// std::string_view, and absl::Hash<std::string_view> falls back to
// std::hash: libstdc++'s byte-wise murmur, which callgrind counts at ~48
// instructions for a 16-byte key, four times per pipelined GET. This hashes
// the same bytes as an absl::string_view instead.
#ifndef SHARDD_SHARD_STRING_VIEW_HASH_H_
#define SHARDD_SHARD_STRING_VIEW_HASH_H_

#include <cstddef>
#include <string_view>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace shardd {

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    return absl::Hash<absl::string_view>{}(
        absl::string_view(text.data(), text.size()));
  }
};

}  // namespace shardd

#endif  // SHARDD_SHARD_STRING_VIEW_HASH_H_
