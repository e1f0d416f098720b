// SlowLog: one shard's slow commands (Redis's SLOWLOG), as the shard that
// ran each one timed it. Entries are numbered from one counter over all
// shards, so SLOWLOG GET merges the shards' logs newest first
// (slow_log_command.h).
//
//   if (threshold_us >= 0 && took_us >= threshold_us) {
//     shard.slow_log.Record(shards.NextSlowLogId(), now_s, took_us, args,
//                           client_id, max_len);
//   }
#ifndef SHARDD_SHARD_KV_EXEC_SLOW_LOG_H_
#define SHARDD_SHARD_KV_EXEC_SLOW_LOG_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "shard/kv/commands/command.h"

namespace shardd::kv {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;
  uint64_t duration_us = 0;
  // As Redis keeps them: at most 32, the last one saying how many more
  // there were, each cut at 128 bytes with how many more it had.
  std::vector<std::string> args;
  uint64_t client_id = 0;  // 0: not known (a command run for a transaction)
};

class SlowLog {
 public:
  // Adds an entry, then drops the oldest past `max_len`.
  void Record(uint64_t id, int64_t unix_seconds, uint64_t duration_us,
              CommandArgs args, uint64_t client_id, uint64_t max_len);
  // Newest first.
  const std::deque<SlowLogEntry>& entries() const { return entries_; }
  void Clear() { entries_.clear(); }

 private:
  std::deque<SlowLogEntry> entries_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_SLOW_LOG_H_
