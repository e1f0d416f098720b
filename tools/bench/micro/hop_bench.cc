// What a command costs the shards when it stays local and when it hops,
// measured in-process: the real CommandRouter and KvService on pinned shard
// threads, no sockets, so the kernel's TCP stack adds nothing and the
// numbers hold still on a busy machine. Coroutines stand in for
// connections: each routes a batch of commands as a session would (route
// the batch, then wait until every reply is in), again and again. The
// process's CPU time (every thread: the owners' work counts) is divided by
// the commands routed.
//
// Each workload runs twice:
//   one connection, on shard 0: a ping-pong. Both shards go idle between
//     round trips, so a hop pays for waking its owner and being woken back.
//   --connections on every shard, each sending to the next shard (uniform
//     keys, as in a server with clients on every shard): the shards stay
//     busy, and what is left is what a hop itself costs.
//
//   build/release/tools/hop_bench                     # 400,000 per run
//   build/release/tools/hop_bench --commands=2000     # a smoke run
//   build/release/tools/hop_bench --only=remote       # some workloads
//   build/release/tools/hop_bench --one_thread        # shards on one thread
//
// Shards are pinned to the process's allowed CPUs in turn: on a 2-CPU
// machine the two shards of the GET workloads have a CPU each and the four
// of the MGET workload share two. Before and after the runs it prints how
// long a cache line takes to cross between the first two CPUs.
#include <jemalloc/jemalloc.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gflags/gflags.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/kv_service.h"
#include "shard/shard_set.h"
#include "shard/stats/monotonic_clock.h"
#include "shard/timer.h"

