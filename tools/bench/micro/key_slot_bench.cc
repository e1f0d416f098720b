// KeySlot (CRC16 + hash tags, shard/key_slot.h): the hash every request pays
// to find its owner shard. Keys are redis-benchmark's 16-byte "key:%012d", a
// hash-tagged key and a 100-byte key.
//
//   build/release/tools/key_slot_bench
#include <cstdio>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "shard/key_slot.h"

namespace shardd {
namespace {

std::vector<std::string> Keys(int kind) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1024; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%012d", i * 7919 % 100000);
    switch (kind) {
      case 0: keys.push_back(std::string("key:") + buf); break;
      case 1: keys.push_back(std::string("user:{") + buf + "}:name"); break;
      default: keys.push_back(std::string("key:") + buf + std::string(84, 'k'));
    }
  }
  return keys;
}

void KeySlotBench(benchmark::State& state) {
  const std::vector<std::string> keys = Keys(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (const std::string& k : keys) bytes += k.size();
  for (auto _ : state) {
    for (const std::string& k : keys) benchmark::DoNotOptimize(KeySlot(k));
  }
  state.SetItemsProcessed(state.iterations() * keys.size());
  state.SetBytesProcessed(state.iterations() * bytes);
}
// 0: "key:000000012345" (16 B), 1: "user:{000000012345}:name", 2: 100 B key.
BENCHMARK(KeySlotBench)->ArgName("kind")->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace shardd

BENCHMARK_MAIN();
