// ProvidedBuffers: a ring of equal-sized buffers registered with a shard's
// io_uring (IORING_REGISTER_PBUF_RING), from which the kernel picks one only
// when data arrives for an operation that selects a buffer
// (IOSQE_BUFFER_SELECT). Receives armed on ten thousand idle sockets thus
// hold no memory of their own: the shard's few buffers serve them all.
//
//   ProvidedBuffers* buffers = reactor.ReceiveBuffers();  // null: none
//   sqe->flags |= IOSQE_BUFFER_SELECT; sqe->buf_group = buffers->group();
//   ... CQE with IORING_CQE_F_BUFFER:
//   uint16_t id = cqe_flags >> IORING_CQE_BUFFER_SHIFT;
//   Use(buffers->Get(id, cqe_res));  buffers->Recycle(id);
//
// A buffer must be recycled once its bytes are used; when every buffer is
// out, operations that need one fail with -ENOBUFS.
#ifndef SHARDD_SHARD_PROVIDED_BUFFERS_H_
#define SHARDD_SHARD_PROVIDED_BUFFERS_H_

#include <liburing.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"

namespace shardd {

class ProvidedBuffers {
 public:
  // `count` buffers (a power of two, at most 32768) of `size` bytes each,
  // as buffer group `group` of `ring`. Fails where the kernel lacks
  // registered buffer rings (before 5.19).
  static absl::StatusOr<std::unique_ptr<ProvidedBuffers>> Register(
      io_uring* ring, uint16_t group, uint16_t count, uint32_t size);
  ~ProvidedBuffers();  // unregisters; the ring must still exist
  ProvidedBuffers(const ProvidedBuffers&) = delete;
  ProvidedBuffers& operator=(const ProvidedBuffers&) = delete;

  uint16_t group() const { return group_; }
  uint32_t buffer_size() const { return size_; }

  // The first `length` bytes of buffer `id`.
  std::string_view Get(uint16_t id, size_t length) const {
    return {base_ + static_cast<size_t>(id) * size_, length};
  }
  // Gives buffer `id` back to the kernel.
  void Recycle(uint16_t id);

 private:
  ProvidedBuffers(io_uring* ring, uint16_t group, uint16_t count,
                  uint32_t size, io_uring_buf_ring* entries, char* base);

  io_uring* const ring_;
  const uint16_t group_;
  const uint16_t count_;
  const uint32_t size_;
  io_uring_buf_ring* const entries_;  // shared with the kernel
  char* const base_;                  // count_ * size_ bytes
};

}  // namespace shardd

#endif  // SHARDD_SHARD_PROVIDED_BUFFERS_H_
