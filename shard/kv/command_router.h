// CommandRouter: decides where one parsed command runs and makes sure its
// reply lands in the connection's ReplyQueue in request order.
//
//   CommandRouter router(service, queue, client_id);
//   switch (router.Route(args)) { case Next::kContinue: ... }
//
// A command whose keys are all owned by this shard runs right here, as a plain
// function call (no suspension, no allocation). A command owned by one other
// shard travels there as a RemoteCommand. A multi-key command whose keys span
// shards, or a whole-keyspace command, is split into one part per shard and
// merged by a FanOut. Commands about the connection or the server (QUIT,
// HELLO, COMMAND, ...) are answered here; INFO is left to the session because
// it has to wait for every shard.
#ifndef SHARDD_SHARD_KV_COMMAND_ROUTER_H_
#define SHARDD_SHARD_KV_COMMAND_ROUTER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "shard/kv/command.h"
#include "shard/kv/kv_service.h"
#include "shard/kv/reply_queue.h"

namespace shardd::kv {

class CommandRouter {
 public:
  enum class Next {
    kContinue,  // the reply is written or on its way
    kClose,     // reply written; close the connection after sending it
    kInfo,      // the session must produce the INFO reply
  };

  CommandRouter(KvService& service, ReplyQueue& queue, uint64_t client_id);

  Next Route(CommandArgs args);

 private:
  void RunOn(uint32_t shard, const CommandSpec& spec, CommandArgs args);
  void RunKeyed(const CommandSpec& spec, CommandArgs args);
  void RunOnEveryShard(const CommandSpec& spec, CommandArgs args);
  Next RunServiceCommand(const CommandSpec& spec, CommandArgs args);

  KvService& service_;
  ReplyQueue& queue_;
  const uint64_t client_id_;
  const uint32_t here_;
  // Scratch for splitting keys by owner, reused across commands.
  std::vector<std::vector<size_t>> positions_by_shard_;
  std::vector<std::string_view> part_args_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_COMMAND_ROUTER_H_
