#include "shard/registered_files.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace shardd {

absl::StatusOr<std::unique_ptr<RegisteredFiles>> RegisteredFiles::Register(
    io_uring* ring, uint32_t size) {
  const int rc = io_uring_register_files_sparse(ring, size);
  if (rc < 0) {
    return absl::UnavailableError(absl::StrCat("registering a table of ", size,
                                               " files: ", std::strerror(-rc)));
  }
  return std::unique_ptr<RegisteredFiles>(new RegisteredFiles(ring, size));
}

RegisteredFiles::RegisteredFiles(io_uring* ring, uint32_t size)
    : ring_(ring), size_(size) {
  free_.reserve(size);
  for (uint32_t i = size; i > 0; --i) free_.push_back(static_cast<int>(i - 1));
}

RegisteredFiles::~RegisteredFiles() { io_uring_unregister_files(ring_); }

std::optional<int> RegisteredFiles::Install(int fd) {
  if (free_.empty()) return std::nullopt;
  const int index = free_.back();
  if (io_uring_register_files_update(ring_, static_cast<unsigned>(index), &fd,
                                     1) != 1) {
    return std::nullopt;
  }
  free_.pop_back();
  return index;
}

void RegisteredFiles::Remove(int index) {
  if (io_uring_sq_ready(ring_) > 0) io_uring_submit(ring_);
  int none = -1;
  io_uring_register_files_update(ring_, static_cast<unsigned>(index), &none, 1);
  free_.push_back(index);
}

}  // namespace shardd
