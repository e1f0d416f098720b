#include "shard/key_slot.h"

#include <array>
#include <cstddef>

namespace shardd {
namespace {

// One table entry per high byte, built at compile time from the polynomial, so
// hashing costs one lookup per key byte instead of eight shifts.
constexpr std::array<uint16_t, 256> MakeCrc16Table() {
  constexpr uint16_t kPolynomial = 0x1021;
  std::array<uint16_t, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    uint16_t crc = static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ kPolynomial)
                           : static_cast<uint16_t>(crc << 1);
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint16_t, 256> kCrc16Table = MakeCrc16Table();

// The part of `key` that is hashed: the content of the first `{...}` if it is
// non-empty, otherwise the whole key (Redis Cluster spec, "Hash tags").
std::string_view HashedPart(std::string_view key) {
  const size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

}  // namespace

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (const char c : data) {
    const uint8_t index =
        static_cast<uint8_t>((crc >> 8) ^ static_cast<uint8_t>(c));
    crc = static_cast<uint16_t>((crc << 8) ^ kCrc16Table[index]);
  }
  return crc;
}

uint16_t KeySlot(std::string_view key) {
  // kSlotCount is a power of two, so the modulo is a mask.
  static_assert((kSlotCount & (kSlotCount - 1)) == 0);
  return Crc16(HashedPart(key)) & (kSlotCount - 1);
}

}  // namespace shardd
