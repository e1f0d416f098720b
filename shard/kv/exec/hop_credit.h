// Hop credit: how many reply bytes a connection's commands may make other
// shards build before its client has taken the earlier ones. Without it, a
// client that pipelines GETs of large values owned by another shard and
// never reads would make that shard build every reply (1,024 x 1 MiB).
//
// Per connection and owner shard, the home shard grants a window of bytes;
// each hop carries the grant as it stands, and the owner counts what it has
// built for the connection:
//
//   owner, per hop:  if stalled or produced >= granted: refuse (stall)
//                    else run it; produced += reply size
//   home, per reply: granted += reply size   (the reply is about to be sent)
//   home, refused:   once every reply before it is sent, send the refused
//                    commands again, in order; the first clears the stall
//
// A refused command has not run, and every later command of the connection
// on that owner is refused too until the retry, so commands still run in
// the order sent. (An owner refuses the same way a command that meets a key
// a transaction holds: key_locks.h.) A command over several shards waits
// until every earlier reply is in, refused ones included, before it starts.
// What one owner holds for a connection is at most the window plus the one
// reply that crossed it.
#ifndef SHARDD_SHARD_KV_EXEC_HOP_CREDIT_H_
#define SHARDD_SHARD_KV_EXEC_HOP_CREDIT_H_

#include <cstdint>
#include <memory>

namespace shardd::kv {

// Reply bytes an owner may build for one connection ahead of its client.
inline constexpr uint64_t kHopWindowBytes = 1 << 20;

// The owner's side: read and written only on the owner shard, while a hop
// of the connection runs there. Freed by the home shard once no hop is out.
struct alignas(64) HopStream {
  uint64_t produced = 0;  // reply bytes built for the connection
  bool stalled = false;   // refusing until a retried command arrives
  uint64_t refusals = 0;  // commands refused, for lack of credit or a lock
};

// The home shard's side, one per owner shard the connection sent to.
struct HopCredit {
  uint32_t owner = 0;
  uint64_t granted = kHopWindowBytes;
  uint32_t in_flight = 0;  // hops sent and not back yet
  std::unique_ptr<HopStream> stream;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_HOP_CREDIT_H_