DEFINE_uint64(commands, 400'000, "commands routed per workload and run");
DEFINE_uint64(connections, 16,
              "connections on each shard in the second run of a workload");
DEFINE_string(only, "", "run only the workloads whose name contains this");
DEFINE_bool(tsc_clock, true,
            "read the CPU's time-stamp counter for the per-command clock "
            "where shardd would (false: clock_gettime, as before it did)");
DEFINE_bool(ping_pong, true, "run the one-connection run of each workload");
DEFINE_bool(one_thread, false,
            "run every shard of a workload on the first allowed CPU, on one "
            "thread, as shardd does with shards that share a CPU: a command "
            "for another shard then runs in place, with no hop");
DEFINE_uint32(idle_poll_time_us, 0,
              "as shardd's flag: how long an idle shard polls before it "
              "sleeps (the MGET workloads' four shards share two CPUs here, "
              "so it is applied only where shards have a CPU each)");

namespace shardd::kv {
namespace {

struct Workload {
  std::string name;
  uint32_t shards;
  size_t batch;  // commands a connection routes before waiting for replies
  // The command a connection on `shard` sends.
  // The command connection `connection` of shard `shard` sends.
  std::function<std::vector<std::string>(uint32_t shard, size_t connection)>
      command_for;
};

struct Measured {
  double cpu_ns = 0;   // per command, all threads
  double wall_ns = 0;  // per command
  double wakeups = 0;  // per 1,000 commands: a shard woke a sleeping one
  double allocated = 0;  // bytes the shards allocated per command
};

// A key shard `shard` owns when there are `shards` shards.
std::string KeyOwnedBy(uint32_t shard, uint32_t shards, int from = 0) {
  for (int i = from;; ++i) {
    std::string key = absl::StrCat("key:", i);
    if (ShardSet::OwnerOf(key, shards) == shard) return key;
  }
}

// Bytes the calling thread has allocated so far (jemalloc's count).
uint64_t ThreadAllocated() {
  uint64_t bytes = 0;
  size_t size = sizeof(bytes);
  if (mallctl("thread.allocated", &bytes, &size, nullptr, 0) != 0) return 0;
  return bytes;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

// Between the main thread and the shards' drivers: every shard warms up,
// all start the measured pass when the main thread says so, and the last
// to finish it notes the time. Each shard notes its own wake-ups when it
// starts and once every pass is over.
struct Start {
  explicit Start(uint32_t shards)
      : shards(shards),
        wakeups_at_go(shards),
        wakeups_at_end(shards),
        allocated_at_go(shards),
        allocated_at_end(shards) {}
  const uint32_t shards;
  std::atomic<uint32_t> warmed{0};
  std::atomic<bool> go{false};
  std::atomic<uint32_t> finished{0};
  double cpu_end = 0;  // by the last to finish (read after `done`)
  std::chrono::steady_clock::time_point wall_end;
  std::vector<uint64_t> wakeups_at_go;
  std::vector<uint64_t> wakeups_at_end;
  std::vector<uint64_t> allocated_at_go;   // ThreadAllocated(), each shard
  std::vector<uint64_t> allocated_at_end;
};

uint64_t WakeupsSent(const Reactor& reactor) {
  uint64_t total = 0;
  for (const stats::PeerCounters& peer : reactor.stats().peers) {
    total += peer.wakeups_sent;
  }
  return total;
}

// The connections of one shard's pass: how many still route, and the
// driver waiting for the last of them.
struct Pass {
  size_t running = 0;
  std::coroutine_handle<> waiter;
};

struct AllDone {
  Pass& pass;
  bool await_ready() const { return pass.running == 0; }
  void await_suspend(std::coroutine_handle<> waiter) { pass.waiter = waiter; }
  void await_resume() const {}
};

Task<void> Connection(KvService& service, std::vector<std::string> command,
                      size_t batch, size_t commands, uint64_t client_id,
                      Pass& pass) {
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, client_id);
  const std::vector<std::string_view> args(command.begin(), command.end());
  for (size_t done = 0; done < commands; done += batch) {
    // As a session does: a command whose keys span shards (MGET over four)
    // runs as one atomic step once every reply before it is in.
    for (size_t i = 0; i < batch; ++i) {
      const CommandRouter::Next next = router.Route(args);
      if (next == CommandRouter::Next::kContinue) continue;
      // Refused for lack of credit: this driver does not handle it.
      if (next != CommandRouter::Next::kDeferred) std::abort();
      co_await router.Settle();
      output += co_await router.RunDeferred(args);
    }
    co_await router.Settle();
    output.clear();
  }
  if (--pass.running == 0 && pass.waiter) {
    Reactor::Current()->Schedule(std::exchange(pass.waiter, nullptr));
  }
}

Task<void> RunPass(KvService& service, const Workload& workload,
                   size_t connections, size_t each) {
  Pass pass{.running = connections};
  const uint32_t shard = Reactor::Current()->shard_id();
  const uint64_t first_id = shard * 1000 + 2;
  for (size_t c = 0; c < connections; ++c) {
    Reactor::Current()->Spawn(
        Connection(service, workload.command_for(shard, c), workload.batch,
                   each, first_id + c, pass));
  }
  co_await AllDone{pass};
}

// One shard's part: its keys get values, a warm-up pass fills the pools,
// then the measured pass once every shard is warm.
Task<void> Drive(KvService& service, const Workload& workload,
                 size_t connections, size_t each, Start& start,
                 std::promise<void>& done) {
  const uint32_t shard = Reactor::Current()->shard_id();
  if (connections > 0) {
    std::string output;
    ReplyQueue queue(&output);
    CommandRouter router(service.shards(), service, queue, /*client_id=*/1);
    for (size_t c = 0; c < connections; ++c) {
      const std::vector<std::string> command = workload.command_for(shard, c);
      for (size_t i = 1; i < command.size(); ++i) {
        const std::vector<std::string_view> set = {"SET", command[i], "v"};
        // Deferred when another shard's warm-up holds the key locked.
        if (router.Route(set) == CommandRouter::Next::kDeferred) {
          co_await router.Settle();
          output += co_await router.RunDeferred(set);
        }
        co_await router.Settle();
        output.clear();
      }
    }
    co_await RunPass(service, workload, connections,
                     each / 10 + workload.batch);
  }
  start.warmed.fetch_add(1);
  while (!start.go.load()) {
    if (!co_await Delay(absl::Milliseconds(1))) co_return;
  }
  start.wakeups_at_go[Reactor::Current()->shard_id()] =
      WakeupsSent(*Reactor::Current());
  start.allocated_at_go[Reactor::Current()->shard_id()] = ThreadAllocated();
  if (connections > 0) co_await RunPass(service, workload, connections, each);
  if (start.finished.fetch_add(1) + 1 == start.shards) {
    start.cpu_end = CpuSeconds();
    start.wall_end = std::chrono::steady_clock::now();
  }
  // Other shards' connections may still need this one.
  while (start.finished.load() < start.shards) {
    if (!co_await Delay(absl::Milliseconds(1))) co_return;
  }
  start.wakeups_at_end[Reactor::Current()->shard_id()] =
      WakeupsSent(*Reactor::Current());
  start.allocated_at_end[Reactor::Current()->shard_id()] = ThreadAllocated();
  done.set_value();
}

// `connections[s]` connections on shard s, `total` commands in all.
Measured Run(const Workload& workload, const std::vector<size_t>& connections,
             const std::vector<int>& cpus) {
  size_t all_connections = 0;
  for (size_t c : connections) all_connections += c;
  const size_t each =
      (FLAGS_commands / all_connections + workload.batch - 1) /
      workload.batch * workload.batch;
  KvService service(KvOptions{}, workload.shards);
  const bool own_cpus = cpus.size() >= workload.shards;
  // Unless --one_thread, a thread per shard even where shards outnumber
  // the CPUs: the allocation column counts per thread, and the MGET rows
  // stay comparable with the measurements before shards that share a CPU
  // shared a thread.
  ShardSet set(
      {.shard_count = workload.shards,
       .cpus = cpus,
       .idle_poll_ns = own_cpus ? FLAGS_idle_poll_time_us * 1000ull : 0,
       .share_cpu_threads = FLAGS_one_thread});
  Start start(workload.shards);
  std::vector<std::promise<void>> done(workload.shards);
  if (!set.Start([&](Reactor& r) {
        r.Spawn(Drive(service, workload, connections[r.shard_id()], each,
                      start, done[r.shard_id()]));
      }).ok()) {
    std::fprintf(stderr, "hop_bench: the shards did not start\n");
    std::exit(1);
  }
  while (start.warmed.load() < workload.shards) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double cpu_start = CpuSeconds();
  const auto wall_start = std::chrono::steady_clock::now();
  start.go.store(true);
  for (std::promise<void>& shard_done : done) shard_done.get_future().wait();
  set.Stop();
  const double commands = static_cast<double>(each * all_connections);
  uint64_t wakeups = 0;
  uint64_t allocated = 0;
  for (uint32_t s = 0; s < workload.shards; ++s) {
    wakeups += start.wakeups_at_end[s] - start.wakeups_at_go[s];
    allocated += start.allocated_at_end[s] - start.allocated_at_go[s];
  }
  return {.cpu_ns = (start.cpu_end - cpu_start) * 1e9 / commands,
          .wall_ns = std::chrono::duration<double, std::nano>(start.wall_end -
                                                              wall_start)
                         .count() /
                     commands,
          .wakeups = static_cast<double>(wakeups) * 1000 / commands,
          .allocated = static_cast<double>(allocated) / commands};
}

// How long one cache line takes to travel from CPU `a` to CPU `b`: two
// pinned threads hand a counter back and forth. What a hop costs beyond a
// local command is mostly such transfers, and a VM's two CPUs may be
// neighbours on one host or far apart (47 against 210 ns on this project's
// VM within one day), which moves the remote rows with them.
double LineTransferNanos(int a, int b) {
  constexpr int64_t kHandoffs = 200'000;
  alignas(64) std::atomic<int64_t> turn{0};
  auto pin = [](int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
  };
  // Each side waits for the other's value, then writes the next one.
  auto play = [&turn](int64_t first) {
    for (int64_t i = first; i < kHandoffs; i += 2) {
      while (turn.load(std::memory_order_acquire) != i) {
      }
      turn.store(i + 1, std::memory_order_release);
    }
  };
  cpu_set_t before;
  pthread_getaffinity_np(pthread_self(), sizeof(before), &before);
  std::thread other([&] {
    pin(b);
    play(1);
  });
  pin(a);
  const auto from = std::chrono::steady_clock::now();
  play(0);
  other.join();
  const auto to = std::chrono::steady_clock::now();
  pthread_setaffinity_np(pthread_self(), sizeof(before), &before);
  return std::chrono::duration<double, std::nano>(to - from).count() /
         kHandoffs;
}

void PrintLineTransfer(const std::vector<int>& cpus, const char* when) {
  if (cpus.size() < 2) return;
  std::printf("a cache line from CPU %d to CPU %d (%s): %.0f ns\n", cpus[0],
              cpus[1], when, LineTransferNanos(cpus[0], cpus[1]));
}

void RunAll() {
  std::vector<int> cpus = ShardSet::AllowedCpus();
  if (FLAGS_one_thread) cpus.resize(1);
  PrintLineTransfer(cpus, "before the runs");
  auto local = [](uint32_t shard, size_t) {
    return std::vector<std::string>{"GET", KeyOwnedBy(shard, 2)};
  };
  auto remote = [](uint32_t shard, size_t) {
    return std::vector<std::string>{"GET", KeyOwnedBy((shard + 1) % 2, 2)};
  };
  // Each connection its own ten keys, as uniform random keys would be:
  // MGET locks its keys (an atomic step), and ten keys every connection
  // shared would measure only their lock queues.
  auto spread = [](uint32_t shard, size_t connection) {
    std::vector<std::string> mget = {"MGET"};
    const size_t base = (shard * 64 + connection) * 10000;
    for (size_t i = 0; i < 10; ++i) {
      mget.push_back(
          KeyOwnedBy(static_cast<uint32_t>(i % 4), 4,
                     static_cast<int>(base + i * 1000)));
    }
    return mget;
  };
  const std::vector<Workload> workloads = {
      {"local GET", 2, 1, local},
      {"local GET, batches of 16", 2, 16, local},
      {"remote GET", 2, 1, remote},
      {"remote GET, batches of 16", 2, 16, remote},
      {"MGET of 10 keys over 4 shards", 4, 1, spread},
      {"MGET of 10 keys over 4 shards, batches of 16", 4, 16, spread},
  };
  std::printf("%llu commands per run; shards pinned to CPUs",
              static_cast<unsigned long long>(FLAGS_commands));
  for (const int cpu : cpus) std::printf(" %d", cpu);
  std::printf(
      "\n\nCPU: ns per command, all threads; wall: ns per command; wake-ups:"
      " of a sleeping shard, per 1,000 commands; alloc: bytes the shards "
      "allocated per command\n\n"
      "| workload | 1 connection: CPU | wall | wake-ups | %llu per shard: CPU "
      "| wall | wake-ups | alloc |\n"
      "|---|---|---|---|---|---|---|---|\n",
      static_cast<unsigned long long>(FLAGS_connections));
  double local_batched = 0;
  double remote_batched = 0;
  for (const Workload& workload : workloads) {
    if (workload.name.find(FLAGS_only) == std::string::npos) continue;
    std::vector<size_t> one(workload.shards, 0);
    one[0] = 1;
    const std::vector<size_t> busy(workload.shards, FLAGS_connections);
    const Measured a = FLAGS_ping_pong ? Run(workload, one, cpus) : Measured{};
    const Measured b = Run(workload, busy, cpus);
    // (One thread's allocation counter, read by each shard at its own
    // start and end, would be counted once per shard.)
    const std::string allocated =
        FLAGS_one_thread ? "-" : absl::StrFormat("%.1f", b.allocated);
    std::printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n",
                workload.name.c_str(), a.cpu_ns, a.wall_ns, a.wakeups, b.cpu_ns,
                b.wall_ns, b.wakeups, allocated.c_str());
    std::fflush(stdout);
    if (workload.name == "local GET, batches of 16") local_batched = b.cpu_ns;
    if (workload.name == "remote GET, batches of 16") remote_batched = b.cpu_ns;
  }
  std::printf("\n");
  PrintLineTransfer(cpus, "after the runs");
  if (local_batched > 0 && remote_batched > 0) {
    std::printf("\nremote/local GET in batches of 16, busy shards: %.2fx "
                "(target <= 1.5x)\n",
                remote_batched / local_batched);
  }
}

}  // namespace
}  // namespace shardd::kv

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  // The clock the server reads once per command, as shardd sets it up.
  if (FLAGS_tsc_clock) shardd::stats::CalibrateMonotonicClock();
  shardd::kv::RunAll();
  return 0;
}
