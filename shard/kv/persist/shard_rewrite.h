// ShardRewrite: one shard's part of a compaction of the log (log_rewrite.h):
// the base file it writes and the records not yet written there. While the
// shard's walk runs (Store::BeginRewrite), every write first passes its
// keys to WriteThroughKey, so that the base gets each key as it was when
// the compaction began.
//
//   WriteThroughKey(shard.store, shard.rewrite, key);   // before a write
#ifndef SHARDD_SHARD_KV_PERSIST_SHARD_REWRITE_H_
#define SHARDD_SHARD_KV_PERSIST_SHARD_REWRITE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shard/kv/persist/records.h"
#include "shard/kv/store/store.h"

namespace shardd::kv {

struct ShardRewrite {
  int base_fd = -1;
  std::string buffer;        // base records not yet written
  uint64_t base_bytes = 0;   // written to the base file so far
  // The most the compaction held in memory at once: the buffer plus the
  // walk's snapshot (Store::RewriteOverheadBytes), this compaction and
  // the last.
  size_t peak_bytes = 0;
};

inline void WriteThroughKey(Store& store, ShardRewrite& rewrite,
                            std::string_view key) {
  if (!store.rewriting()) return;
  store.WriteThrough(key, [&rewrite](std::string_view k, const Entry& e) {
    AppendEntry(&rewrite.buffer, k, e);
  });
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_SHARD_REWRITE_H_
