// The router's pub/sub half: (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE act on
// the connection's Subscriber and this shard's registry at once; PUBLISH
// completes here when no other shard subscribes to anything, else it and
// PUBSUB are deferred (publish.h); RESET ends the connection's
// subscriptions, its transaction and RESP3.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/publish.h"

namespace shardd::kv {
namespace {

// What a (P|S)(UN)SUBSCRIBE acts on, and whether it adds.
struct SubscriptionOp {
  SubscriptionKind kind;
  bool subscribe;
};

SubscriptionOp OpOf(RouterOp op) {
  switch (op) {
    case RouterOp::kPSubscribe:
      return {SubscriptionKind::kPattern, true};
    case RouterOp::kPUnsubscribe:
      return {SubscriptionKind::kPattern, false};
    case RouterOp::kSSubscribe:
      return {SubscriptionKind::kShardChannel, true};
    case RouterOp::kSUnsubscribe:
      return {SubscriptionKind::kShardChannel, false};
    case RouterOp::kSubscribe:
      return {SubscriptionKind::kChannel, true};
    default:
      return {SubscriptionKind::kChannel, false};
  }
}

// The confirmation's first word: the command's name.
std::string_view WordOf(SubscriptionKind kind, bool subscribe) {
  switch (kind) {
    case SubscriptionKind::kPattern:
      return subscribe ? "psubscribe" : "punsubscribe";
    case SubscriptionKind::kShardChannel:
      return subscribe ? "ssubscribe" : "sunsubscribe";
    case SubscriptionKind::kChannel:
      break;
  }
  return subscribe ? "subscribe" : "unsubscribe";
}

// SSUBSCRIBE counts shard channels; the others count channels and patterns
// together.
int64_t CountFor(const Subscriber* subscriber, SubscriptionKind kind) {
  if (subscriber == nullptr) return 0;
  return static_cast<int64_t>(kind == SubscriptionKind::kShardChannel
                                  ? subscriber->shard_count()
                                  : subscriber->count());
}

void Confirm(resp::ReplyWriter& writer, std::string_view word,
             const std::string_view* name, int64_t count) {
  writer.PushHeader(3);
  writer.Bulk(word);
  if (name != nullptr) {
    writer.Bulk(*name);
  } else {
    writer.NullBulk();
  }
  writer.Integer(count);
}

bool AllowedWhenSubscribed(const CommandSpec& spec) {
  return ChangesSubscriptions(spec.router_op) ||
         spec.router_op == RouterOp::kReset || spec.name == "ping" ||
         spec.name == "quit";
}

}  // namespace

void CommandRouter::set_protocol(resp::Protocol protocol) {
  protocol_ = protocol;
  if (subscriber_ != nullptr) subscriber_->set_protocol(protocol);
}

bool CommandRouter::ReplyInSubscribedMode(const CommandSpec& spec,
                                          CommandArgs args) {
  resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
  if (!AllowedWhenSubscribed(spec)) {
    writer.Error(absl::StrCat(
        "ERR Can't execute '", std::string(spec.name),
        "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
        "allowed in this context"));
    ++shards_.Local().stats.errors;
    return true;
  }
  if (spec.name != "ping" || args.size() > 2) return false;
  // A subscribed RESP2 client tells replies from messages by shape: PING
  // answers as a message would, ["pong", <argument or "">].
  writer.ArrayHeader(2);
  writer.Bulk("pong");
  writer.Bulk(args.size() == 2 ? args[1] : std::string_view());
  CountRan(spec.name, /*failed=*/false);
  return true;
}

CommandRouter::Next CommandRouter::RunRouterOp(const CommandSpec& spec,
                                               CommandArgs args) {
  KvShard& local = shards_.Local();
  resp::ReplyWriter writer(queue_.LocalSink(), protocol_);
  switch (spec.router_op) {
    case RouterOp::kPublish:
    case RouterOp::kSPublish:
      // Deferred when other shards subscribe, or when this connection
      // does: its own message must go out before the PUBLISH's reply, as
      // in Redis, and a deferred command's earlier replies go first.
      if (subscribed() || !OnlyLocalSubscribers(shards_)) {
        return Next::kDeferred;
      }
      writer.Integer(local.pubsub.Publish(
          args[1], args[2], spec.router_op == RouterOp::kSPublish));
      break;
    case RouterOp::kPubSub:
      return Next::kDeferred;
    case RouterOp::kReset:
      Reset();
      writer.SimpleString("RESET");
      break;
    case RouterOp::kClient:
      return RunClientCommand(args);
    case RouterOp::kMonitor:
      // As Redis: a second MONITOR says nothing.
      if (monitoring_) break;
      if (subscriber_ == nullptr) {
        subscriber_ = std::make_shared<Subscriber>(
            client_socket(), shards_.pubsub_limits(), protocol_);
      }
      local.pubsub.AddMonitor(subscriber_.get());
      shards_.AddMonitors(1);
      monitoring_ = true;
      writer.Ok();
      break;
    default: {
      const SubscriptionOp op = OpOf(spec.router_op);
      if (op.subscribe) {
        Subscribe(op.kind, args.subspan(1), writer);
      } else {
        Unsubscribe(op.kind, args.subspan(1), writer);
      }
    }
  }
  CountRan(spec.name, /*failed=*/false);
  return Next::kContinue;
}

void CommandRouter::RunSubscription(const CommandSpec& spec, CommandArgs args,
                                    resp::Protocol protocol, std::string* out) {
  resp::ReplyWriter writer(out, protocol);
  const SubscriptionOp op = OpOf(spec.router_op);
  if (op.subscribe) {
    Subscribe(op.kind, args.subspan(1), writer);
  } else {
    Unsubscribe(op.kind, args.subspan(1), writer);
  }
}

void CommandRouter::Subscribe(SubscriptionKind kind, CommandArgs names,
                              resp::ReplyWriter& writer) {
  if (subscriber_ == nullptr) {
    subscriber_ = std::make_shared<Subscriber>(
        client_socket(), shards_.pubsub_limits(), protocol_);
  }
  const std::string_view word = WordOf(kind, /*subscribe=*/true);
  for (const std::string_view& name : names) {
    shards_.Local().pubsub.Add(kind, name, subscriber_.get());
    Confirm(writer, word, &name, CountFor(subscriber_.get(), kind));
  }
}

void CommandRouter::Unsubscribe(SubscriptionKind kind, CommandArgs names,
                                resp::ReplyWriter& writer) {
  const std::string_view word = WordOf(kind, /*subscribe=*/false);
  // No names: every one the connection has, or one reply with no name.
  std::vector<std::string> all;
  std::vector<std::string_view> views;
  if (names.empty() && subscriber_ != nullptr) {
    const Subscriber::Names& held = subscriber_->NamesOf(kind);
    all.assign(held.begin(), held.end());
    views.assign(all.begin(), all.end());
    names = views;
  }
  if (names.empty()) {
    Confirm(writer, word, nullptr, CountFor(subscriber_.get(), kind));
    return;
  }
  for (const std::string_view& name : names) {
    if (subscriber_ != nullptr) {
      shards_.Local().pubsub.Remove(kind, name, subscriber_.get());
    }
    Confirm(writer, word, &name, CountFor(subscriber_.get(), kind));
  }
}

void CommandRouter::UnsubscribeAll() {
  if (subscriber_ == nullptr) return;
  if (monitoring_) {
    shards_.Local().pubsub.RemoveMonitor(subscriber_.get());
    shards_.AddMonitors(-1);
    monitoring_ = false;
  }
  for (const SubscriptionKind kind :
       {SubscriptionKind::kChannel, SubscriptionKind::kPattern,
        SubscriptionKind::kShardChannel}) {
    const Subscriber::Names& held = subscriber_->NamesOf(kind);
    const std::vector<std::string> names(held.begin(), held.end());
    for (const std::string& name : names) {
      shards_.Local().pubsub.Remove(kind, name, subscriber_.get());
    }
  }
}

void CommandRouter::Reset() {
  if (multi_ != nullptr) {
    if (multi_->active()) multi_->End();
    UnwatchAll(shards_, *multi_);
  }
  UnsubscribeAll();
  set_protocol(resp::Protocol::kResp2);
  db_ = 0;  // RESET selects database 0, as Redis
  // As a new connection: with a password set, AUTH again.
  authenticated_ = !server_.PasswordRequired();
}

}  // namespace shardd::kv
