// BITFIELD and BITFIELD_RO: integers of 1 to 64 bits read from and written
// to a string at any bit offset, in SETBIT's bit order (bit 0 is the most
// significant bit of byte 0), so a field's first bit is its most significant.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/reply_errors.h"
#include "shard/kv/commands/strings/string_handlers.h"
#include "shard/kv/commands/strings/string_limits.h"
#include "shard/kv/commands/typed_lookup.h"
#include "shard/kv/store/keyspace_event.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kFieldTypeError =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is "
    "not supported but i64 is.";
constexpr std::string_view kOverflowTypeError =
    "ERR Invalid OVERFLOW type specified";
constexpr std::string_view kReadOnlyError =
    "ERR BITFIELD_RO only supports the GET subcommand";

// A field's width and signedness. Unsigned fields stop at 63 bits so that
// every value is an int64, as RESP integers are.
struct FieldType {
  bool is_signed;
  int bits;
};

enum class Overflow { kWrap, kSat, kFail };
enum class OpKind { kGet, kSet, kIncrBy };

struct FieldOp {
  OpKind kind;
  FieldType type;
  uint64_t offset;  // of the field's first bit
  int64_t operand;  // SET's value or INCRBY's increment
  Overflow overflow;
};

// "i<bits>" or "u<bits>"; the letter is case-sensitive, as in Redis.
bool ParseFieldType(std::string_view text, FieldType* type) {
  // Redis reads the type as a C string, so anything after a NUL is ignored.
  text = UpToNul(text);
  if (text.empty() || (text[0] != 'i' && text[0] != 'u')) return false;
  const bool is_signed = text[0] == 'i';
  int64_t bits;
  if (!ParseInt64(text.substr(1), &bits) || bits < 1 ||
      bits > (is_signed ? 64 : 63)) {
    return false;
  }
  *type = {is_signed, static_cast<int>(bits)};
  return true;
}

// A bit offset, or "#N" for the N-th field of `bits` bits. The field must
// start in a byte SETBIT could reach (below kMaxStringBytes). Redis
// multiplies "#N" unchecked, so a product past int64 wraps there; here it
// is out of range.
bool ParseFieldOffset(std::string_view text, int bits, uint64_t* offset) {
  const bool in_fields = !text.empty() && text[0] == '#';
  int64_t value;
  if (!ParseInt64(text.substr(in_fields ? 1 : 0), &value) || value < 0) {
    return false;
  }
  constexpr uint64_t kLastBit = uint64_t{kMaxStringBytes} * 8 - 1;
  const uint64_t scale = in_fields ? static_cast<uint64_t>(bits) : 1;
  if (static_cast<uint64_t>(value) > kLastBit / scale) return false;
  *offset = static_cast<uint64_t>(value) * scale;
  return true;
}

bool ParseOverflow(std::string_view text, Overflow* overflow) {
  if (EqualsIgnoreCase(text, "wrap")) {
    *overflow = Overflow::kWrap;
  } else if (EqualsIgnoreCase(text, "sat")) {
    *overflow = Overflow::kSat;
  } else if (EqualsIgnoreCase(text, "fail")) {
    *overflow = Overflow::kFail;
  } else {
    return false;
  }
  return true;
}

// Parses every subcommand (args[2..]) before anything runs, so that a bad
// one late in the command leaves the key untouched. False once an error is
// replied; the first bad argument decides which.
bool ParseOps(CommandContext& ctx, std::vector<FieldOp>* ops) {
  const CommandArgs args = ctx.args;
  Overflow overflow = Overflow::kWrap;
  size_t i = 2;
  while (i < args.size()) {
    const std::string_view name = args[i];
    const size_t left = args.size() - i - 1;
    if (EqualsIgnoreCase(name, "overflow") && left >= 1) {
      if (!ParseOverflow(args[i + 1], &overflow)) {
        ctx.reply.Error(kOverflowTypeError);
        return false;
      }
      i += 2;
      continue;
    }
    FieldOp op{};
    if (EqualsIgnoreCase(name, "get") && left >= 2) {
      op.kind = OpKind::kGet;
    } else if (EqualsIgnoreCase(name, "set") && left >= 3) {
      op.kind = OpKind::kSet;
    } else if (EqualsIgnoreCase(name, "incrby") && left >= 3) {
      op.kind = OpKind::kIncrBy;
    } else {
      ctx.reply.Error(kSyntaxError);
      return false;
    }
    if (!ParseFieldType(args[i + 1], &op.type)) {
      ctx.reply.Error(kFieldTypeError);
      return false;
    }
    if (!ParseFieldOffset(args[i + 2], op.type.bits, &op.offset)) {
      ctx.reply.Error(kBitOffsetError);
      return false;
    }
    if (op.kind != OpKind::kGet && !ParseInt64(args[i + 3], &op.operand)) {
      ctx.reply.Error(kNotIntegerError);
      return false;
    }
    op.overflow = overflow;
    ops->push_back(op);
    i += op.kind == OpKind::kGet ? 3 : 4;
  }
  return true;
}

