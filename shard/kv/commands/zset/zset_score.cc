#include "shard/kv/commands/zset/zset_score.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace shardd::kv {

std::string FormatScore(double score) {
  // 24 bytes hold the longest "%.17g" output, e.g. "-1.2345678901234567e-308".
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof(buffer), "%.17g", score);
  return std::string(buffer, static_cast<size_t>(length));
}

std::string FormatCompactScore(double score) {
  // Redis's listpack keeps such scores as integers; 2^62 is the limit of its
  // double-to-integer conversion.
  constexpr double kLimit = 4611686018427387904.0;  // 2^62
  if (score >= -kLimit && score <= kLimit && score == std::trunc(score)) {
    return std::to_string(static_cast<int64_t>(score));
  }
  return FormatScore(score);
}

}  // namespace shardd::kv
