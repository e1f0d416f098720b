#include "shard/mesh.h"

namespace shardd {

Mesh::Mesh(uint32_t shard_count, size_t mailbox_capacity)
    : shard_count_(shard_count) {
  mailboxes_.reserve(size_t{shard_count} * shard_count);
  for (uint32_t i = 0; i < shard_count * shard_count; ++i) {
    // The diagonal (a shard to itself) is never used; keeping it makes the
    // index arithmetic trivial at the cost of a few idle rings.
    mailboxes_.push_back(std::make_unique<Mailbox>(mailbox_capacity));
  }
  for (uint32_t i = 0; i < shard_count; ++i) {
    doorbells_.push_back(std::make_unique<Doorbell>());
  }
}

}  // namespace shardd
