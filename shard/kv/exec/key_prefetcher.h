// KeyPrefetcher: before a connection executes a batch of pipelined requests,
// starts loading into the CPU cache the store data of the keys the next few
// of them will look up, so that their cache misses overlap instead of being
// paid one request after another (see Store::PrefetchSlot). Only single-key
// commands whose key this shard owns, or a shard of the same thread
// (Reactor::ThreadMate), are prefetched; the rest run as usual.
//
//   KeyPrefetcher prefetcher;
//   prefetcher.Prefetch(shards, limits, unread_input, db);
//   // then parse and execute
#ifndef SHARDD_SHARD_KV_EXEC_KEY_PREFETCHER_H_
#define SHARDD_SHARD_KV_EXEC_KEY_PREFETCHER_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "net/resp/request_parser.h"
#include "shard/kv/commands/command_table.h"
#include "shard/kv/exec/kv_shards.h"

namespace shardd::kv {

class KeyPrefetcher {
 public:
  // How many requests one call looks ahead: one -P 16 batch. Deeper would
  // evict what it fetched before use on a small cache.
  static constexpr size_t kDepth = 16;

  // Parses up to kDepth requests at the start of `input` (without consuming
  // anything; empty requests count too) and prefetches their keys. Returns
  // how many it parsed, so that the caller looks ahead again only after
  // executing those. Prefetches nothing unless `input` holds at least two
  // requests: a lone request gains nothing. `db`: the connection's
  // database (a SELECT among the requests only makes a prefetch useless).
  size_t Prefetch(KvShards& shards, const resp::ParseLimits& limits,
                  std::string_view input, uint32_t db);

 private:
  CommandFinder finder_;
  std::vector<std::string_view> args_;
  std::string scratch_;
  std::array<std::string_view, kDepth> keys_;
  std::array<const Store*, kDepth> stores_;  // the owner's, of each key
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_KEY_PREFETCHER_H_
