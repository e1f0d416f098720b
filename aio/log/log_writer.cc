#include "aio/log/log_writer.h"

#include <cerrno>
#include <string_view>
#include <utility>

#include "absl/time/clock.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::aio {
namespace {

// How often a failed write is tried again, and the everysec period.
constexpr absl::Duration kRetryPeriod = absl::Seconds(1);
constexpr absl::Duration kSyncPeriod = absl::Seconds(1);
// Written bytes no sync has covered yet are kept, up to this many, to be
// written again after a failed sync. A stream that writes more between
// two syncs (large values under everysec) is not copied: copying it cost
// a third of its throughput (docs/performance.md), and its failed sync
// is retried as a sync alone, as before the copy existed.
constexpr size_t kMaxUnsyncedBytes = 8 << 20;

}  // namespace

bool ParseFsyncPolicy(std::string_view name, FsyncPolicy* policy) {
  if (name == "always") {
    *policy = FsyncPolicy::kAlways;
  } else if (name == "everysec") {
    *policy = FsyncPolicy::kEverySec;
  } else if (name == "no") {
    *policy = FsyncPolicy::kNo;
  } else {
    return false;
  }
  return true;
}

std::string_view FsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways:
      return "always";
    case FsyncPolicy::kEverySec:
      return "everysec";
    case FsyncPolicy::kNo:
      return "no";
  }
  return "everysec";
}

void LogWriter::Rotate(std::unique_ptr<LogFile> file) {
  // (A rotation not yet done is replaced.)
  next_file_ = std::move(file);
  rotate_at_ = appended();
  selected_db_ = kUnknownDb;
  WakeWriter();
}

uint64_t LogWriter::SyncSoon() {
  if (durable_ < written_) {
    sync_soon_ = true;
    WakeWriter();
  }
  return written_;
}

void LogWriter::Start(std::unique_ptr<LogFile> file, uint64_t size,
                      FsyncPolicy policy) {
  selected_db_ = kUnknownDb;
  file_ = std::move(file);
  set_policy(policy);
  written_ = durable_ = size;
  file_base_ = 0;
  published_durable_.store(size, std::memory_order_release);
  writer_busy_ = true;
  Reactor::Current()->Spawn(WriteLoop());
}

void LogWriter::Commit() {
  ++stats_.records;
  if (!over_limit_ && appended() - written_ > backlog_limit_) CheckBacklog();
  WakeWriter();
}

void LogWriter::CheckBacklog() {
  if (over_limit_count_ == nullptr) return;
  const bool over = error_ == 0 && appended() - written_ > backlog_limit_;
  if (over == over_limit_) return;
  over_limit_ = over;
  if (over) {
    over_limit_count_->fetch_add(1, std::memory_order_relaxed);
  } else {
    over_limit_count_->fetch_sub(1, std::memory_order_relaxed);
  }
}

void LogWriter::WakeWriter() {
  if (!writer_busy_ && file_ != nullptr) {
    writer_busy_ = true;
    wake_.Wake();
  }
}

void LogWriter::CallWhenDurable(uint64_t offset, void (*fn)(void*),
                                void* arg) {
  if (durable_ >= offset) {
    fn(arg);
    return;
  }
  waiters_.push_back({offset, nullptr, fn, arg});
  WakeWriter();
}

void LogWriter::ReleaseWaiters() {
  published_durable_.store(durable_, std::memory_order_release);
  Reactor& reactor = *Reactor::Current();
  // Offsets were appended() when registered, so ascending but for a rare
  // caller that waits for less: it waits a batch longer, never forever.
  while (!waiters_.empty() && waiters_.front().offset <= durable_) {
    const Waiter waiter = waiters_.front();
    waiters_.pop_front();
    if (waiter.handle) {
      reactor.Schedule(waiter.handle);
    } else {
      waiter.fn(waiter.arg);
    }
  }
}

