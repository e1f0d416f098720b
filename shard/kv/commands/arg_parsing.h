// Command arguments read as Redis reads them: integers with exactly its rules
// (its string2ll), so that shardd accepts and rejects the same numbers, and
// option names in any case.
//
//   int64_t n;
//   if (!ParseInt64(args[2], &n)) reply.Error(kNotIntegerError);
//   if (EqualsIgnoreCase(args[3], "NX")) ...
#ifndef SHARDD_SHARD_KV_COMMANDS_ARG_PARSING_H_
#define SHARDD_SHARD_KV_COMMANDS_ARG_PARSING_H_

#include <cstdint>
#include <string_view>

namespace shardd::kv {

// Parses a decimal int64. Accepts only an optional '-' followed by digits with
// no leading zero ("0" itself is fine), covering the whole int64 range.
// Rejects "", "+1", " 1", "1 ", "01", "-0" and out-of-range values.
bool ParseInt64(std::string_view text, int64_t* value);

// Parses a double as Redis's getDoubleFromObject does (scores, weights,
// coordinates, radii): all of `text` must be a number for C's strtod
// ("1e3", "0x10", "inf" and "-inf" are fine), with no leading space, not
// NaN, and not out of double's range ("1e400", "1e-400").
bool ParseDouble(std::string_view text, double* value);

// `text` up to its first NUL byte: what Redis's C string functions (strtod,
// strchr, strcoll, printf's %s) see of an argument.
inline std::string_view UpToNul(std::string_view text) {
  return text.substr(0, text.find('\0'));
}

// ASCII case-insensitive equality, as Redis's strcasecmp on option names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A size as Redis's configuration writes it: bytes, or with a unit, k/m/g
// (10^3, 10^6, 10^9) or kb/mb/gb (2^10, 2^20, 2^30), in any case.
bool ParseMemorySize(std::string_view text, uint64_t* bytes);

// A name CLIENT SETNAME and HELLO ... SETNAME accept: printable ASCII with
// no space (empty clears the name).
bool IsValidClientName(std::string_view name);
inline constexpr std::string_view kInvalidClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_ARG_PARSING_H_
