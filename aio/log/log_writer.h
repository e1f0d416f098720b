// LogWriter: one shard's append-only log file, written only by that shard
// through its ring, with group commit. Whatever is appended during one loop
// turn goes out as one write on the next; under `always` the write is
// linked to one fdatasync, and the waiters for those bytes are released
// when it completes. While one batch is on its way to the disk, the loop
// goes on executing and appending the next.
//
//   LogWriter log;
//   log.Start(std::make_unique<FdLogFile>(fd), file_size,
//             FsyncPolicy::kAlways);                    // on the shard
//   log.buffer() += record;  log.Commit();            // one record
//   co_await log.WaitDurable(log.appended());          // before replying
//
// Offsets count every byte ever appended, across files (Rotate): appended()
// >= written() >= durable(). Under
// `everysec` a sync runs once a second when something was written since the
// last (or at once after SyncSoon()); under `no` the kernel decides. A failed
// write or sync sets error() (the KV service then refuses writes with -MISCONF,
// as Redis does) and is retried once a second until it succeeds; nothing
// appended is dropped. A failed sync's bytes (up to 8 MiB of them) are written
// again before the retry, since Linux may have marked their pages clean.
//
// Under `everysec` and `no` nothing waits for the writer, so appenders can
// outrun the disk; with LimitBacklog() the writer counts itself in a
// counter they check before appending more (back-pressure), so what waits
// to be written stays bounded.
#ifndef SHARDD_AIO_LOG_LOG_WRITER_H_
#define SHARDD_AIO_LOG_LOG_WRITER_H_

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "aio/log/log_file.h"
#include "shard/stats/latency_histogram.h"
#include "shard/task.h"
#include "shard/wakeable_wait.h"

namespace shardd::aio {

enum class FsyncPolicy { kAlways, kEverySec, kNo };

// Parses Redis's appendfsync names ("always", "everysec", "no").
bool ParseFsyncPolicy(std::string_view name, FsyncPolicy* policy);
std::string_view FsyncPolicyName(FsyncPolicy policy);

struct LogStats {
  uint64_t records = 0;      // Commit() calls
  uint64_t writes = 0;       // write system calls (each a group commit)
  uint64_t bytes_written = 0;
  uint64_t fsyncs = 0;
  uint64_t write_errors = 0;
  stats::LatencyHistogram fsync_ns;
};

class LogWriter {
 public:
  LogWriter() = default;
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // On the shard's thread, once: takes `file` (`size` bytes long: appends
  // go at `size`) and starts the task that writes.
  void Start(std::unique_ptr<LogFile> file, uint64_t size,
             FsyncPolicy policy);
  bool started() const { return file_ != nullptr; }
  FsyncPolicy policy() const { return policy_.load(std::memory_order_relaxed); }
  // CONFIG SET appendfsync, from any shard (the policy is the one field
  // other threads write): the writer takes it at its next step. Under
  // `no`, bytes written before the switch count as durable, as bytes
  // written under `no` do.
  void set_policy(FsyncPolicy policy) {
    policy_.store(policy, std::memory_order_relaxed);
  }

  // From the next byte appended on, the log goes to `file` (new, empty;
  // this one is synced and closed once all before has been written to
  // it). For compaction (kv/persist/log_rewrite.h).
  void Rotate(std::unique_ptr<LogFile> file);
  // Under everysec, makes the next sync due at once rather than at the
  // next second (it stands in for that one), so that a Rotate() soon
  // after has less to sync before its switch, during which appends pile
  // up; returns the offset it will cover: published_durable() reaching it
  // says it is done (at once when nothing written waits for a sync, as
  // under always and no unless a failure is being retried).
  uint64_t SyncSoon();
  // Whether a Rotate() has not taken effect yet.
  bool rotation_pending() const { return next_file_ != nullptr; }
  // Bytes of the current file, with what is buffered for it.
  uint64_t file_size() const { return appended() - file_base_; }

  // Where records are appended; Commit() after each whole record.
  std::string& buffer() { return pending_; }
  // For a log of Redis commands: the database (SELECT) the next record
  // applies to, kept by whoever appends; kUnknownDb when the bytes before
  // do not say (Start() on a file a replay ended in some database,
  // Rotate(), whose new file may start after records not yet written):
  // the next record then selects its database, as Redis's AOF does.
  static constexpr uint32_t kUnknownDb = UINT32_MAX;
  uint32_t& selected_db() { return selected_db_; }
  // A whole record was appended: it goes out with this turn's batch.
  void Commit();

