#include "shard/key_slot.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace shardd {
namespace {

// Tables for four bytes at a time ("slicing"), built at compile time from
// the polynomial. Step(c) feeds a zero byte to the CRC state c; since the
// CRC is linear, feeding bytes b0..b3 to the state (hi, lo) gives
//   F4[hi ^ b0] ^ F3[lo ^ b1] ^ F2[b2] ^ F1[b3],  Fk[x] = Step^k(x << 8),
// four lookups that do not wait on each other, where byte at a time each
// lookup waits on the one before (a pipelined GET's key costs that chain
// twice: the prefetcher and the router each find its shard).
using Crc16Table = std::array<uint16_t, 256>;

constexpr uint16_t Step(uint16_t crc) {
  constexpr uint16_t kPolynomial = 0x1021;
  for (int bit = 0; bit < 8; ++bit) {
    crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ kPolynomial)
                         : static_cast<uint16_t>(crc << 1);
  }
  return crc;
}

constexpr std::array<Crc16Table, 4> MakeCrc16Tables() {
  std::array<Crc16Table, 4> tables{};  // tables[k - 1] is Fk
  for (int byte = 0; byte < 256; ++byte) {
    uint16_t crc = static_cast<uint16_t>(byte << 8);
    for (int k = 0; k < 4; ++k) {
      crc = Step(crc);
      tables[k][byte] = crc;
    }
  }
  return tables;
}

constexpr std::array<Crc16Table, 4> kCrc16Tables = MakeCrc16Tables();

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
  const Crc16Table& f1 = kCrc16Tables[0];
  const Crc16Table& f2 = kCrc16Tables[1];
  const Crc16Table& f3 = kCrc16Tables[2];
  const Crc16Table& f4 = kCrc16Tables[3];
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  uint16_t crc = 0;
  for (; n >= 4; n -= 4, p += 4) {
    crc = static_cast<uint16_t>(f4[(crc >> 8) ^ p[0]] ^
                                f3[(crc & 0xff) ^ p[1]] ^ f2[p[2]] ^ f1[p[3]]);
  }
  for (; n > 0; --n, ++p) {
    crc = static_cast<uint16_t>((crc << 8) ^ f1[(crc >> 8) ^ *p]);
  }
  return crc;
}

uint16_t KeySlot(std::string_view key) {
  // kSlotCount is a power of two, so the modulo is a mask.
  static_assert((kSlotCount & (kSlotCount - 1)) == 0);
  return Crc16(HashedPart(key)) & (kSlotCount - 1);
}

}  // namespace shardd
