#include "shard/kv/commands/glob_match.h"

#include <utility>

namespace shardd::kv {
namespace {

// Reads the class that `pattern` starts with (just after its "["), removes it
// from `pattern`, and says whether `c` belongs to it.
bool ClassMatches(std::string_view& pattern, char c) {
  const bool negated = !pattern.empty() && pattern[0] == '^';
  if (negated) pattern.remove_prefix(1);
  bool member = false;
  while (!pattern.empty()) {
    if (pattern[0] == '\\' && pattern.size() >= 2) {
      member |= pattern[1] == c;
      pattern.remove_prefix(2);
    } else if (pattern[0] == ']') {
      pattern.remove_prefix(1);
      break;
    } else if (pattern.size() >= 3 && pattern[1] == '-') {
      // Plain (signed) char comparisons, as Redis makes them.
      char low = pattern[0];
      char high = pattern[2];
      if (low > high) std::swap(low, high);
      member |= c >= low && c <= high;
      pattern.remove_prefix(3);
    } else {
      member |= pattern[0] == c;
      pattern.remove_prefix(1);
    }
  }
  return member != negated;
}

// Redis (since 7.0.9) gives up, reporting no match, past this many nested
// "*": the recursion would otherwise let one client's pattern overflow the
// shard's stack.
constexpr int kMaxNesting = 1000;

// `no_later_match` is set once the pattern after some "*" matched no suffix
// of the text: then a longer match for an earlier "*" cannot help either, so
// every pending "*" gives up at once. Without this, patterns such as
// "*a*a*a*b" take exponential time on long texts.
bool Match(std::string_view pattern, std::string_view text,
           bool* no_later_match, int nesting) {
  if (nesting > kMaxNesting) {
    *no_later_match = true;
    return false;
  }
  while (!pattern.empty() && !text.empty()) {
    switch (pattern[0]) {
      case '*': {
        while (pattern.size() >= 2 && pattern[1] == '*')
          pattern.remove_prefix(1);
        if (pattern.size() == 1) return true;
        const std::string_view rest = pattern.substr(1);
        for (; !text.empty(); text.remove_prefix(1)) {
          if (Match(rest, text, no_later_match, nesting + 1)) return true;
          if (*no_later_match) return false;
        }
        *no_later_match = true;
        return false;
      }
      case '?':
        pattern.remove_prefix(1);
        break;
      case '[':
        pattern.remove_prefix(1);
        if (!ClassMatches(pattern, text[0])) return false;
        break;
      case '\\':
        // A trailing backslash stands for itself.
        if (pattern.size() >= 2) pattern.remove_prefix(1);
        [[fallthrough]];
      default:
        if (pattern[0] != text[0]) return false;
        pattern.remove_prefix(1);
        break;
    }
    text.remove_prefix(1);
    if (text.empty()) {
      while (!pattern.empty() && pattern[0] == '*') pattern.remove_prefix(1);
    }
  }
  return pattern.empty() && text.empty();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  bool no_later_match = false;
  return Match(pattern, text, &no_later_match, /*nesting=*/0);
}

}  // namespace shardd::kv
