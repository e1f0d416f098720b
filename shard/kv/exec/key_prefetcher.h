// KeyPrefetcher: before a connection executes a batch of pipelined requests,
// starts loading into the CPU cache the store data of the keys the next few
// of them will look up, so that their cache misses overlap instead of being
// paid one request after another (see Store::PrefetchSlot). Only single-key
// commands whose key this shard owns, or a shard of the same thread
// (Reactor::ThreadMate), are prefetched; the rest run as usual. The
// requests it parsed to find the keys are kept, so that the session takes
// them instead of parsing each request twice.
//
//   KeyPrefetcher prefetcher;
//   prefetcher.Prefetch(shards, limits, unread_input, db, &input_buffer);
//   if (!prefetcher.TakeParsed(&input_buffer, unread_input, &args, &parsed))
//     parsed = resp::ParseRequest(unread_input, limits, &args, &scratch);
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
  // `reader` (the connection's input buffer) is who may take the requests
  // parsed.
  size_t Prefetch(KvShards& shards, const resp::ParseLimits& limits,
                  std::string_view input, uint32_t db, const void* reader);

  // The next request the last Prefetch for `reader` parsed, if `input`
  // starts with it: its arguments in `*args` (views into `input`) and what
  // the parse returned in `*parsed`. False when there is none (or the
  // prefetcher has worked for another connection since): parse it then.
  bool TakeParsed(const void* reader, std::string_view input,
                  std::vector<std::string_view>* args,
                  resp::ParseResult* parsed);

 private:
  // A request Prefetch parsed whose arguments all view the input (inline
  // requests that needed unquoting view scratch_, and are not kept).
  struct Parsed {
    const char* begin;
    size_t consumed;
    resp::ParseStatus status;  // kComplete or kEmpty
    uint32_t first_arg;        // in parsed_args_
    uint32_t arg_count;
  };
  // Keeps the request parsed into args_ (status `status`, `consumed`
  // bytes from `request`), unless its arguments are not all in `request`:
  // then false, and no later request of this Prefetch is kept.
  bool Keep(std::string_view request, resp::ParseStatus status);

  CommandFinder finder_;
  std::vector<std::string_view> args_;
  std::string scratch_;
  const void* reader_ = nullptr;
  std::array<Parsed, kDepth> parsed_;
  size_t parsed_count_ = 0;
  size_t next_parsed_ = 0;  // the next one TakeParsed gives
  std::vector<std::string_view> parsed_args_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_KEY_PREFETCHER_H_
