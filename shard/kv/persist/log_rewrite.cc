#include "shard/kv/persist/log_rewrite.h"

#include <fcntl.h>

#include <algorithm>
#include <coroutine>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "aio/file.h"
#include "aio/log/log_file.h"
#include "aio/log/write_and_sync.h"
#include "shard/invoke_on.h"
#include "shard/kv/exec/transaction.h"
#include "shard/kv/persist/records.h"
#include "shard/message.h"
#include "shard/reactor.h"
#include "shard/timer.h"

namespace shardd::kv {
namespace {

// Keys looked at per loop turn, and base bytes gathered before a write.
// The buffers are what a compaction holds besides its snapshot: 256 KiB
// made 0.8 points of a small-keyed dataset's memory, 64 KiB 0.2
// (docs/performance.md, "Durability").
constexpr size_t kKeysPerSlice = 512;
constexpr size_t kFlushBytes = 64 << 10;
// The longest a compaction waits for the logs' early syncs (step 0).
constexpr absl::Duration kPresyncWait = absl::Seconds(2);

// The cut (step 2), on each shard as the lock on it is granted.
struct Cut {
  KvShards* shards;
  const std::vector<int>* logs;
};

void TakeCut(void* context, Transaction::Part& part) {
  const Cut& cut = *static_cast<Cut*>(context);
  KvShard& shard = cut.shards->Local();
  shard.log.Rotate(aio::MakeLogFile((*cut.logs)[part.shard()]));
  shard.dbs.ForEach([](uint32_t, Store& store) { store.BeginRewrite(); });
  // The base starts in database 0; from now on writes may add to it.
  shard.rewrite.selected_db = 0;
}

// The first of the shard's databases whose walk is not over (null: none).
Store* Walking(const Databases& dbs) {
  Store* walking = nullptr;
  dbs.ForEach([&walking](uint32_t, Store& store) {
    if (walking == nullptr && store.rewriting()) walking = &store;
  });
  return walking;
}

size_t WalkBytes(const Databases& dbs) {
  size_t bytes = 0;
  dbs.ForEach([&bytes](uint32_t, Store& store) {
    bytes += store.RewriteOverheadBytes();
  });
  return bytes;
}

// Step 3 on every shard at once; resumes the coordinator when all are done.
class BaseWrites {
 public:
  BaseWrites(KvShards& shards, const std::vector<int>& bases)
      : shards_(shards), bases_(bases), results_(bases.size(), 0) {}

  bool await_ready() const { return false; }
  void await_suspend(std::coroutine_handle<> waiter) {
    waiter_ = waiter;
    home_ = Reactor::Current()->shard_id();
    remaining_ = static_cast<uint32_t>(bases_.size());
    for (uint32_t s = 0; s < bases_.size(); ++s) {
      auto* start = new Start(this, s);
      if (s == home_) {
        start->Run();
      } else {
        Reactor::Current()->Send(s, start);
      }
    }
  }
  // The first failure (-errno) of any shard, or 0.
  int await_resume() const {
    for (int result : results_) {
      if (result != 0) return result;
    }
    return 0;
  }

 private:
  // Starts a shard's walk there, and carries its result home.
  class Start final : public Message {
   public:
    Start(BaseWrites* parent, uint32_t shard)
        : parent_(parent), shard_(shard) {}
    void Run() override {
      if (done_) {
        if (--parent_->remaining_ == 0) parent_->waiter_.resume();
        delete this;
        return;
      }
      Reactor::Current()->Spawn(Walk());
    }

   private:
    Task<void> Walk() {
      parent_->results_[shard_] =
          co_await WriteBase(parent_->shards_, parent_->bases_[shard_]);
      done_ = true;
      if (shard_ == parent_->home_) {
        Run();
      } else {
        Reactor::Current()->Send(parent_->home_, this);
      }
    }

    BaseWrites* parent_;
    uint32_t shard_;
    bool done_ = false;
  };

