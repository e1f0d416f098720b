// Back-pressure from the shards' append-only logs. Under appendfsync
// everysec and no, a write's reply does not wait for its log record to
// reach the disk, so clients can append faster than the disk takes it
// (large values: hundreds of MB a second). Each shard's LogWriter counts
// itself in KvShards::logs_behind() while it holds more than
// --aof_buffer_limit bytes not yet written; a session then starts no new
// commands until none does. Redis gets a like bound by writing its AOF
// buffer with a blocking write() before each event loop turn.
//
//   if (shards.logs_behind() != 0) co_await WaitForLogBacklog(shards);
#ifndef SHARDD_SHARD_KV_EXEC_LOG_BACKLOG_H_
#define SHARDD_SHARD_KV_EXEC_LOG_BACKLOG_H_

#include <coroutine>
#include <vector>

#include "shard/task.h"

namespace shardd::kv {

class KvShards;

// One shard's sessions waiting for the logs. One poll per shard watches
// the counter, however many sessions wait, and releases them all.
class LogBacklogWaiters {
 public:
  class Awaiter {
   public:
    Awaiter(LogBacklogWaiters& waiters, KvShards& shards)
        : waiters_(waiters), shards_(shards) {}
    bool await_ready() const;
    void await_suspend(std::coroutine_handle<> session);
    void await_resume() const {}

   private:
    LogBacklogWaiters& waiters_;
    KvShards& shards_;
  };

 private:
  Task<void> Poll(KvShards& shards);

  std::vector<std::coroutine_handle<>> waiting_;
  bool polling_ = false;
};

// Returns once no shard's log is over the limit, or the shard stops.
LogBacklogWaiters::Awaiter WaitForLogBacklog(KvShards& shards);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_LOG_BACKLOG_H_
