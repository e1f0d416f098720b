// ClientRegistry: one shard's Redis-protocol connections, by client id, for
// CLIENT LIST and CLIENT KILL, which ask every shard (client_command.cc).
// Each connection's router registers itself for its life.
#ifndef SHARDD_SHARD_KV_EXEC_CLIENT_REGISTRY_H_
#define SHARDD_SHARD_KV_EXEC_CLIENT_REGISTRY_H_

#include <cstdint>

#include "absl/container/flat_hash_map.h"

namespace shardd::kv {

class CommandRouter;

using ClientRegistry = absl::flat_hash_map<uint64_t, CommandRouter*>;

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_CLIENT_REGISTRY_H_