  // Once more than `bytes` appended are not written yet, adds one to
  // `over` (shared by several writers, so one load tells an appender
  // whether any is behind), and takes it back once no more than `bytes`
  // wait, or while its writes fail (error(): writes are refused anyway,
  // and waiting for a failing disk would hang readers). Before Start().
  void LimitBacklog(uint64_t bytes, std::atomic<uint32_t>* over) {
    backlog_limit_ = bytes;
    over_limit_count_ = over;
  }

  uint64_t appended() const { return written_ + in_flight_.size() +
                                     pending_.size(); }
  uint64_t written() const { return written_; }
  uint64_t durable() const { return durable_; }
  // durable(), as last published for other threads: a check of the
  // writer's own bookkeeping from outside it (durability_fence.h).
  uint64_t published_durable() const {
    return published_durable_.load(std::memory_order_acquire);
  }
  // The errno of the last failed write or sync (0: the last one worked).
  int error() const { return error_; }
  const LogStats& stats() const { return stats_; }

  // co_await log.WaitDurable(offset): resumes once every byte before
  // `offset` is on stable storage (a sync covered it), or at once if so.
  class DurableAwaiter {
   public:
    DurableAwaiter(LogWriter& log, uint64_t offset)
        : log_(log), offset_(offset) {}
    bool await_ready() const { return log_.durable_ >= offset_; }
    void await_suspend(std::coroutine_handle<> waiter) {
      log_.waiters_.push_back({offset_, waiter, nullptr, nullptr});
      log_.WakeWriter();
    }
    void await_resume() const {}

   private:
    LogWriter& log_;
    uint64_t offset_;
  };
  DurableAwaiter WaitDurable(uint64_t offset) {
    return DurableAwaiter(*this, offset);
  }
  // The same for a caller that is not a coroutine: calls fn(arg) once the
  // bytes before `offset` are durable (at once if they are).
  void CallWhenDurable(uint64_t offset, void (*fn)(void*), void* arg);

  // After the shard's loop has stopped (no ring any more): writes whatever
  // was not written yet and syncs, with plain blocking calls. SIGTERM's
  // last step, so that a clean stop loses nothing under any policy.
  int FlushBlocking();

 private:
  struct Waiter {
    uint64_t offset;
    std::coroutine_handle<> handle;
    void (*fn)(void*);
    void* arg;
  };

  Task<void> WriteLoop();
  void WakeWriter();
  void ReleaseWaiters();
  // Every byte written so far is on stable storage (or, under `no`, taken
  // to be).
  void MarkDurable();
  // Sets or clears over_limit_ by the backlog now.
  void CheckBacklog();

  std::unique_ptr<LogFile> file_;
  uint64_t file_base_ = 0;  // the offset of file_'s first byte
  std::unique_ptr<LogFile> next_file_;  // Rotate()'s, from rotate_at_ on
  uint64_t rotate_at_ = 0;
  std::atomic<FsyncPolicy> policy_ = FsyncPolicy::kEverySec;
  uint32_t selected_db_ = kUnknownDb;
  std::string pending_;    // appended, not yet handed to the kernel
  std::string in_flight_;  // being written (and synced, under always)
  uint64_t written_ = 0;   // offset up to which writes completed
  uint64_t durable_ = 0;   // ... and up to which a sync covered them
  // Unless under `no`, a copy of the bytes from durable_ to written_ (at
  // most 8 MiB; copy_dropped_ once they outgrew it): a failed sync may
  // leave their pages marked clean but not on disk, so they are written
  // again before the next sync (rewrite_unsynced_).
  std::string unsynced_;
  bool copy_dropped_ = false;
  bool rewrite_unsynced_ = false;
  bool sync_soon_ = false;  // SyncSoon(): a sync is due now (everysec)
  std::atomic<uint64_t> published_durable_{0};
  int error_ = 0;
  bool writer_busy_ = false;  // WriteLoop is not waiting for work
  uint64_t backlog_limit_ = UINT64_MAX;
  std::atomic<uint32_t>* over_limit_count_ = nullptr;
  bool over_limit_ = false;     // counted in *over_limit_count_
  std::deque<Waiter> waiters_;  // by offset, ascending
  WakeableWait wake_;
  LogStats stats_;
};

}  // namespace shardd::aio

#endif  // SHARDD_AIO_LOG_LOG_WRITER_H_