// The `bits` bits from `offset` as an unsigned number; bits past the end of
// `bytes` read as 0.
uint64_t ReadBits(std::string_view bytes, uint64_t offset, int bits) {
  uint64_t value = 0;
  for (uint64_t bit = offset; bit < offset + bits; ++bit) {
    const uint64_t byte = bit / 8;
    const unsigned set =
        byte < bytes.size()
            ? (static_cast<unsigned char>(bytes[byte]) >> (7 - bit % 8)) & 1
            : 0;
    value = (value << 1) | set;
  }
  return value;
}

// Stores the low `bits` bits of `value` from `offset`; the bytes must
// already reach that far.
void WriteBits(char* bytes, uint64_t offset, int bits, uint64_t value) {
  for (int i = 0; i < bits; ++i) {
    const uint64_t bit = offset + i;
    const auto mask = static_cast<unsigned char>(0x80 >> (bit % 8));
    const auto byte = static_cast<unsigned char>(bytes[bit / 8]);
    const bool set = (value >> (bits - 1 - i)) & 1;
    bytes[bit / 8] = static_cast<char>(set ? byte | mask : byte & ~mask);
  }
}

// What the low bits of `raw` hold as a field of `type`: sign-extended for a
// signed one.
int64_t FieldValue(uint64_t raw, FieldType type) {
  if (type.bits == 64) return static_cast<int64_t>(raw);
  const uint64_t mask = (uint64_t{1} << type.bits) - 1;
  raw &= mask;
  if (type.is_signed && (raw >> (type.bits - 1)) != 0) raw |= ~mask;
  return static_cast<int64_t>(raw);
}

int64_t FieldMax(FieldType type) {
  const int shift = 64 - type.bits;
  return type.is_signed ? std::numeric_limits<int64_t>::max() >> shift
                        : static_cast<int64_t>(
                              std::numeric_limits<uint64_t>::max() >> shift);
}

int64_t FieldMin(FieldType type) {
  return type.is_signed ? -FieldMax(type) - 1 : 0;
}

// The value SET or INCRBY stores in a field holding `old`, or nothing when
// it overflows under OVERFLOW FAIL. The sums are taken on uint64, where
// they wrap instead of overflowing as an int64 could.
std::optional<int64_t> NewFieldValue(const FieldOp& op, int64_t old) {
  const int64_t max = FieldMax(op.type);
  const int64_t min = FieldMin(op.type);
  const auto operand = static_cast<uint64_t>(op.operand);
  uint64_t wrapped;
  bool above;
  bool below;
  if (op.kind == OpKind::kSet) {
    wrapped = operand;
    if (op.type.is_signed) {
      // Redis keeps max - value in an int64, which wraps negative for a
      // value more than INT64_MAX below max: under 64 bits such a value
      // counts as too large, so SAT stores the maximum (i8: -2^63 + 127 and
      // below).
      const uint64_t room_up = static_cast<uint64_t>(max) - operand;
      above = op.operand > max ||
              (op.type.bits < 64 &&
               room_up > uint64_t{std::numeric_limits<int64_t>::max()});
      below = !above && op.operand < min;
    } else {
      // Redis takes SET's value for an unsigned field as a uint64: a
      // negative one is too large (SAT stores the maximum), never too small.
      above = operand > static_cast<uint64_t>(max);
      below = false;
    }
  } else {
    wrapped = static_cast<uint64_t>(old) + operand;
    // `old` lies within [min, max], so the room on either side is exact
    // as a uint64 even for i64.
    const uint64_t room_up =
        static_cast<uint64_t>(max) - static_cast<uint64_t>(old);
    const uint64_t room_down =
        static_cast<uint64_t>(old) - static_cast<uint64_t>(min);
    above = op.operand > 0 && operand > room_up;
    below = op.operand < 0 && 0 - operand > room_down;
  }
  if ((!above && !below) || op.overflow == Overflow::kWrap) {
    return FieldValue(wrapped, op.type);
  }
  if (op.overflow == Overflow::kFail) return std::nullopt;
  return above ? max : min;
}

