// The pub/sub family: SUBSCRIBE and friends act on the connection's
// subscriptions, PUBLISH and PUBSUB on every shard's; the router runs them
// all itself (RouterOp), so this family has only its table. RESET, which
// also ends a connection's subscriptions, and CLIENT, which lists and ends
// connections on every shard, are here too.
#include <cstdint>

#include "shard/kv/commands/family_tables.h"

namespace shardd::kv {
namespace {

constexpr uint32_t kListens = kPubSub | kNoScript | kLoading | kStale;
constexpr uint32_t kSends = kPubSub | kLoading | kStale | kFast;

// Redis 7.0's arity and flags, as COMMAND INFO reports them.
constexpr CommandSpec kPubSubCommands[] = {
    RouterCommand("subscribe", -2, kListens, RouterOp::kSubscribe),
    RouterCommand("unsubscribe", -1, kListens, RouterOp::kUnsubscribe),
    RouterCommand("psubscribe", -2, kListens, RouterOp::kPSubscribe),
    RouterCommand("punsubscribe", -1, kListens, RouterOp::kPUnsubscribe),
    RouterCommand("ssubscribe", -2, kListens, RouterOp::kSSubscribe),
    RouterCommand("sunsubscribe", -1, kListens, RouterOp::kSUnsubscribe),
    RouterCommand("publish", 3, kSends, RouterOp::kPublish),
    RouterCommand("spublish", 3, kSends, RouterOp::kSPublish),
    RouterCommand("pubsub", -2, 0, RouterOp::kPubSub),
    RouterCommand("reset", 1,
                  kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
                  RouterOp::kReset),
    // (Refused inside MULTI: the router runs it on the connection's state,
    // which EXEC's queued commands do not reach.)
    RouterCommand("client", -2, kNoScript | kLoading | kStale | kNoMulti,
                  RouterOp::kClient),
    RouterCommand("monitor", 1,
                  kAdmin | kNoScript | kLoading | kStale | kNoMulti,
                  RouterOp::kMonitor),
};

}  // namespace

absl::Span<const CommandSpec> PubSubCommandTable() { return kPubSubCommands; }

}  // namespace shardd::kv