Task<void> LogWriter::WriteLoop() {
  Reactor& reactor = *Reactor::Current();
  absl::Time next_sync = absl::Now() + kSyncPeriod;
  absl::Time retry_at = absl::InfinitePast();
  while (!reactor.stopping()) {
    // One policy for the whole step, whatever CONFIG SET does meanwhile.
    const FsyncPolicy policy = this->policy();
    if (policy == FsyncPolicy::kNo && durable_ < written_ &&
        (error_ == 0 || rewrite_unsynced_)) {
      // Switched to `no` with bytes waiting for a sync (or to be written
      // again for one after a failed sync) that `no` does not promise.
      if (rewrite_unsynced_) error_ = 0;
      MarkDurable();
      ReleaseWaiters();
    }
    const bool sync_due = policy == FsyncPolicy::kAlways ||
                          (policy == FsyncPolicy::kEverySec &&
                           (sync_soon_ || absl::Now() >= next_sync));
    const bool retry_due = error_ == 0 || absl::Now() >= retry_at;
    const bool rotate_due = next_file_ != nullptr && written_ == rotate_at_;
    // A failed sync may have marked the pages of what it was to cover
    // clean without writing them (Linux does, after a writeback error):
    // a later sync that succeeds would not cover them. They are written
    // again first, from the copy.
    const bool rewrite_due = rewrite_unsynced_ &&
                             unsynced_.size() == written_ - durable_ &&
                             !unsynced_.empty();
    const bool work =
        retry_due && (!pending_.empty() || rotate_due || rewrite_due ||
                      (sync_due && durable_ < written_));
    if (!work) {
      absl::Time deadline = absl::InfiniteFuture();
      if (error_ != 0 && !retry_due) {
        deadline = retry_at;
      } else if (policy == FsyncPolicy::kEverySec && durable_ < written_) {
        deadline = next_sync;
      }
      writer_busy_ = false;
      co_await wake_.Until(deadline);
      writer_busy_ = true;
      continue;
    }

    int failure = 0;
    // Under everysec a due sync goes first: a steady stream of writes
    // must not put it off.
    const bool sync_first =
        policy == FsyncPolicy::kEverySec && sync_due && durable_ < written_;
    if (rewrite_due) {
      const uint64_t started_ns = stats::MonotonicNanos();
      const WriteSyncResult op =
          co_await file_->WriteAndSync(unsynced_, durable_ - file_base_);
      if (op.written == static_cast<int>(unsynced_.size()) && op.synced == 0) {
        ++stats_.fsyncs;
        stats_.fsync_ns.Record(stats::MonotonicNanos() - started_ns);
        ++stats_.writes;
        stats_.bytes_written += unsynced_.size();
        MarkDurable();
        next_sync = absl::Now() + kSyncPeriod;
      } else if (op.written < 0) {
        failure = -op.written;
      } else if (op.written < static_cast<int>(unsynced_.size())) {
        failure = ENOSPC;  // a short write: the disk is full
      } else {
        failure = -op.synced;
      }
    } else if (rotate_due) {
      // Everything for the old file is written: on disk too before the
      // new one takes over, whatever the policy promised for it.
      const uint64_t switch_at = rotate_at_;
      const int synced = co_await file_->Sync();
      if (synced == 0) {
        MarkDurable();
        // (A Rotate() meanwhile moved the switch on: the old file takes
        // the bytes up to it first.)
        if (rotate_at_ == switch_at) {
          file_ = std::move(next_file_);
          file_base_ = rotate_at_;
        }
      } else {
        failure = -synced;
        rewrite_unsynced_ = true;
      }
    } else if (!pending_.empty() && !sync_first) {
      // Up to a rotation, the bytes go to the old file.
      if (next_file_ != nullptr && pending_.size() > rotate_at_ - written_) {
        in_flight_.assign(pending_, 0, rotate_at_ - written_);
        pending_.erase(0, rotate_at_ - written_);
      } else {
        in_flight_.swap(pending_);
      }
      const uint64_t offset = written_ - file_base_;
      const size_t size = in_flight_.size();
      int written = 0;
      if (policy == FsyncPolicy::kAlways) {
        const uint64_t started_ns = stats::MonotonicNanos();
        const WriteSyncResult op =
            co_await file_->WriteAndSync(in_flight_, offset);
        written = op.written;
        if (written == static_cast<int>(size)) {
          if (op.synced == 0) {
            ++stats_.fsyncs;
            stats_.fsync_ns.Record(stats::MonotonicNanos() - started_ns);
          } else {
            // The bytes may not be on disk (and a failed sync may have
            // marked their pages clean): write them again, then sync,
            // after what an earlier policy left unsynced.
            failure = -op.synced;
            written = 0;
            rewrite_unsynced_ = true;
          }
        }
      } else {
        written = co_await file_->Write(in_flight_, offset);
      }
      if (written > 0) {
        ++stats_.writes;
        stats_.bytes_written += static_cast<uint64_t>(written);
        written_ += static_cast<uint64_t>(written);
        // Kept until a sync covers it (under `no` nothing waits for one;
        // under `always` the sync that follows clears it).
        if (policy != FsyncPolicy::kNo && !copy_dropped_) {
          if (unsynced_.size() + static_cast<size_t>(written) <=
              kMaxUnsyncedBytes) {
            unsynced_.append(in_flight_, 0, static_cast<size_t>(written));
          } else {
            copy_dropped_ = true;  // until the next sync
            unsynced_.clear();
          }
        }
        in_flight_.erase(0, static_cast<size_t>(written));
      }
      if (written < 0) {
        failure = -written;
      } else if (!in_flight_.empty() && failure == 0) {
        failure = ENOSPC;  // a short write: the disk is full
      }
      if (!in_flight_.empty()) {
        // Not written: first in line for the next try.
        in_flight_.append(pending_);
        pending_.swap(in_flight_);
        in_flight_.clear();
      }
      if (failure == 0 && policy == FsyncPolicy::kAlways) {
        MarkDurable();
      } else if (policy == FsyncPolicy::kNo) {
        MarkDurable();  // the kernel decides; nothing to wait for
      }
    } else if (durable_ < written_) {
      const uint64_t started_ns = stats::MonotonicNanos();
      const int synced = co_await file_->Sync();
      if (synced == 0) {
        ++stats_.fsyncs;
        stats_.fsync_ns.Record(stats::MonotonicNanos() - started_ns);
        MarkDurable();
      } else {
        failure = -synced;
        rewrite_unsynced_ = true;
      }
      next_sync = absl::Now() + kSyncPeriod;
    }
    if (reactor.stopping() && failure == ECANCELED) break;
    if (failure != 0) {
      ++stats_.write_errors;
      error_ = failure;
      retry_at = absl::Now() + kRetryPeriod;
    } else {
      error_ = 0;
    }
    CheckBacklog();  // (also after a failure ended)
    ReleaseWaiters();
  }
}