  KvShards& shards_;
  const std::vector<int>& bases_;
  std::vector<int> results_;  // each written by its shard before it reports
  uint32_t home_ = 0;
  uint32_t remaining_ = 0;
  std::coroutine_handle<> waiter_;
};

}  // namespace

Task<int> WriteBase(KvShards& shards, int base_fd) {
  KvShard& shard = shards.Local();
  ShardRewrite& rewrite = shard.rewrite;
  Reactor& reactor = *Reactor::Current();
  rewrite.base_fd = base_fd;
  rewrite.base_bytes = 0;
  int result = 0;
  bool done = false;
  while (!done) {
    // One database after the other (the walk of each ends before the
    // next starts; a SWAPDB meanwhile does not change which is which).
    if (Store* store = Walking(shard.dbs); store != nullptr) {
      // A slice of keys, or fewer once their records fill a flush: with
      // large values a slice's records would be a large part of the
      // dataset (512 keys of 100 KB: 51 MB held).
      const auto append = [&](std::string_view key, const Entry& entry) {
        AppendBaseEntry(rewrite, *store, key, entry);
      };
      for (size_t k = 0;
           k < kKeysPerSlice && rewrite.buffer.size() < kFlushBytes; ++k) {
        if (store->RewriteStep(1, append)) break;
      }
    }
    done = Walking(shard.dbs) == nullptr;
    rewrite.peak_bytes = std::max(
        rewrite.peak_bytes, rewrite.buffer.capacity() + WalkBytes(shard.dbs));
    if (rewrite.buffer.size() < kFlushBytes && !done) {
      // Through the ring, so that the loop reaps what completed (clients'
      // I/O) before the next slice; a coroutine merely rescheduled would
      // run again before the loop looks at its ring.
      co_await Delay(absl::ZeroDuration());
    } else {
      // Writes meanwhile go on filling a fresh buffer.
      std::string out;
      out.swap(rewrite.buffer);
      for (size_t at = 0; at < out.size();) {
        const int n = co_await aio::Write(base_fd, out.data() + at,
                                          out.size() - at,
                                          rewrite.base_bytes + at);
        if (n <= 0) {
          result = n < 0 ? n : -ENOSPC;
          break;
        }
        at += static_cast<size_t>(n);
      }
      if (result != 0) break;
      rewrite.base_bytes += out.size();
      // What was written, and what writes put in the buffer meanwhile.
      rewrite.peak_bytes = std::max(
          rewrite.peak_bytes,
          out.capacity() + rewrite.buffer.capacity() + WalkBytes(shard.dbs));
    }
    if (reactor.stopping()) result = -ECANCELED;
    if (result != 0) break;
  }
  if (result != 0) {
    // Abandoned: the walks end at once, writing nothing.
    shard.dbs.ForEach([](uint32_t, Store& store) {
      if (!store.rewriting()) return;
      store.RewriteStep(SIZE_MAX, [](std::string_view, const Entry&) {});
    });
    rewrite.buffer = std::string();
  }
  if (result == 0) result = co_await aio::DataSync(base_fd);
  co_await aio::Close(base_fd);
  rewrite.base_fd = -1;
  if (result == 0) {
    shard.older_log_bytes = rewrite.base_bytes;
    shard.log_size_at_base = rewrite.base_bytes + shard.log.file_size();
  }
  co_return result;
}

LogRewriter::LogRewriter(KvShards& shards, std::string log_dir,
                         aio::Manifest manifest)
    : shards_(shards),
      log_dir_(std::move(log_dir)),
      manifest_(std::move(manifest)) {}

bool LogRewriter::Start() {
  bool expected = false;
  if (!running_.compare_exchange_strong(expected, true)) return false;
  Reactor::Current()->Spawn(Run());
  return true;
}

Task<void> LogRewriter::Run() {
  const absl::Time started = absl::Now();
  const int result = co_await Rewrite();
  last_seconds_.store(absl::ToInt64Seconds(absl::Now() - started));
  last_failed_.store(result != 0);
  if (result == 0) {
    rewrites_.fetch_add(1);
    failures_in_a_row_.store(0);
  } else if (result != -ECANCELED || !Reactor::Current()->stopping()) {
    // (One that a stop cut short is no failure.)
    failures_in_a_row_.fetch_add(1);
    std::fprintf(stderr, "shardd: log compaction failed: %s\n",
                 std::strerror(-result));
  }
  running_.store(false, std::memory_order_release);
}

Task<int> LogRewriter::Rewrite() {
  const uint32_t shard_count = shards_.shard_count();
  const aio::Manifest before = manifest_;
  const uint64_t id = before.generations.back().id + 1;
  auto path = [this](const std::string& name) {
    return absl::StrCat(log_dir_, "/", name);
  };

  // 0. Each log syncs what it holds now, while appends go on: at the cut
  // each old file must be on disk before its log switches (step 2), and
  // under everysec that could be a second of writes, during which a busy
  // shard's connections would wait for its log (back-pressure). A shorter
  // sync then covers only what came meanwhile. An optimisation, so a log
  // whose sync fails is not waited for past kPresyncWait.
  std::vector<uint64_t> presync(shard_count);
  for (uint32_t s = 0; s < shard_count; ++s) {
    presync[s] =
        co_await InvokeOn(s, [this] { return shards_.Local().log.SyncSoon(); });
  }
  for (const absl::Time until = absl::Now() + kPresyncWait;
       absl::Now() < until;) {
    bool synced = true;
    for (uint32_t s = 0; s < shard_count; ++s) {
      if (shards_.On(s).log.published_durable() < presync[s]) synced = false;
    }
    if (synced) break;
    if (!co_await Delay(absl::Milliseconds(1))) co_return -ECANCELED;
  }

  // 1. The new generation's files, named by the manifest after the old.
  std::vector<int> logs(shard_count, -1), bases(shard_count, -1);
  int result = 0;
  for (uint32_t s = 0; s < shard_count && result == 0; ++s) {
    const std::string log = path(aio::LogFileName(id, s));
    const std::string base = path(aio::BaseFileName(id, s));
    logs[s] = co_await aio::Open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC);
    bases[s] = co_await aio::Open(base.c_str(), O_WRONLY | O_CREAT | O_TRUNC);
    if (logs[s] < 0) result = logs[s];
    if (bases[s] < 0) result = bases[s];
  }
  if (result == 0) {
    manifest_.generations.push_back({id, shard_count, false});
    result = co_await aio::WriteManifestOnRing(log_dir_, manifest_);
    if (result != 0) manifest_ = before;
  }
  if (result != 0) {
    // Nothing named them: the next start removes any left behind.
    for (int fd : logs) {
      if (fd >= 0) co_await aio::Close(fd);
    }
    for (int fd : bases) {
      if (fd >= 0) co_await aio::Close(fd);
    }
    co_return result;
  }

