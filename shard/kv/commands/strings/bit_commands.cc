// SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP: a string read as an array of
// bits. Bit 0 is the most significant bit of byte 0, as in Redis, so that
// SETBIT k 0 1 makes "\x80".
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/commands/typed_lookup.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kBitValueError =
    "ERR bit is not an integer or out of range";
constexpr std::string_view kBitposBitError =
    "ERR The bit argument must be 1 or 0.";
constexpr std::string_view kBitopNotError =
    "ERR BITOP NOT must be called with a single source key.";

// A bit offset that SETBIT could reach without the string outgrowing
// kMaxStringBytes (proto-max-bulk-len): with 512 MiB that is 0..2^32-1.
// GETBIT refuses the same offsets, as Redis does, though it never grows.
bool ParseBitOffset(std::string_view text, uint64_t* offset) {
  int64_t value;
  if (!ParseInt64(text, &value) || value < 0 ||
      static_cast<uint64_t>(value) / 8 >= kMaxStringBytes) {
    return false;
  }
  *offset = static_cast<uint64_t>(value);
  return true;
}

// The bit at `offset` of `value`; bits past the end read as 0.
int BitAt(std::string_view value, uint64_t offset) {
  const uint64_t byte = offset / 8;
  if (byte >= value.size()) return 0;
  const auto bits = static_cast<unsigned char>(value[byte]);
  return (bits >> (7 - offset % 8)) & 1;
}

// Set bits in `bytes`, a word at a time where it can: bitmaps are often
// large (up to 512 MiB), and BITCOUNT reads them whole.
uint64_t CountOnes(std::string_view bytes) {
  uint64_t count = 0;
  size_t i = 0;
  for (; i + sizeof(uint64_t) <= bytes.size(); i += sizeof(uint64_t)) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, sizeof(word));
    count += std::popcount(word);
  }
  for (; i < bytes.size(); ++i) {
    count += std::popcount(static_cast<unsigned char>(bytes[i]));
  }
  return count;
}

// Set bits at positions first..last (inclusive, both within `value`).
uint64_t CountOnesInBits(std::string_view value, uint64_t first,
                         uint64_t last) {
  const size_t first_byte = first / 8;
  const size_t last_byte = last / 8;
  uint64_t count =
      CountOnes(value.substr(first_byte, last_byte - first_byte + 1));
  // Whole end bytes were counted; take back their bits outside the range.
  const auto head = static_cast<unsigned char>(value[first_byte]);
  const auto tail = static_cast<unsigned char>(value[last_byte]);
  count -= std::popcount(static_cast<unsigned char>(head >> (8 - first % 8)));
  count -= std::popcount(
      static_cast<unsigned char>(tail & ((1u << (7 - last % 8)) - 1)));
  return count;
}

// The first position in first..last (inclusive, within `value`) whose bit
// is `bit`, or -1.
int64_t FindBit(std::string_view value, int bit, uint64_t first,
                uint64_t last) {
  // Looking for a 0 is looking for a 1 in the complement.
  const unsigned char flip = bit == 1 ? 0x00 : 0xff;
  const uint64_t skip_word = bit == 1 ? 0 : ~uint64_t{0};
  const size_t first_byte = first / 8;
  const size_t last_byte = last / 8;
  for (size_t i = first_byte; i <= last_byte; ++i) {
    // Long runs without the bit (an empty or a full bitmap) are skipped a
    // word at a time; the end bytes, which need masks, never are.
    while (i > first_byte && i + sizeof(uint64_t) <= last_byte) {
      uint64_t word;
      std::memcpy(&word, value.data() + i, sizeof(word));
      if (word != skip_word) break;
      i += sizeof(uint64_t);
    }
    auto byte = static_cast<unsigned char>(value[i] ^ flip);
    if (i == first_byte) byte &= 0xff >> (first % 8);
    if (i == last_byte) {
      byte &= static_cast<unsigned char>(0xff << (7 - last % 8));
    }
    if (byte != 0) return static_cast<int64_t>(i * 8) + std::countl_zero(byte);
  }
  return -1;
}

// BYTE or BIT, the unit of BITCOUNT's and BITPOS's range; false for
// anything else.
bool ParseRangeUnit(std::string_view text, bool* in_bits) {
  if (EqualsIgnoreCase(text, "bit")) {
    *in_bits = true;
  } else if (EqualsIgnoreCase(text, "byte")) {
    *in_bits = false;
  } else {
    return false;
  }
  return true;
}

