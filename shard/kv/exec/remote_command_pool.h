// RemoteCommandPool: a shard's spare RemoteCommands (remote_command.h). A
// command is taken and given back on the shard of its connection, so a
// remote GET allocates nothing once the pool is warm. Bounded, so that a
// burst does not pin memory for good.
//
//   RemoteCommand* command = pool.Take();   // null: make a new one
//   pool.Give(command);                     // deletes it when the pool is full
#ifndef SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_POOL_H_
#define SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_POOL_H_

#include <cstddef>
#include <vector>

namespace shardd::kv {

class RemoteCommand;

class RemoteCommandPool {
 public:
  static constexpr size_t kMaxSpare = 1024;

  RemoteCommandPool() = default;
  RemoteCommandPool(const RemoteCommandPool&) = delete;
  RemoteCommandPool& operator=(const RemoteCommandPool&) = delete;
  ~RemoteCommandPool();

  RemoteCommand* Take();
  void Give(RemoteCommand* command);

 private:
  std::vector<RemoteCommand*> spare_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_REMOTE_COMMAND_POOL_H_
