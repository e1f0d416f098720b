// The score and lexicographic intervals of the sorted-set range commands
// (ZRANGE BYSCORE/BYLEX, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*), parsed with Redis's
// rules: "(1" excludes 1, "-inf"/"+inf" are unbounded; "[a" includes "a",
// "(a" excludes it, "-" and "+" are below and above every member.
//
//   ScoreRange range;
//   if (!ParseScoreRange(args[2], args[3], &range))
//   reply.Error(kScoreRangeError); if (!range.BelowMin(score) &&
//   !range.AboveMax(score)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_RANGE_SPEC_H_
#define SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_RANGE_SPEC_H_

#include <string_view>

namespace shardd::kv {

inline constexpr std::string_view kScoreRangeError =
    "ERR min or max is not a float";
inline constexpr std::string_view kLexRangeError =
    "ERR min or max not valid string range item";

struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool BelowMin(double score) const {
    return min_exclusive ? score <= min : score < min;
  }
  bool AboveMax(double score) const {
    return max_exclusive ? score >= max : score > max;
  }
};

// Each bound is a number for strtod, optionally after "(". Like Redis it
// reads only up to a NUL byte and takes "" (or a lone "(") as 0.
bool ParseScoreRange(std::string_view min, std::string_view max,
                     ScoreRange* range);

struct LexBound {
  enum class Kind { kMinusInfinity, kValue, kPlusInfinity };
  Kind kind = Kind::kValue;
  std::string_view value;  // a view of the argument; only for kValue
  bool exclusive = false;
};

// Views into the arguments it was parsed from.
struct LexRange {
  LexBound min;
  LexBound max;

  bool BelowMin(std::string_view member) const;
  bool AboveMax(std::string_view member) const;
};

bool ParseLexRange(std::string_view min, std::string_view max, LexRange* range);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_ZSET_ZSET_RANGE_SPEC_H_