void RunBitField(CommandContext& ctx, bool read_only) {
  std::vector<FieldOp> ops;
  if (!ParseOps(ctx, &ops)) return;
  uint64_t end_byte = 0;  // one past the last byte a SET or INCRBY touches
  for (const FieldOp& op : ops) {
    if (op.kind == OpKind::kGet) continue;
    end_byte = std::max(end_byte, (op.offset + op.type.bits - 1) / 8 + 1);
  }
  const bool writes = end_byte > 0;
  // Before the type check, as in Redis.
  if (writes && read_only) {
    ctx.reply.Error(kReadOnlyError);
    return;
  }
  const std::string_view key = ctx.args[1];
  Entry* entry;
  if (!FindString(ctx, key, &entry)) return;
  if (!writes) {
    // Only GETs: a missing key reads as zeros and stays missing.
    ctx.changed_nothing = true;
    const std::string_view value =
        entry == nullptr ? std::string_view() : entry->string();
    ctx.reply.ArrayHeader(ops.size());
    for (const FieldOp& op : ops) {
      ctx.reply.Integer(
          FieldValue(ReadBits(value, op.offset, op.type.bits), op.type));
    }
    return;
  }
  // As in Redis, the string is made or grown to hold every field written
  // before any op runs, even if they all fail under OVERFLOW FAIL. A field
  // may start in the last byte ParseFieldOffset allows and run on for up to
  // 7 more: Redis then grows the string past proto-max-bulk-len (to at most
  // 512 MiB + 8 bytes), and so does this.
  if (entry == nullptr) entry = &ctx.store.SetString(key, "", 0);
  const size_t old_size = entry->string().size();
  const size_t size = std::max<size_t>(old_size, end_byte);
  char* bytes = entry->ResizeString(size);
  const bool grew = size != old_size;
  // Redis reports "setbit" once, if some write grew the string or changed
  // a field; one that stores the value already there is no change.
  bool changed = false;
  ctx.reply.ArrayHeader(ops.size());
  for (const FieldOp& op : ops) {
    const int64_t old = FieldValue(
        ReadBits(std::string_view(bytes, size), op.offset, op.type.bits),
        op.type);
    if (op.kind == OpKind::kGet) {
      ctx.reply.Integer(old);
      continue;
    }
    const std::optional<int64_t> updated = NewFieldValue(op, old);
    if (!updated.has_value()) {
      ctx.reply.NullBulk();
      continue;
    }
    WriteBits(bytes, op.offset, op.type.bits, static_cast<uint64_t>(*updated));
    changed = changed || grew || *updated != old;
    ctx.reply.Integer(op.kind == OpKind::kSet ? old : *updated);
  }
  if (changed) ctx.Notify(kNotifyString, "setbit", key);
  // A string made or grown is a change even if no write went through: the
  // log must have it (Redis does not propagate it, nor touch WATCH).
  ctx.changed_nothing = !changed && !grew;
}

}  // namespace

// BITFIELD key [GET type offset | SET type offset value |
//               INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL] ...
void BitFieldCommand(CommandContext& ctx) {
  RunBitField(ctx, /*read_only=*/false);
}

// BITFIELD_RO key [GET type offset] ...
void BitFieldRoCommand(CommandContext& ctx) {
  RunBitField(ctx, /*read_only=*/true);
}

}  // namespace shardd::kv
