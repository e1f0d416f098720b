// A HyperLogLog as Redis stores it in a string value, byte for byte: GET
// returns it, SET can put it back, and clients and tools that read the bytes
// (or move them to a real Redis) must find exactly what Redis would write.
//
// The value is a 16-byte header, then the registers (2^14 of them, 6 bits
// each) in one of two encodings:
//   header: "HYLL", encoding (0 dense, 1 sparse), 3 unused bytes, then the
//           cached cardinality, 8 bytes little-endian; the top bit of the
//           last one set means the cache is stale.
//   dense:  the registers packed LSB first, 12288 bytes.
//   sparse: run-length opcodes, used while the HLL is small:
//           00xxxxxx           ZERO:  x+1 registers (up to 64) at 0
//           01xxxxxx yyyyyyyy  XZERO: xy+1 registers (up to 16384) at 0
//           1vvvvvxx           VAL:   x+1 registers (up to 4) at v+1
// A sparse sketch turns dense, for good, when a register needs a value VAL
// cannot hold (over 32) or when it would grow past hll-sparse-max-bytes
// (3000, Redis's default). Each edit produces the opcodes Redis's would.
//
//   std::string sketch = HllEmpty();
//   HllAdd(&sketch, "element");
//   std::optional<uint64_t> count = HllCount(sketch);
#ifndef SHARDD_SHARD_KV_COMMANDS_HLL_HLL_SKETCH_H_
#define SHARDD_SHARD_KV_COMMANDS_HLL_HLL_SKETCH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardd::kv {

inline constexpr int kHllPrecision = 14;  // bits of the hash picking a register
inline constexpr uint32_t kHllRegisterCount = 1u << kHllPrecision;
inline constexpr size_t kHllHeaderBytes = 16;
inline constexpr size_t kHllDenseBytes =
    kHllHeaderBytes + kHllRegisterCount * 6 / 8;
// Redis's hll-sparse-max-bytes default; shardd does not make it a setting.
inline constexpr size_t kHllSparseMaxBytes = 3000;

// One value per register: the raw form PFCOUNT of several keys and PFMERGE
// take the union in.
using HllRegisters = std::array<uint8_t, kHllRegisterCount>;

// What an edit did to a sketch. kCorrupt: the sparse opcodes do not cover
// exactly the registers, and the sketch was left as the edit found it.
enum class HllUpdate { kUnchanged, kChanged, kCorrupt };

// Every function below but HllEmpty and HllLooksValid takes a value that
// HllLooksValid accepted.

// A new, empty sketch: sparse, one XZERO run, cached cardinality 0 (valid).
std::string HllEmpty();

// Redis's check of a string before any HLL command uses it: the magic, a
// known encoding, and the exact size if dense. Sparse opcodes are only
// checked as they are read (kCorrupt, nullopt, false below).
bool HllLooksValid(std::string_view value);
bool HllIsDense(std::string_view sketch);

// The cached cardinality, unless the header marks it stale.
std::optional<uint64_t> HllCachedCount(std::string_view sketch);
// Writes `count` as the cached cardinality into the header at `header`.
void HllStoreCachedCount(char* header, uint64_t count);
void HllInvalidateCachedCount(std::string* sketch);

// Hashes `element` into a register and raises it to the element's rank (its
// hash's trailing zeros plus one).
HllUpdate HllAdd(std::string* sketch, std::string_view element);
// Raises register `index` to `value` (at least 1) if it is lower; a change
// marks the cached cardinality stale. A sparse sketch may turn dense.
HllUpdate HllRaise(std::string* sketch, uint32_t index, uint8_t value);
// Re-encodes a sparse sketch as dense, keeping its header otherwise; a dense
// one stays as it is. False, leaving it untouched, if it is corrupt.
bool HllMakeDense(std::string* sketch);

// Raises each of `*max` to the sketch's register; false if it is corrupt.
bool HllMergeInto(std::string_view sketch, HllRegisters* max);

// The sketch's cardinality estimate (ignoring its cache); nullopt if it is
// corrupt.
std::optional<uint64_t> HllCount(std::string_view sketch);
uint64_t HllCount(const HllRegisters& registers);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMANDS_HLL_HLL_SKETCH_H_