  // 2. The cut: each log takes its new file, each store its snapshot.
  std::vector<uint32_t> all(shard_count);
  for (uint32_t s = 0; s < shard_count; ++s) all[s] = s;
  {
    Transaction tx(shards_, Transaction::WholeShards{all});
    Cut cut{&shards_, &logs};
    co_await tx.Lock(TakeCut, &cut);
    tx.Release();
  }

  // 3. The bases.
  result = co_await BaseWrites(shards_, bases);
  // (A failure leaves the manifest naming the old logs and the new ones:
  // replayed in turn, they hold everything.)
  if (result != 0) co_return result;

  // 4. The new generation alone, with its bases; the old files go, once
  // every log writes to its new file (a writer retrying a failed write may
  // still owe the old one bytes from before the cut).
  for (;;) {
    bool switching = false;
    for (uint32_t s = 0; s < shard_count; ++s) {
      const bool pending = co_await InvokeOn(
          s, [this] { return shards_.Local().log.rotation_pending(); });
      if (pending) switching = true;
    }
    if (!switching) break;
    if (!co_await Delay(absl::Milliseconds(10))) co_return -ECANCELED;
  }
  aio::Manifest after;
  after.generations.push_back({id, shard_count, true});
  result = co_await aio::WriteManifestOnRing(log_dir_, after);
  if (result != 0) co_return result;
  manifest_ = after;
  for (const aio::LogGeneration& g : before.generations) {
    for (uint32_t i = 0; i < g.files; ++i) {
      co_await aio::UnlinkAt(AT_FDCWD, path(aio::LogFileName(g.id, i)).c_str());
      if (g.base) {
        co_await aio::UnlinkAt(AT_FDCWD,
                               path(aio::BaseFileName(g.id, i)).c_str());
      }
    }
  }
  co_return 0;
}

}  // namespace shardd::kv
