#include "shard/kv/commands/zset/zset_range_spec.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "shard/kv/commands/arg_parsing.h"

namespace shardd::kv {
namespace {

bool ParseScoreBound(std::string_view text, double* value, bool* exclusive) {
  *exclusive = !text.empty() && text[0] == '(';
  if (*exclusive) text.remove_prefix(1);
  // Redis runs strtod on the C string: what follows a NUL is never seen,
  // leading spaces are skipped and an empty string is 0.
  const std::string terminated(UpToNul(text));
  char* end = nullptr;
  *value = std::strtod(terminated.c_str(), &end);
  return *end == '\0' && !std::isnan(*value);
}

bool ParseLexBound(std::string_view text, LexBound* bound) {
  if (text.empty()) return false;
  // Redis checks "+"/"-" as C strings: a NUL right after the sign ends them.
  const bool lone = text.size() == 1 || text[1] == '\0';
  switch (text[0]) {
    case '+':
      *bound = {LexBound::Kind::kPlusInfinity, {}, true};
      return lone;
    case '-':
      *bound = {LexBound::Kind::kMinusInfinity, {}, true};
      return lone;
    case '(':
    case '[':
      *bound = {LexBound::Kind::kValue, text.substr(1), text[0] == '('};
      return true;
    default:
      return false;
  }
}

// <0, 0, >0 as `member` sorts before, at or after `bound`.
int CompareToBound(std::string_view member, const LexBound& bound) {
  switch (bound.kind) {
    case LexBound::Kind::kMinusInfinity:
      return 1;
    case LexBound::Kind::kPlusInfinity:
      return -1;
    case LexBound::Kind::kValue:
      break;
  }
  return member.compare(bound.value);  // byte-wise, as memcmp
}

}  // namespace

bool ParseScoreRange(std::string_view min, std::string_view max,
                     ScoreRange* range) {
  return ParseScoreBound(min, &range->min, &range->min_exclusive) &&
         ParseScoreBound(max, &range->max, &range->max_exclusive);
}

bool ParseLexRange(std::string_view min, std::string_view max,
                   LexRange* range) {
  return ParseLexBound(min, &range->min) && ParseLexBound(max, &range->max);
}

bool LexRange::BelowMin(std::string_view member) const {
  const int order = CompareToBound(member, min);
  return min.exclusive ? order <= 0 : order < 0;
}

bool LexRange::AboveMax(std::string_view member) const {
  const int order = CompareToBound(member, max);
  return max.exclusive ? order >= 0 : order > 0;
}

}  // namespace shardd::kv