// Makes start..end (inclusive, negative counting from the end) a range of
// positions within `length`, clamping as Redis does. False if nothing is
// left of it.
bool ClampRange(int64_t length, int64_t* start, int64_t* end) {
  if (*start < 0) *start = std::max<int64_t>(0, length + *start);
  if (*end < 0) *end = std::max<int64_t>(0, length + *end);
  if (*end >= length) *end = length - 1;
  return *start <= *end;
}

// The string's length in the range's unit. Bitmaps are at most 512 MiB, so
// their bit length fits an int64 with room to spare.
int64_t UnitLength(std::string_view value, bool in_bits) {
  const auto bytes = static_cast<int64_t>(value.size());
  return in_bits ? bytes * 8 : bytes;
}

enum class BitOp { kAnd, kOr, kXor, kNot };

bool ParseBitOp(std::string_view text, BitOp* op) {
  if (EqualsIgnoreCase(text, "and")) {
    *op = BitOp::kAnd;
  } else if (EqualsIgnoreCase(text, "or")) {
    *op = BitOp::kOr;
  } else if (EqualsIgnoreCase(text, "xor")) {
    *op = BitOp::kXor;
  } else if (EqualsIgnoreCase(text, "not")) {
    *op = BitOp::kNot;
  } else {
    return false;
  }
  return true;
}

// Combines the sources byte by byte into a string as long as the longest;
// a source shorter than that (or missing, so empty) reads as zero bytes.
std::string CombineBits(BitOp op, const std::vector<std::string_view>& sources,
                        size_t length) {
  std::string result(length, '\0');
  const std::string_view first = sources[0];
  if (op == BitOp::kNot) {
    for (size_t i = 0; i < length; ++i) {
      result[i] = static_cast<char>(~first[i]);
    }
    return result;
  }
  // A missing source's view has no data pointer to copy from.
  if (!first.empty()) std::memcpy(result.data(), first.data(), first.size());
  for (size_t s = 1; s < sources.size(); ++s) {
    const std::string_view source = sources[s];
    if (op == BitOp::kAnd) {
      for (size_t i = 0; i < source.size(); ++i) result[i] &= source[i];
      // AND with the zero padding clears the rest.
      std::memset(result.data() + source.size(), 0, length - source.size());
    } else if (op == BitOp::kOr) {
      for (size_t i = 0; i < source.size(); ++i) result[i] |= source[i];
    } else {
      for (size_t i = 0; i < source.size(); ++i) result[i] ^= source[i];
    }
  }
  return result;
}

}  // namespace

void SetBitCommand(CommandContext& ctx) {
  uint64_t offset;
  if (!ParseBitOffset(ctx.args[2], &offset)) {
    ctx.reply.Error(kBitOffsetError);
    return;
  }
  int64_t bit;
  if (!ParseInt64(ctx.args[3], &bit) || (bit != 0 && bit != 1)) {
    ctx.reply.Error(kBitValueError);
    return;
  }
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  // Creating or growing the string is a change even when the bit itself
  // stays 0. As in Redis, only a change is reported ("setbit"), logged and
  // seen by WATCH.
  bool changed = entry == nullptr;
  if (entry == nullptr) entry = &ctx.store.SetString(ctx.args[1], "", 0);
  const size_t old_size = entry->string().size();
  const size_t byte = offset / 8;
  if (byte >= old_size) changed = true;
  const int old_bit = BitAt(entry->string(), offset);
  if (old_bit != bit) changed = true;
  if (changed) {
    // ParseBitOffset keeps byte + 1 within kMaxStringBytes.
    char* bytes = entry->ResizeString(std::max(old_size, byte + 1));
    const auto mask = static_cast<unsigned char>(0x80 >> (offset % 8));
    if (bit == 1) {
      bytes[byte] = static_cast<char>(bytes[byte] | mask);
    } else {
      bytes[byte] = static_cast<char>(bytes[byte] & ~mask);
    }
    ctx.Notify(kNotifyString, "setbit", ctx.args[1]);
  } else {
    ctx.changed_nothing = true;
  }
  ctx.reply.Integer(old_bit);
}

void GetBitCommand(CommandContext& ctx) {
  uint64_t offset;
  if (!ParseBitOffset(ctx.args[2], &offset)) {
    ctx.reply.Error(kBitOffsetError);
    return;
  }
  Entry* entry;
  if (!FindString(ctx, ctx.args[1], &entry)) return;
  ctx.reply.Integer(entry == nullptr ? 0 : BitAt(entry->string(), offset));
}

