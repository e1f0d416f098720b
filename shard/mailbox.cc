#include "shard/mailbox.h"

#include <bit>

namespace shardd {

Mailbox::Mailbox(size_t capacity)
    : mask_(std::bit_ceil(capacity < 2 ? size_t{2} : capacity) - 1),
      slots_(new Message*[mask_ + 1]) {}

}  // namespace shardd
