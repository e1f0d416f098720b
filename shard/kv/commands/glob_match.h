// Glob-style pattern matching with exactly the rules of Redis's stringmatchlen
// (KEYS, SCAN, HSCAN, SSCAN ... MATCH), quirks included, so that a pattern
// selects the same names in shardd as in Redis:
//
//   *        any run of bytes; ?  any one byte; \x  the byte x
//   [abc]    one of the listed bytes; [^abc] none of them; [a-z] a range (its
//            ends may come in either order); \] inside a class is a literal
//
// The quirks: a class with no closing bracket ends at the end of the pattern;
// in "[a-]" the "-" starts a range that ends at "]"; bytes compare as signed
// chars, so a range with a byte >= 0x80 at one end only spans what signed
// order puts between its ends; and an empty text matches nothing but the
// empty pattern ("*" does not match "", which is why callers treat a lone
// "*" as "no filter", as Redis does).
//
//   if (GlobMatch("user:*", key)) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_GLOB_MATCH_H_
#define SHARDD_SHARD_KV_COMMANDS_GLOB_MATCH_H_

#include <string_view>

namespace shardd::kv {

// True if `text` matches `pattern` (case-sensitive, byte-wise).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_GLOB_MATCH_H_
