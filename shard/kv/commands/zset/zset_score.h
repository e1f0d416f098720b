// Sorted-set scores read and printed exactly as Redis 7.0 does, so that
// shardd accepts the same numbers and its replies are byte-identical.
//
//   double score;
//   if (!ParseDouble(args[2], &score)) reply.Error(kNotFloatError);
//   reply.Double(FormatScore(score));  // 0.1 -> "0.10000000000000001"
#ifndef SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_SCORE_H_
#define SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_SCORE_H_

#include <string>
#include <string_view>

namespace shardd::kv {

inline constexpr std::string_view kNaNScoreError =
    "ERR resulting score is not a number (NaN)";

// A score as Redis replies it: printf's "%.17g" ("1", "1.5",
// "0.10000000000000001", "1e+20", "inf", "-0").
std::string FormatScore(double score);

// A score as a small sorted set (Redis's listpack) stores it, which is how
// ZSCAN shows it: an integer-valued score within +-2^62 as that integer,
// anything else as FormatScore does.
std::string FormatCompactScore(double score);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_SCORE_H_
