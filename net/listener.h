// Listening sockets: one per shard, all bound to the same address and port
// with SO_REUSEPORT, so each shard accepts on its own socket and the kernel
// spreads incoming connections over them.
//
//   absl::StatusOr<ListenerGroup> group = ListenerGroup::Open("127.0.0.1", 0, 4);
//   int fd = group->fd(shard);  uint16_t port = group->port();
#ifndef SHARDD_NET_LISTENER_H_
#define SHARDD_NET_LISTENER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace shardd::net {

class ListenerGroup {
 public:
  // Opens `count` sockets on `address:port` (IPv4 or IPv6 literal). Port 0
  // picks a free port for the first socket and binds the rest to the same.
  // A port another socket listens on already is an error: SO_REUSEPORT
  // would otherwise let a second server (same user) share it silently.
  static absl::StatusOr<ListenerGroup> Open(const std::string& address,
                                            uint16_t port, uint32_t count,
                                            int backlog = 4096);

  ListenerGroup(ListenerGroup&& other) noexcept;
  ListenerGroup& operator=(ListenerGroup&&) = delete;
  ListenerGroup(const ListenerGroup&) = delete;
  ~ListenerGroup();

  int fd(uint32_t index) const { return fds_[index]; }
  uint32_t size() const { return static_cast<uint32_t>(fds_.size()); }
  uint16_t port() const { return port_; }

 private:
  ListenerGroup() = default;

  std::vector<int> fds_;
  uint16_t port_ = 0;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_LISTENER_H_
