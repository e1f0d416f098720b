// The cardinality estimate of a HyperLogLog from the histogram of its
// register values: Redis 7's estimator (Otmar Ertl's "improved raw
// estimator", with its sigma and tau corrections for registers still at 0
// and registers at the maximum), computed in the same order with the same
// double arithmetic, so that PFCOUNT gives Redis's exact numbers.
//
//   HllHistogram histogram{};
//   for (uint8_t value : registers) ++histogram[value];
//   uint64_t cardinality = HllEstimate(histogram);
#ifndef SHARDD_SHARD_KV_COMMANDS_HLL_HLL_ESTIMATE_H_
#define SHARDD_SHARD_KV_COMMANDS_HLL_HLL_ESTIMATE_H_

#include <array>
#include <cstdint>

namespace shardd::kv {

// How many registers hold each value. A register has 6 bits, so 64 slots,
// though a well-formed sketch never goes past 51 (hll_sketch.h).
using HllHistogram = std::array<int, 64>;

// The estimate for the 16384 registers `histogram` counts.
uint64_t HllEstimate(const HllHistogram& histogram);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_HLL_HLL_ESTIMATE_H_
