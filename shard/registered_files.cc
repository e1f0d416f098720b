#include "shard/registered_files.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

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

namespace {

// The probe's ring and sockets, let go of on every way out.
struct ProbeKit {
  io_uring ring{};
  bool ring_ready = false;
  int closed[2] = {-1, -1};  // [0] goes in the table and is removed
  int busy[2] = {-1, -1};    // [0] goes in the table, a recv waits on it

  ~ProbeKit() {
    if (ring_ready) io_uring_queue_exit(&ring);
    for (const int fd : {closed[0], closed[1], busy[0], busy[1]}) {
      if (fd >= 0) close(fd);
    }
  }
};

}  // namespace

absl::Status RegisteredFiles::ProbeClosesAtOnce() {
  ProbeKit kit;
  if (const int rc = io_uring_queue_init(4, &kit.ring, 0); rc < 0) {
    return absl::UnavailableError(
        absl::StrCat("io_uring_setup: ", std::strerror(-rc)));
  }
  kit.ring_ready = true;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, kit.closed) != 0 ||
      socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, kit.busy) != 0) {
    return absl::InternalError(
        absl::StrCat("socketpair: ", std::strerror(errno)));
  }
  // (Declared after the kit: the table goes first, the ring after it.)
  absl::StatusOr<std::unique_ptr<RegisteredFiles>> table =
      Register(&kit.ring, 2);
  if (!table.ok()) return table.status();
  const std::optional<int> removed = (*table)->Install(kit.closed[0]);
  const std::optional<int> waited_on = (*table)->Install(kit.busy[0]);
  if (!removed.has_value() || !waited_on.has_value()) {
    return absl::UnavailableError("installing a socket failed");
  }
  char byte = 0;
  io_uring_sqe* sqe = io_uring_get_sqe(&kit.ring);
  io_uring_prep_recv(sqe, *waited_on, &byte, 1, 0);
  sqe->flags |= IOSQE_FIXED_FILE;
  io_uring_cqe* cqe = nullptr;
  if (io_uring_submit(&kit.ring) != 1 ||
      io_uring_peek_cqe(&kit.ring, &cqe) == 0) {
    // Not waiting: the probe would prove nothing.
    return absl::UnavailableError(
        "a receive on a registered socket did not wait");
  }
  close(std::exchange(kit.closed[0], -1));
  (*table)->Remove(*removed);
  // The socket's end reaches its peer before the update returns (6.13+),
  // or not while the recv waits (before); the wait only bounds a slow
  // machine.
  pollfd peer{.fd = kit.closed[1], .events = POLLRDHUP, .revents = 0};
  int ready;
  do {
    ready = poll(&peer, 1, 100);
  } while (ready < 0 && errno == EINTR);
  // The recv ends (the peer's end closes) before the table goes: an older
  // kernel's unregistering would wait for it.
  close(std::exchange(kit.busy[1], -1));
  if (io_uring_wait_cqe(&kit.ring, &cqe) == 0) {
    io_uring_cqe_seen(&kit.ring, cqe);
  }
  if (ready <= 0) {
    return absl::UnavailableError(
        "removing a registered socket does not close it while other "
        "operations wait (Linux before 6.13)");
  }
  return absl::OkStatus();
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
  // The kernel may take part of the queue and stop (an SQE it could not
  // set up, memory short): until it took all, the entry is not reused.
  bool submitted = true;
  for (int tries = 0; tries < 8 && io_uring_sq_ready(ring_) > 0; ++tries) {
    submitted = io_uring_submit(ring_) >= 0 && io_uring_sq_ready(ring_) == 0;
  }
  int none = -1;
  if (io_uring_register_files_update(ring_, static_cast<unsigned>(index), &none,
                                     1) == 1 &&
      submitted) {
    free_.push_back(index);
  }
}

}  // namespace shardd
