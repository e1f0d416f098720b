// Mailbox throughput and round-trip latency between two threads pinned to
// different CPUs (the first two this process may run on), through the same
// shard/mailbox.h ring the shards use. Only the ring is measured: messages are
// pointers to preallocated objects and the consumer does not run them.
//
//   build/release/tools/mailbox_bench                       # all
//   build/release/tools/mailbox_bench --benchmark_filter=Batch
//
// The target: >= 20M messages/s batched (16 per Publish).
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "shard/mailbox.h"
#include "shard/message.h"

namespace shardd {
namespace {

constexpr size_t kCapacity = 4096;  // shardd's --mailbox_capacity default

struct NopMessage : Message {
  void Run() override {}
};

// The i-th CPU of the calling thread's affinity mask, or -1 if it has fewer.
int AllowedCpu(int i) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set) && i-- == 0) return cpu;
  }
  return -1;
}

void PinCurrentThread(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

// Restores the benchmark thread's CPU mask when a benchmark ends.
class ScopedPin {
 public:
  explicit ScopedPin(int cpu) {
    pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_);
    PinCurrentThread(cpu);
  }
  ~ScopedPin() { pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_); }

 private:
  cpu_set_t saved_;
};

// Producer on CPU 0 pushes `batch` messages per Publish; a consumer thread on
// CPU 1 drains the ring in a loop. One benchmark iteration is one batch.
void Throughput(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  const int consumer_cpu = AllowedCpu(1);  // before pinning narrows the mask
  ScopedPin pin(AllowedCpu(0));
  Mailbox box(kCapacity);
  std::vector<NopMessage> messages(kCapacity);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> consumed{0};
  std::thread consumer([&] {
    PinCurrentThread(consumer_cpu);
    uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed) || box.HasMessages()) {
      n += box.ConsumeAll([](Message* m) { benchmark::DoNotOptimize(m); });
    }
    consumed.store(n);
  });
  uint64_t pushed = 0;
  for (auto _ : state) {
    for (int i = 0; i < batch; ++i) {
      Message* m = &messages[pushed++ & (kCapacity - 1)];
      while (!box.TryPush(m)) {
        box.Publish();  // a full ring: let the consumer see what we have
      }
    }
    box.Publish();
  }
  stop.store(true);
  consumer.join();
  if (consumed.load() != pushed) state.SkipWithError("lost messages");
  state.SetItemsProcessed(static_cast<int64_t>(pushed));
  state.counters["msgs/s"] =
      benchmark::Counter(static_cast<double>(pushed), benchmark::Counter::kIsRate);
}
BENCHMARK(Throughput)->ArgName("per_publish")->Arg(1)->Arg(16)->UseRealTime();

// One message there and one back through two rings; an iteration is a round
// trip, so the reported time is the cross-core round-trip latency.
void PingPong(benchmark::State& state) {
  const int echo_cpu = AllowedCpu(1);
  ScopedPin pin(AllowedCpu(0));
  Mailbox there(kCapacity);
  Mailbox back(kCapacity);
  NopMessage message;
  std::atomic<bool> stop{false};
  std::thread echo([&] {
    PinCurrentThread(echo_cpu);
    while (!stop.load(std::memory_order_relaxed)) {
      if (!there.HasMessages()) continue;
      there.ConsumeAll([&](Message* m) { back.TryPush(m); });
      back.Publish();
    }
  });
  for (auto _ : state) {
    there.TryPush(&message);
    there.Publish();
    while (!back.HasMessages()) {
    }
    back.ConsumeAll([](Message* m) { benchmark::DoNotOptimize(m); });
  }
  stop.store(true);
  echo.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(PingPong)->UseRealTime();

}  // namespace
}  // namespace shardd

BENCHMARK_MAIN();
