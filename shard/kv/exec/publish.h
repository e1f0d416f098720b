// PUBLISH, SPUBLISH and PUBSUB across shards. Subscribers live in the
// registry of the shard their connection is on (pubsub/pubsub_registry.h);
// a publish runs on every shard that has any subscription, through the
// mailboxes, on all of them at once (InvokeOnEach), and adds up the
// receivers.
//
//   if (OnlyLocalSubscribers(shards)) {
//     reply.Integer(shards.Local().pubsub.Publish(channel, payload, false));
//   } else {
//     int64_t n = co_await PublishEverywhere(shards, channel, payload, false);
//   }
//
// Order: a connection's deferred commands run one at a time, so its next
// PUBLISH starts once every shard has delivered the last one; and each pair
// of shards has one FIFO mailbox. Messages from one publishing connection
// thus reach every subscriber in publish order. That wait is also the
// publisher's back-pressure: one fan-out in flight per connection.
#ifndef SHARDD_SHARD_KV_EXEC_PUBLISH_H_
#define SHARDD_SHARD_KV_EXEC_PUBLISH_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "net/resp/reply_writer.h"
#include "shard/kv/commands/command.h"
#include "shard/kv/commands/session_context.h"
#include "shard/kv/exec/kv_shards.h"
#include "shard/task.h"

namespace shardd::kv {

// True if no shard but this one has a subscription: a publish then
// completes here without suspending.
bool OnlyLocalSubscribers(KvShards& shards);

// Delivers `payload` on `channel` (a shard channel if `sharded`) to every
// shard's subscribers; the number of receivers.
Task<int64_t> PublishEverywhere(KvShards& shards, std::string_view channel,
                                std::string_view payload, bool sharded);

// INFO's pubsub_channels, pubsub_patterns and pubsubshard_channels: the
// distinct names every shard's subscribers hold.
Task<PubSubCounts> CountSubscriptions(KvShards& shards);

// PUBSUB CHANNELS|NUMSUB|NUMPAT|SHARDCHANNELS|SHARDNUMSUB|HELP: the reply,
// from every shard's registry.
Task<std::string> RunPubSub(KvShards& shards, CommandArgs args,
                            resp::Protocol protocol);

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_EXEC_PUBLISH_H_
