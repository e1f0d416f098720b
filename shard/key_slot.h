// Key → slot mapping, exactly as Redis Cluster defines it: CRC16 (XMODEM) of
// the key, or of the part inside the first non-empty `{...}` hash tag, modulo
// 16384. Keys sharing a hash tag share a slot, hence an owner shard.
//
//   uint16_t slot = KeySlot("user:{42}:name");   // same slot as "{42}"
#ifndef SHARDD_SHARD_KEY_SLOT_H_
#define SHARDD_SHARD_KEY_SLOT_H_

#include <cstdint>
#include <string_view>

namespace shardd {

inline constexpr uint16_t kSlotCount = 16384;

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
uint16_t Crc16(std::string_view data);

// The cluster slot of `key`, in [0, kSlotCount).
uint16_t KeySlot(std::string_view key);

}  // namespace shardd

#endif  // SHARDD_SHARD_KEY_SLOT_H_
