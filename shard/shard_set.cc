#include "shard/shard_set.h"

#include <pthread.h>
#include <sched.h>

#include <cstring>
#include <latch>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace shardd {
namespace {

absl::Status PinCurrentThread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
  if (rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot pin to CPU ", cpu, ": ", std::strerror(rc)));
  }
  return absl::OkStatus();
}

}  // namespace

ShardSet::ShardSet(Options options)
    : options_(std::move(options)),
      mesh_(options_.shard_count, options_.mailbox_capacity) {}

ShardSet::~ShardSet() { Stop(); }

std::vector<int> ShardSet::AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

bool ShardSet::PollingAllowed(const Options& options) {
  return std::set<int>(options.cpus.begin(), options.cpus.end()).size() >=
         options.shard_count;
}

std::vector<std::vector<uint32_t>> ShardSet::ShardsByThread(
    const Options& options) {
  std::vector<std::vector<uint32_t>> threads;
  std::map<int, size_t> thread_of_cpu;
  const bool share = options.share_cpu_threads &&
                     options.io_backend == IoBackend::kIoUring &&
                     !options.cpus.empty();
  for (uint32_t i = 0; i < options.shard_count; ++i) {
    if (!share) {
      threads.push_back({i});
      continue;
    }
    const int cpu = options.cpus[i % options.cpus.size()];
    const auto [it, added] = thread_of_cpu.emplace(cpu, threads.size());
    if (added) threads.emplace_back();
    threads[it->second].push_back(i);
  }
  return threads;
}

absl::Status ShardSet::Start(std::function<void(Reactor&)> on_start) {
  const uint32_t n = options_.shard_count;
  for (uint32_t i = 0; i < n; ++i) {
    reactors_.push_back(std::make_unique<Reactor>(
        i, mesh_, PollingAllowed(options_) ? options_.idle_poll_ns : 0,
        options_.multishot_receive ? options_.receive_buffer_count : 0));
  }
  init_status_.assign(n, absl::OkStatus());
  // Every thread sets up its shards' ring and its pin, then all (and this
  // thread) meet; only if all succeeded does any shard start serving. The
  // latches outlive this call (they are members) because a thread may
  // still be inside count_down() when the waiter here returns.
  const std::vector<std::vector<uint32_t>> threads = ShardsByThread(options_);
  initialized_ = std::make_unique<std::latch>(threads.size() + 1);
  started_ = std::make_unique<std::latch>(threads.size() + 1);
  for (const std::vector<uint32_t>& shards : threads) {
    threads_.emplace_back([&, shards] {
      // "shard-<i>" in ps, top and /proc/<pid>/task/<tid>/comm; "shard-<i>+"
      // for a thread that runs more shards from <i> on.
      pthread_setname_np(
          pthread_self(),
          absl::StrCat("shard-", shards.front(), shards.size() > 1 ? "+" : "")
              .c_str());
      std::vector<Reactor*> reactors;
      absl::Status status;
      for (const uint32_t i : shards) {
        Reactor* owner = reactors.empty() ? nullptr : reactors.front();
        reactors.push_back(reactors_[i].get());
        if (status.ok()) {
          status = reactors.back()->Init(options_.io_backend, 4096, owner,
                                         options_.registered_files);
        }
      }
      if (status.ok() && !options_.cpus.empty()) {
        status = PinCurrentThread(
            options_.cpus[shards.front() % options_.cpus.size()]);
      }
      for (const uint32_t i : shards) init_status_[i] = status;
      initialized_->arrive_and_wait();
      for (const absl::Status& s : init_status_) {
        if (!s.ok()) return;
      }
      Reactor::MakeThreadMates(reactors);
      for (Reactor* reactor : reactors) {
        reactor->MakeCurrent();
        on_start(*reactor);
      }
      started_->count_down();
      Reactor::RunTogether(reactors);
    });
  }
  initialized_->arrive_and_wait();
  for (uint32_t i = 0; i < n; ++i) {
    if (!init_status_[i].ok()) {
      absl::Status failure(init_status_[i].code(),
                           absl::StrCat("shard ", i, ": ",
                                        init_status_[i].message()));
      Stop();
      return failure;
    }
  }
  started_->arrive_and_wait();
  return absl::OkStatus();
}

void ShardSet::Stop() {
  for (auto& reactor : reactors_) reactor->RequestStop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // The shards that share a ring go before its owner, the first of them.
  while (!reactors_.empty()) reactors_.pop_back();
  initialized_.reset();
  started_.reset();
}

}  // namespace shardd
