// Long double numbers read and printed exactly as Redis does for HINCRBYFLOAT
// (and INCRBYFLOAT): strtold to parse, "%.17Lf" with trailing zeros trimmed
// to print, so that results are byte-identical and read back unchanged.
//
//   long double value;
//   if (ParseLongDouble(args[3], &value)) reply.Bulk(FormatLongDouble(value));
#ifndef SHARDD_SHARD_KV_COMMANDS_LONG_DOUBLE_H_
#define SHARDD_SHARD_KV_COMMANDS_LONG_DOUBLE_H_

#include <string>
#include <string_view>

namespace shardd::kv {

// Redis's string2ld: all of `text` must be a number for strtold (so "1e3",
// "0x1p4" and "inf" are fine), with no leading space, not NaN, shorter than
// 5 KiB, and not so large or small that strtold gives up (ERANGE with an
// infinite or zero result).
bool ParseLongDouble(std::string_view text, long double* value);

// Redis's ld2string in its "human" mode: 17 decimals in fixed notation
// (never an exponent), trailing zeros and point removed, "-0" as "0".
// `value` must be finite.
std::string FormatLongDouble(long double value);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_LONG_DOUBLE_H_
