// Store lookups (shard/kv/store/store.h) the way a pipelined batch makes them:
// 16 random keys of redis-benchmark's shape ("key:%012d", 3-byte values) looked
// up one after another, either as they come or after the two prefetch
// passes the RESP session, the mailbox drain and multi-key commands make
// (Store::PrefetchKeys: PrefetchSlot for all 16, then PrefetchNode for all
// 16, unless the table is small enough for the caches), or after both steps
// whatever the size. The keyspace sizes show when the table and nodes stop
// fitting in the caches; redis-benchmark -r 100000 is 1e5.
//
//   build/release/tools/store_bench
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "benchmark/benchmark.h"
#include "shard/kv/store/store.h"

namespace shardd::kv {
namespace {

constexpr int64_t kNow = 1'000'000;
constexpr size_t kBatch = 16;

std::string KeyAt(int64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key:%012lld", static_cast<long long>(i));
  return buf;
}

struct Fixture {
  explicit Fixture(int64_t keys) {
    for (int64_t i = 0; i < keys; ++i) store.SetString(KeyAt(i), "xxx", 0);
    std::mt19937_64 random(42);
    std::uniform_int_distribution<int64_t> pick(0, keys - 1);
    for (int i = 0; i < 1 << 16; ++i) lookups.push_back(KeyAt(pick(random)));
    views.assign(lookups.begin(), lookups.end());
  }
  Store store;
  std::vector<std::string> lookups;  // random order, as the client sends
  std::vector<std::string_view> views;  // of lookups
};

enum class Prefetch { kNone, kAsServed, kAlways };

void Lookups(benchmark::State& state, Prefetch prefetch) {
  Fixture f(state.range(0));
  size_t next = 0;
  for (auto _ : state) {
    const std::string_view* batch = &f.views[next];
    if (prefetch == Prefetch::kAsServed) {
      f.store.PrefetchKeys(absl::MakeConstSpan(batch, kBatch), 0);
    } else if (prefetch == Prefetch::kAlways) {
      Store::HashedKey keys[kBatch];
      for (size_t i = 0; i < kBatch; ++i) {
        keys[i] = Store::Hashed(batch[i]);
        f.store.PrefetchSlot(keys[i]);
      }
      for (size_t i = 0; i < kBatch; ++i) f.store.PrefetchNode(keys[i]);
    }
    for (size_t i = 0; i < kBatch; ++i) {
      const Entry* entry = f.store.Find(batch[i], kNow);
      benchmark::DoNotOptimize(entry->string().data());
    }
    next = (next + kBatch) % f.lookups.size();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void FindInOrder(benchmark::State& state) { Lookups(state, Prefetch::kNone); }
// As the server does: both steps, unless the table is small enough for the
// caches (Store::PrefetchPays).
void FindAfterPrefetch(benchmark::State& state) {
  Lookups(state, Prefetch::kAsServed);
}
// Both steps whatever the table's size: what that choice saves.
void FindAfterPrefetchAlways(benchmark::State& state) {
  Lookups(state, Prefetch::kAlways);
}

void KeyCounts(benchmark::internal::Benchmark* b) {
  b->ArgName("keys")->Arg(1000)->Arg(16384)->Arg(100000)->Arg(1000000);
}
BENCHMARK(FindInOrder)->Apply(KeyCounts);
BENCHMARK(FindAfterPrefetch)->Apply(KeyCounts);
BENCHMARK(FindAfterPrefetchAlways)->Apply(KeyCounts);

}  // namespace
}  // namespace shardd::kv

BENCHMARK_MAIN();