void LogWriter::MarkDurable() {
  durable_ = written_;
  sync_soon_ = false;
  rewrite_unsynced_ = false;
  copy_dropped_ = false;
  unsynced_.clear();
}

int LogWriter::FlushBlocking() {
  if (file_ == nullptr) return 0;
  if (rewrite_unsynced_ && unsynced_.size() == written_ - durable_ &&
      !unsynced_.empty()) {
    if (const int rc =
            file_->WriteAndSyncBlocking(unsynced_, durable_ - file_base_);
        rc != 0) {
      return rc;
    }
    MarkDurable();
  }
  in_flight_.append(pending_);
  pending_.clear();
  std::string_view rest = in_flight_;
  if (next_file_ != nullptr) {
    // The old file's share first, then the rest to the new one.
    const size_t old_share = static_cast<size_t>(rotate_at_ - written_);
    if (const int rc = file_->WriteAndSyncBlocking(rest.substr(0, old_share),
                                                   written_ - file_base_);
        rc != 0) {
      return rc;
    }
    rest.remove_prefix(old_share);
    written_ = rotate_at_;
    file_ = std::move(next_file_);
    file_base_ = rotate_at_;
  }
  if (const int rc = file_->WriteAndSyncBlocking(rest, written_ - file_base_);
      rc != 0) {
    return rc;
  }
  written_ += rest.size();
  in_flight_.clear();
  MarkDurable();
  return 0;
}

}  // namespace shardd::aio
