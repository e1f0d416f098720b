// RESP request parsing speed (net/resp/request_parser.h) on a realistic
// pipeline: what redis-benchmark -P sends, alternating SET key value and GET
// key with redis-benchmark's 16-byte keys and 3- or 100-byte values. Reports
// bytes/s (MB/s) and commands/s.
//
//   build/release/tools/resp_bench
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "net/resp/request_parser.h"

namespace shardd::resp {
namespace {

void AppendBulk(std::string_view s, std::string* out) {
  out->append("$").append(std::to_string(s.size())).append("\r\n");
  out->append(s).append("\r\n");
}

// `commands` requests, half SET key value and half GET key.
std::string Pipeline(int commands, size_t value_size) {
  const std::string value(value_size, 'x');
  std::string out;
  for (int i = 0; i < commands; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "key:%012d", i * 7919 % 100000);
    if (i % 2 == 0) {
      out.append("*3\r\n");
      AppendBulk("SET", &out);
      AppendBulk(key, &out);
      AppendBulk(value, &out);
    } else {
      out.append("*2\r\n");
      AppendBulk("GET", &out);
      AppendBulk(key, &out);
    }
  }
  return out;
}

void ParsePipeline(benchmark::State& state) {
  constexpr int kCommands = 1024;
  const std::string input = Pipeline(kCommands, state.range(0));
  const ParseLimits limits;
  std::vector<std::string_view> args;
  std::string scratch;
  for (auto _ : state) {
    std::string_view rest = input;
    while (!rest.empty()) {
      ParseResult r = ParseRequest(rest, limits, &args, &scratch);
      if (r.status != ParseStatus::kComplete) {
        state.SkipWithError("parse failed");
        return;
      }
      benchmark::DoNotOptimize(args.data());
      rest.remove_prefix(r.consumed);
    }
  }
  state.SetBytesProcessed(state.iterations() * input.size());
  state.SetItemsProcessed(state.iterations() * kCommands);
  state.counters["cmds/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kCommands,
      benchmark::Counter::kIsRate);
}
BENCHMARK(ParsePipeline)->ArgName("value_bytes")->Arg(3)->Arg(100);

// The same pipeline arriving in 16-command pieces the size of one -P 16 read:
// each piece ends with an incomplete request that is parsed again later, as a
// connection does when a read stops mid-request.
void ParseInReads(benchmark::State& state) {
  constexpr int kCommands = 1024;
  const std::string input = Pipeline(kCommands, state.range(0));
  const size_t read_size = input.size() / (kCommands / 16) + 7;
  const ParseLimits limits;
  std::vector<std::string_view> args;
  std::string scratch;
  for (auto _ : state) {
    size_t start = 0;
    size_t available = 0;
    while (start < input.size()) {
      available = std::min(input.size(), available + read_size);
      for (;;) {
        std::string_view rest(input.data() + start, available - start);
        if (rest.empty()) break;
        ParseResult r = ParseRequest(rest, limits, &args, &scratch);
        if (r.status != ParseStatus::kComplete) break;
        benchmark::DoNotOptimize(args.data());
        start += r.consumed;
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * input.size());
  state.SetItemsProcessed(state.iterations() * kCommands);
}
BENCHMARK(ParseInReads)->ArgName("value_bytes")->Arg(3)->Arg(100);

}  // namespace
}  // namespace shardd::resp

BENCHMARK_MAIN();
