#include "shard/kv/commands/hll/hll_sketch.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "shard/kv/commands/hll/hll_estimate.h"
#include "shard/kv/commands/hll/murmur_hash.h"

namespace shardd::kv {
namespace {

constexpr std::string_view kMagic = "HYLL";
constexpr size_t kEncodingByte = 4;
constexpr size_t kCountByte = 8;  // the 8 bytes of the cached cardinality
constexpr uint8_t kDense = 0;
constexpr uint8_t kSparse = 1;
constexpr uint8_t kStaleCountBit = 0x80;  // in the count's last byte
constexpr uint32_t kHashSeed = 0xadc83b19;
constexpr int kRegisterBits = 6;
constexpr uint8_t kRegisterMask = (1 << kRegisterBits) - 1;

// The sparse opcodes' limits.
constexpr uint32_t kZeroMaxRun = 64;
constexpr uint32_t kXZeroMaxRun = kHllRegisterCount;
constexpr uint8_t kValMaxValue = 32;
constexpr uint32_t kValMaxRun = 4;

uint8_t ByteAt(std::string_view bytes, size_t i) {
  // A truncated XZERO reads a zero second byte: Redis reads the terminating
  // NUL of its string there.
  return i < bytes.size() ? static_cast<uint8_t>(bytes[i]) : 0;
}

// A decoded sparse opcode: `run` registers at `value`.
struct SparseOp {
  uint32_t run;
  uint8_t value;  // 0 for ZERO and XZERO
  size_t size;    // bytes
  bool IsVal() const { return value != 0; }
};

bool IsValByte(uint8_t byte) { return (byte & 0x80) != 0; }
bool IsXZeroByte(uint8_t byte) { return (byte & 0xc0) == 0x40; }

SparseOp DecodeOp(std::string_view bytes, size_t at) {
  const uint8_t byte = ByteAt(bytes, at);
  if (IsValByte(byte)) {
    return {static_cast<uint32_t>((byte & 0x3) + 1),
            static_cast<uint8_t>(((byte >> 2) & 0x1f) + 1), 1};
  }
  if (IsXZeroByte(byte)) {
    const uint32_t run = ((byte & 0x3fu) << 8 | ByteAt(bytes, at + 1)) + 1;
    return {run, 0, 2};
  }
  return {static_cast<uint32_t>((byte & 0x3f) + 1), 0, 1};
}

char ValOp(uint8_t value, uint32_t run) {
  return static_cast<char>(0x80 | (value - 1) << 2 | (run - 1));
}

// Appends the opcode for a run of `run` zeros (at most one XZERO's worth).
void AppendZeros(std::string* ops, uint32_t run) {
  if (run > kZeroMaxRun) {
    ops->push_back(static_cast<char>(0x40 | (run - 1) >> 8));
    ops->push_back(static_cast<char>((run - 1) & 0xff));
  } else {
    ops->push_back(static_cast<char>(run - 1));
  }
}

// Calls fn(first_register, run, value) for each opcode of a sparse sketch.
// False if the runs do not add up to exactly the register count; it stops
// before a run that would overflow, so `fn` never sees a register past it.
template <typename Fn>
bool ForEachSparseRun(std::string_view sketch, Fn fn) {
  uint32_t next = 0;
  for (size_t at = kHllHeaderBytes; at < sketch.size();) {
    const SparseOp op = DecodeOp(sketch, at);
    if (op.run > kHllRegisterCount - next) return false;
    fn(next, op.run, op.value);
    next += op.run;
    at += op.size;
  }
  return next == kHllRegisterCount;
}

// The dense registers: register i is bits 6i..6i+5 counting from the least
// significant bit of the first byte, so it may straddle two bytes.
uint8_t DenseRegister(const unsigned char* registers, uint32_t index) {
  const size_t byte = index * kRegisterBits / 8;
  const int shift = index * kRegisterBits % 8;
  unsigned value = registers[byte] >> shift;
  // One starting at bit 0 or 2 fits in its byte. The last register does,
  // so nothing past the registers is ever read or written.
  if (shift > 8 - kRegisterBits) value |= registers[byte + 1] << (8 - shift);
  return static_cast<uint8_t>(value & kRegisterMask);
}

// Calls fn(i, value) for every dense register in order, four at a time
// from each three bytes they fill. Read one by one (shifts that depend on
// the index, a register that may straddle two bytes), a PFCOUNT of two
// dense keys, which reads every register of each, took 139 µs of CPU, as
// Redis's does; read so, 23.5 µs (tools/bench/data_model.py).
template <typename Fn>
void ForEachDenseRegister(const unsigned char* registers, Fn fn) {
  static_assert(kRegisterBits == 6 && kHllRegisterCount % 4 == 0);
  for (uint32_t i = 0; i < kHllRegisterCount; i += 4, registers += 3) {
    const unsigned b0 = registers[0];
    const unsigned b1 = registers[1];
    const unsigned b2 = registers[2];
    fn(i, static_cast<uint8_t>(b0 & kRegisterMask));
    fn(i + 1, static_cast<uint8_t>((b0 >> 6 | b1 << 2) & kRegisterMask));
    fn(i + 2, static_cast<uint8_t>((b1 >> 4 | b2 << 4) & kRegisterMask));
    fn(i + 3, static_cast<uint8_t>(b2 >> 2));
  }
}

void SetDenseRegister(unsigned char* registers, uint32_t index, uint8_t value) {
  const size_t byte = index * kRegisterBits / 8;
  const int shift = index * kRegisterBits % 8;
  registers[byte] = static_cast<unsigned char>(
      (registers[byte] & ~(kRegisterMask << shift)) | value << shift);
  if (shift > 8 - kRegisterBits) {
    const int spill = 8 - shift;
    registers[byte + 1] = static_cast<unsigned char>(
        (registers[byte + 1] & ~(kRegisterMask >> spill)) | value >> spill);
  }
}

unsigned char* DenseRegisters(std::string* sketch) {
  return reinterpret_cast<unsigned char*>(sketch->data()) + kHllHeaderBytes;
}
const unsigned char* DenseRegisters(std::string_view sketch) {
  return reinterpret_cast<const unsigned char*>(sketch.data()) +
         kHllHeaderBytes;
}

HllUpdate RaiseDense(std::string* sketch, uint32_t index, uint8_t value) {
  unsigned char* registers = DenseRegisters(sketch);
  if (DenseRegister(registers, index) >= value) return HllUpdate::kUnchanged;
  SetDenseRegister(registers, index, value);
  return HllUpdate::kChanged;
}

// After an edit, two neighbouring VAL opcodes may hold the same value and
// fit one opcode together. Redis joins them only within the five opcodes
// from the one before the edited one; so must we, for the same bytes.
void JoinEqualVals(std::string* sketch, size_t from) {
  std::string& ops = *sketch;
  int scan = 5;
  size_t at = from;
  while (at < ops.size() && scan-- > 0) {
    const auto byte = static_cast<uint8_t>(ops[at]);
    if (!IsValByte(byte)) {
      at += IsXZeroByte(byte) ? 2 : 1;
      continue;
    }
    if (at + 1 < ops.size() && IsValByte(static_cast<uint8_t>(ops[at + 1]))) {
      const SparseOp left = DecodeOp(ops, at);
      const SparseOp right = DecodeOp(ops, at + 1);
      if (left.value == right.value && left.run + right.run <= kValMaxRun) {
        ops[at + 1] = ValOp(left.value, left.run + right.run);
        ops.erase(at, 1);
        // The joined opcode may join the next one too.
        continue;
      }
    }
    ++at;
  }
}

HllUpdate PromoteAndRaise(std::string* sketch, uint32_t index, uint8_t value) {
  if (!HllMakeDense(sketch)) return HllUpdate::kCorrupt;
  // The register was below `value`, or the sparse edit would not have been
  // needed: the dense one raises it.
  return RaiseDense(sketch, index, value);
}

HllUpdate RaiseSparse(std::string* sketch, uint32_t index, uint8_t value) {
  if (value > kValMaxValue) return PromoteAndRaise(sketch, index, value);
  std::string& ops = *sketch;
  // The opcode covering the register, the one before it, and the first
  // register it covers (64 bits: a corrupt string may hold more runs than
  // 32 bits can add up).
  size_t at = kHllHeaderBytes;
  size_t previous = kHllHeaderBytes;
  uint64_t first = 0;
  SparseOp op{};
  bool found = false;
  while (at < ops.size()) {
    op = DecodeOp(ops, at);
    if (index - first < op.run) {
      found = true;
      break;
    }
    previous = at;
    at += op.size;
    first += op.run;
  }
  if (!found) return HllUpdate::kCorrupt;
  if (op.IsVal() && op.value >= value) return HllUpdate::kUnchanged;
  if (op.run == 1 && op.size == 1) {
    // A VAL or ZERO of a single register: rewritten in place.
    ops[at] = ValOp(value, 1);
  } else {
    // Split the run in up to three: the registers before `index`, `index`
    // itself, the registers after it.
    const auto before = static_cast<uint32_t>(index - first);
    const auto after = static_cast<uint32_t>(first + op.run - 1 - index);
    std::string split;
    if (before > 0) {
      if (op.IsVal()) {
        split.push_back(ValOp(op.value, before));
      } else {
        AppendZeros(&split, before);
      }
    }
    split.push_back(ValOp(value, 1));
    if (after > 0) {
      if (op.IsVal()) {
        split.push_back(ValOp(op.value, after));
      } else {
        AppendZeros(&split, after);
      }
    }
    if (split.size() > op.size &&
        ops.size() + split.size() - op.size > kHllSparseMaxBytes) {
      return PromoteAndRaise(sketch, index, value);
    }
    ops.replace(at, op.size, split);
  }
  JoinEqualVals(sketch, previous);
  return HllUpdate::kChanged;
}

// False for a sparse sketch whose runs do not cover the registers exactly.
bool AddToHistogram(std::string_view sketch, HllHistogram* histogram) {
  if (HllIsDense(sketch)) {
    // Two histograms, so that runs of equal registers do not wait on one
    // counter's increments one after the other.
    HllHistogram odd{};
    ForEachDenseRegister(DenseRegisters(sketch), [&](uint32_t i, uint8_t v) {
      ++(i % 2 == 0 ? *histogram : odd)[v];
    });
    for (size_t v = 0; v < odd.size(); ++v) (*histogram)[v] += odd[v];
    return true;
  }
  return ForEachSparseRun(sketch, [&](uint32_t, uint32_t run, uint8_t v) {
    (*histogram)[v] += static_cast<int>(run);
  });
}

}  // namespace

std::string HllEmpty() {
  std::string sketch(kHllHeaderBytes, '\0');
  sketch.replace(0, kMagic.size(), kMagic);
  sketch[kEncodingByte] = static_cast<char>(kSparse);
  AppendZeros(&sketch, kXZeroMaxRun);
  return sketch;
}

bool HllLooksValid(std::string_view value) {
  if (value.size() < kHllHeaderBytes || !value.starts_with(kMagic)) {
    return false;
  }
  const auto encoding = static_cast<uint8_t>(value[kEncodingByte]);
  if (encoding == kDense) return value.size() == kHllDenseBytes;
  return encoding == kSparse;
}

bool HllIsDense(std::string_view sketch) {
  return static_cast<uint8_t>(sketch[kEncodingByte]) == kDense;
}

std::optional<uint64_t> HllCachedCount(std::string_view sketch) {
  if (static_cast<uint8_t>(sketch[kCountByte + 7]) & kStaleCountBit) {
    return std::nullopt;
  }
  uint64_t count = 0;
  for (int i = 0; i < 8; ++i) {
    count |= static_cast<uint64_t>(static_cast<uint8_t>(sketch[kCountByte + i]))
             << (8 * i);
  }
  return count;
}

void HllStoreCachedCount(char* header, uint64_t count) {
  for (int i = 0; i < 8; ++i) {
    header[kCountByte + i] = static_cast<char>(count >> (8 * i));
  }
}

void HllInvalidateCachedCount(std::string* sketch) {
  (*sketch)[kCountByte + 7] =
      static_cast<char>((*sketch)[kCountByte + 7] | kStaleCountBit);
}

HllUpdate HllAdd(std::string* sketch, std::string_view element) {
  uint64_t hash = MurmurHash64A(element, kHashSeed);
  const auto index = static_cast<uint32_t>(hash & (kHllRegisterCount - 1));
  // The rank counts the hash's remaining 50 bits from the low end up to the
  // first 1; a sentinel bit above them caps it at 51 for an all-zero rest.
  hash >>= kHllPrecision;
  hash |= uint64_t{1} << (64 - kHllPrecision);
  const auto rank = static_cast<uint8_t>(std::countr_zero(hash) + 1);
  return HllRaise(sketch, index, rank);
}

HllUpdate HllRaise(std::string* sketch, uint32_t index, uint8_t value) {
  const HllUpdate update = HllIsDense(*sketch)
                               ? RaiseDense(sketch, index, value)
                               : RaiseSparse(sketch, index, value);
  if (update == HllUpdate::kChanged) HllInvalidateCachedCount(sketch);
  return update;
}

bool HllMakeDense(std::string* sketch) {
  if (HllIsDense(*sketch)) return true;
  std::string dense(kHllDenseBytes, '\0');
  // Magic, unused bytes and cached cardinality carry over, as in Redis.
  dense.replace(0, kHllHeaderBytes, *sketch, 0, kHllHeaderBytes);
  dense[kEncodingByte] = static_cast<char>(kDense);
  unsigned char* registers = DenseRegisters(&dense);
  const bool valid = ForEachSparseRun(
      *sketch, [&](uint32_t first, uint32_t run, uint8_t value) {
        if (value == 0) return;
        for (uint32_t i = first; i < first + run; ++i) {
          SetDenseRegister(registers, i, value);
        }
      });
  if (!valid) return false;
  *sketch = std::move(dense);
  return true;
}

bool HllMergeInto(std::string_view sketch, HllRegisters* max) {
  if (HllIsDense(sketch)) {
    ForEachDenseRegister(DenseRegisters(sketch), [&](uint32_t i, uint8_t v) {
      (*max)[i] = std::max((*max)[i], v);
    });
    return true;
  }
  return ForEachSparseRun(sketch,
                          [&](uint32_t first, uint32_t run, uint8_t value) {
                            for (uint32_t i = first; i < first + run; ++i) {
                              if (value > (*max)[i]) (*max)[i] = value;
                            }
                          });
}

std::optional<uint64_t> HllCount(std::string_view sketch) {
  HllHistogram histogram{};
  if (!AddToHistogram(sketch, &histogram)) return std::nullopt;
  return HllEstimate(histogram);
}

uint64_t HllCount(const HllRegisters& registers) {
  HllHistogram even{};
  HllHistogram odd{};
  for (uint32_t i = 0; i < kHllRegisterCount; i += 2) {
    ++even[registers[i]];
    ++odd[registers[i + 1]];
  }
  for (size_t v = 0; v < even.size(); ++v) even[v] += odd[v];
  return HllEstimate(even);
}

}  // namespace shardd::kv
