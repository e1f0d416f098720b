// ReplyMerger: joins the replies of the per-shard parts of a command split
// over shards (a transaction's parts: atomic_command.h) into the reply the
// client gets, as the command's Merge says.
//
//   ReplyMerger merger;
//   merger.Merge(spec, replies, key_positions, key_count, random, protocol,
//                &out);
#ifndef SHARDD_SHARD_KV_EXEC_REPLY_MERGER_H_
#define SHARDD_SHARD_KV_EXEC_REPLY_MERGER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/types/span.h"
#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"

namespace shardd::kv {

class ReplyMerger {
 public:
  // Appends to `out` the merge of `replies`, one per part. For
  // kArrayByKey, `key_positions[part]` holds the client-order index of
  // each key that part carried, of `key_count` in all. An error from any
  // part is the reply. `random` picks among parts (kWeightedByKeys). The
  // parts and the merge are in `protocol`, the client's.
  void Merge(const CommandSpec& spec, absl::Span<const std::string> replies,
             absl::Span<const std::vector<size_t>> key_positions,
             size_t key_count, absl::BitGen& random, resp::Protocol protocol,
             std::string* out);

  // Drops scratch grown past `most` entries.
  void Trim(size_t most);

 private:
  std::vector<std::string_view> ordered_;   // scratch
  std::vector<std::string_view> elements_;  // scratch
  std::vector<uint64_t> weights_;           // scratch
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REPLY_MERGER_H_
