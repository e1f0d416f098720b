// ShardRewrite: one shard's part of a compaction of the log (log_rewrite.h):
// the base file it writes and the records not yet written there. While the
// shard's walk runs (Store::BeginRewrite), every write first passes its
// keys to WriteThroughKey, so that the base gets each key as it was when
// the compaction began.
//
//   WriteThroughKey(store, shard.rewrite, key);   // before a write
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
  // The database the base's records are in now (SELECT; it starts in 0).
  uint32_t selected_db = 0;
};

// `key` of `store` (one of the shard's databases) as it is now, for the
// base.
inline void AppendBaseEntry(ShardRewrite& rewrite, const Store& store,
                            std::string_view key, const Entry& entry) {
  AppendSelect(&rewrite.buffer, &rewrite.selected_db, store.rewrite_db());
  AppendEntry(&rewrite.buffer, key, entry);
}

inline void WriteThroughKey(Store& store, ShardRewrite& rewrite,
                            std::string_view key) {
  if (!store.rewriting()) return;
  store.WriteThrough(key, [&](std::string_view k, const Entry& e) {
    AppendBaseEntry(rewrite, store, k, e);
  });
}

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PERSIST_SHARD_REWRITE_H_
