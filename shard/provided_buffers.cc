#include "shard/provided_buffers.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace shardd {
namespace {

void* MapAnonymous(size_t bytes) {
  void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return memory == MAP_FAILED ? nullptr : memory;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProvidedBuffers>> ProvidedBuffers::Register(
    io_uring* ring, uint16_t group, uint16_t count, uint32_t size) {
  if (count == 0 || (count & (count - 1)) != 0 || count > 32768) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer count ", count, " is not a power of two"));
  }
  // The entries must be page-aligned, which mmap gives; the buffers are
  // mapped too, so pages no receive ever touched cost no memory.
  const size_t entries_bytes = count * sizeof(io_uring_buf);
  const size_t buffer_bytes = static_cast<size_t>(count) * size;
  auto* entries = static_cast<io_uring_buf_ring*>(MapAnonymous(entries_bytes));
  char* base = static_cast<char*>(MapAnonymous(buffer_bytes));
  if (entries == nullptr || base == nullptr) {
    const int error = errno;
    if (entries != nullptr) munmap(entries, entries_bytes);
    if (base != nullptr) munmap(base, buffer_bytes);
    return absl::ResourceExhaustedError(
        absl::StrCat("mmap for receive buffers: ", std::strerror(error)));
  }
  io_uring_buf_reg registration{};
  registration.ring_addr = reinterpret_cast<uintptr_t>(entries);
  registration.ring_entries = count;
  registration.bgid = group;
  const int rc = io_uring_register_buf_ring(ring, &registration, 0);
  if (rc < 0) {
    munmap(entries, entries_bytes);
    munmap(base, buffer_bytes);
    return absl::UnavailableError(
        absl::StrCat("io_uring_register_buf_ring: ", std::strerror(-rc)));
  }
  std::unique_ptr<ProvidedBuffers> buffers(
      new ProvidedBuffers(ring, group, count, size, entries, base));
  io_uring_buf_ring_init(entries);
  for (uint16_t id = 0; id < count; ++id) {
    io_uring_buf_ring_add(entries, base + static_cast<size_t>(id) * size, size,
                          id, io_uring_buf_ring_mask(count), id);
  }
  io_uring_buf_ring_advance(entries, count);
  return buffers;
}

ProvidedBuffers::ProvidedBuffers(io_uring* ring, uint16_t group,
                                 uint16_t count, uint32_t size,
                                 io_uring_buf_ring* entries, char* base)
    : ring_(ring),
      group_(group),
      count_(count),
      size_(size),
      entries_(entries),
      base_(base) {}

ProvidedBuffers::~ProvidedBuffers() {
  io_uring_unregister_buf_ring(ring_, group_);
  munmap(entries_, count_ * sizeof(io_uring_buf));
  munmap(base_, static_cast<size_t>(count_) * size_);
}

void ProvidedBuffers::Recycle(uint16_t id) {
  io_uring_buf_ring_add(entries_, base_ + static_cast<size_t>(id) * size_,
                        size_, id, io_uring_buf_ring_mask(count_), 0);
  io_uring_buf_ring_advance(entries_, 1);
}

}  // namespace shardd
