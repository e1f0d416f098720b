// RegisteredFiles: a ring's table of registered files (io_uring "fixed
// files"), used for connected sockets. An operation names a socket by its
// index in the table (IOSQE_FIXED_FILE) instead of a descriptor, so the
// kernel skips the descriptor lookup and reference count of every send and
// receive, and the socket needs no place in the process's descriptor
// table: a ring holds as many sockets as the table has entries, while
// RLIMIT_NOFILE caps descriptors per process (and each table's size).
//
//   RegisteredFiles* table = reactor.registered_files();  // null: none
//   if (std::optional<int> index = table->Install(fd)) close(fd);
//   ... sqe->fd = *index; sqe->flags |= IOSQE_FIXED_FILE ...
//   table->Remove(*index);  // closes the socket once no operation holds it
//
// Only the ring's own thread may use it (IORING_SETUP_SINGLE_ISSUER).
#ifndef SHARDD_SHARD_REGISTERED_FILES_H_
#define SHARDD_SHARD_REGISTERED_FILES_H_

#include <liburing.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"

namespace shardd {

class RegisteredFiles {
 public:
  // A table of `size` empty entries on `ring`. Fails where the kernel has
  // no sparse tables (before 5.19) or `size` exceeds RLIMIT_NOFILE.
  static absl::StatusOr<std::unique_ptr<RegisteredFiles>> Register(
      io_uring* ring, uint32_t size);

  // Whether this kernel closes a socket as soon as its entry is emptied
  // while other operations on registered files are in flight, as the
  // tables' users need (a server-side close must reach the client). Before
  // Linux 6.13 a removed file was let go only once every operation on the
  // table begun before the removal had ended: a connection's multishot
  // receive, armed for as long as it lives, would keep every later-closed
  // socket open. Tried on a ring of its own: an error says why not.
  static absl::Status ProbeClosesAtOnce();
  // Unregisters the table where the kernel lets this thread (a single
  // issuer's ring frees it at its exit anyway); the ring must still exist.
  ~RegisteredFiles();
  RegisteredFiles(const RegisteredFiles&) = delete;
  RegisteredFiles& operator=(const RegisteredFiles&) = delete;

  // Puts `fd` in a free entry and returns its index; the table then holds
  // its own reference, so the caller closes `fd`. nullopt when the table
  // is full (or the kernel refused).
  std::optional<int> Install(int fd);

  // Empties entry `index`. Operations already submitted keep the socket
  // until they end. SQEs prepared but not yet submitted are submitted
  // first: one naming `index` must not reach the entry's next socket (if
  // they cannot all be, or the kernel refuses the update, the entry is
  // never used again).
  void Remove(int index);

  uint32_t size() const { return size_; }
  uint32_t used() const { return size_ - static_cast<uint32_t>(free_.size()); }

 private:
  RegisteredFiles(io_uring* ring, uint32_t size);

  io_uring* const ring_;
  const uint32_t size_;
  std::vector<int> free_;  // indexes, the lowest last
};

}  // namespace shardd

#endif  // SHARDD_SHARD_REGISTERED_FILES_H_
