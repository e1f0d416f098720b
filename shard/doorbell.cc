#include "shard/doorbell.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace shardd {

Doorbell::Doorbell() : fd_(eventfd(0, EFD_CLOEXEC)) {
  if (fd_ < 0) {
    std::perror("shardd: eventfd");
    std::abort();
  }
}

Doorbell::~Doorbell() { close(fd_); }

void Doorbell::Ring() {
  uint64_t one = 1;
  // Blocking eventfd (io_uring polls it for us); a write only blocks if the
  // counter nears 2^64, which a wake-up count never does.
  while (write(fd_, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
}

}  // namespace shardd