// BITCOUNT key [start end [BYTE|BIT]].
void BitCountCommand(CommandContext& ctx) {
  const CommandArgs args = ctx.args;
  // Redis looks the key up first: a missing key counts 0 whatever the
  // arguments, even malformed ones.
  Entry* entry;
  if (!FindString(ctx, args[1], &entry)) return;
  if (entry == nullptr) {
    ctx.reply.Integer(0);
    return;
  }
  const std::string_view value = entry->string();
  if (args.size() == 2) {
    ctx.reply.Integer(static_cast<int64_t>(CountOnes(value)));
    return;
  }
  if (args.size() != 4 && args.size() != 5) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  int64_t start, end;
  if (!ParseInt64(args[2], &start) || !ParseInt64(args[3], &end)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  // Both from the end and crossed: empty, before clamping could make it
  // the first byte (GETRANGE's rule too), and before the unit is read.
  if (start < 0 && end < 0 && start > end) {
    ctx.reply.Integer(0);
    return;
  }
  bool in_bits = false;
  if (args.size() == 5 && !ParseRangeUnit(args[4], &in_bits)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (!ClampRange(UnitLength(value, in_bits), &start, &end)) {
    ctx.reply.Integer(0);
    return;
  }
  const uint64_t first = in_bits ? start : start * 8;
  const uint64_t last = in_bits ? end : end * 8 + 7;
  ctx.reply.Integer(static_cast<int64_t>(CountOnesInBits(value, first, last)));
}

// BITPOS key bit [start [end [BYTE|BIT]]].
void BitPosCommand(CommandContext& ctx) {
  const CommandArgs args = ctx.args;
  int64_t bit;
  if (!ParseInt64(args[2], &bit)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if (bit != 0 && bit != 1) {
    ctx.reply.Error(kBitposBitError);
    return;
  }
  Entry* entry;
  if (!FindString(ctx, args[1], &entry)) return;
  // A missing key is an endless run of zeros.
  if (entry == nullptr) {
    ctx.reply.Integer(bit == 1 ? -1 : 0);
    return;
  }
  if (args.size() > 6) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  const std::string_view value = entry->string();
  int64_t start = 0;
  int64_t end = -1;
  bool in_bits = false;
  const bool end_given = args.size() >= 5;
  // Redis reads start, then the unit, then end: that order decides which
  // error a doubly malformed command gets.
  if (args.size() >= 4 && !ParseInt64(args[3], &start)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if (args.size() == 6 && !ParseRangeUnit(args[5], &in_bits)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (end_given && !ParseInt64(args[4], &end)) {
    ctx.reply.Error(kNotIntegerError);
    return;
  }
  if (!ClampRange(UnitLength(value, in_bits), &start, &end)) {
    ctx.reply.Integer(-1);
    return;
  }
  const uint64_t first = in_bits ? start : start * 8;
  const uint64_t last = in_bits ? end : end * 8 + 7;
  const int64_t position = FindBit(value, static_cast<int>(bit), first, last);
  // Without an end the string is taken to go on with zeros, so a clear bit
  // is found just past it; an explicit end bounds the search.
  if (position < 0 && bit == 0 && !end_given) {
    ctx.reply.Integer(static_cast<int64_t>(last + 1));
    return;
  }
  ctx.reply.Integer(position);
}

// BITOP AND|OR|XOR|NOT destkey key [key ...].
void BitOpCommand(CommandContext& ctx) {
  const CommandArgs args = ctx.args;
  BitOp op;
  if (!ParseBitOp(args[1], &op)) {
    ctx.reply.Error(kSyntaxError);
    return;
  }
  if (op == BitOp::kNot && args.size() != 4) {
    ctx.reply.Error(kBitopNotError);
    return;
  }
  // Every source is type-checked before anything is written.
  std::vector<std::string_view> sources;
  size_t length = 0;
  for (size_t i = 3; i < args.size(); ++i) {
    Entry* entry;
    if (!FindString(ctx, args[i], &entry)) return;
    sources.push_back(entry == nullptr ? std::string_view() : entry->string());
    length = std::max(length, sources.back().size());
  }
  const std::string_view dest = args[2];
  if (length == 0) {
    ctx.reply.Integer(0);
    ctx.DeleteEmptyResult(dest);
    return;
  }
  // Built apart: destkey may be one of the sources, whose bytes it reads.
  const std::string result = CombineBits(op, sources, length);
  // As SET, the result replaces any value and expiry at destkey.
  ctx.store.SetString(dest, result, /*expire_at_ms=*/0);
  ctx.Notify(kNotifyString, "set", dest);
  ctx.reply.Integer(static_cast<int64_t>(length));
}

// BITOP op destkey key [key ...]: destkey and every source. Listed even for
// an unknown op; the handler then replies the error.
void BitOpKeys(CommandArgs args, std::vector<size_t>* positions) {
  for (size_t i = 2; i < args.size(); ++i) positions->push_back(i);
}

}  // namespace shardd::kv
