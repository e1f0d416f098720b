// SocketId: how a connected socket is named to the kernel: by descriptor,
// or by its index in the shard ring's table of registered files
// (shard/registered_files.h), which only io_uring operations understand.
//
//   io_uring_prep_send(sqe, socket.value, data, size, 0);
//   socket.Target(sqe);  // after the prep, which clears sqe->flags
//   if (!socket.registered) ::shutdown(socket.value, SHUT_RD);
#ifndef SHARDD_NET_SOCKET_ID_H_
#define SHARDD_NET_SOCKET_ID_H_

#include <liburing.h>

namespace shardd::net {

struct SocketId {
  int value = -1;  // the descriptor, or the table index
  bool registered = false;

  bool valid() const { return value >= 0; }
  // Makes an SQE prepared with `value` name the table's entry if registered.
  void Target(io_uring_sqe* sqe) const {
    if (registered) sqe->flags |= IOSQE_FIXED_FILE;
  }
};

}  // namespace shardd::net

#endif  // SHARDD_NET_SOCKET_ID_H_
