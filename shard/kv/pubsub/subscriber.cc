#include "shard/kv/pubsub/subscriber.h"

#include <sys/socket.h>

#include <cstdio>
#include <utility>

#include "absl/time/clock.h"
#include "net/connection.h"

namespace shardd::kv {

Subscriber::Subscriber(net::SocketId socket, const PubSubLimits& limits,
                       resp::Protocol protocol)
    : socket_(socket), limits_(limits), protocol_(protocol) {}

Subscriber::Names& Subscriber::NamesOf(SubscriptionKind kind) {
  switch (kind) {
    case SubscriptionKind::kPattern:
      return patterns_;
    case SubscriptionKind::kShardChannel:
      return shard_channels_;
    case SubscriptionKind::kChannel:
      break;
  }
  return channels_;
}

bool Subscriber::PushMessage(std::string_view kind, std::string_view pattern,
                             std::string_view channel,
                             std::string_view payload) {
  if (overflowed_ || closing_) return false;
  scratch_.clear();
  resp::ReplyWriter writer(&scratch_, protocol_);
  writer.PushHeader(pattern.empty() ? 3 : 4);
  writer.Bulk(kind);
  if (!pattern.empty()) writer.Bulk(pattern);
  writer.Bulk(channel);
  writer.Bulk(payload);
  return Deliver(scratch_);
}

size_t Subscriber::pending() const {
  return outbox_.size() + held_.size() + sending_;
}

void Subscriber::Overflow(size_t pending) {
  overflowed_ = true;
  std::fprintf(stderr,
               "shardd: kv: closing a pub/sub client holding %zu bytes, over "
               "its output limit (--client_output_limit_pubsub)\n",
               pending);
  // The session, waiting for input, sees the end of the stream; the
  // pusher's send fails. Both then end the connection.
  net::ShutdownSocket(socket_, SHUT_RDWR);
  outbox_.clear();
  held_.clear();
  wake_.Wake();
}

bool Subscriber::Deliver(std::string_view bytes) {
  const size_t total = pending() + bytes.size();
  if (OverLimits(total)) {
    Overflow(total);
    return false;
  }
  if (holding_) {
    held_.append(bytes);
  } else {
    outbox_.append(bytes);
    wake_.Wake();
  }
  return true;
}

bool Subscriber::OverLimits(size_t pending) {
  if (limits_.hard_bytes > 0 && pending > limits_.hard_bytes) return true;
  if (limits_.soft_bytes == 0 || pending <= limits_.soft_bytes) {
    soft_since_ = absl::InfiniteFuture();
    return false;
  }
  const absl::Time now = absl::Now();
  if (soft_since_ == absl::InfiniteFuture()) soft_since_ = now;
  // Redis disconnects once the time over the soft limit exceeds the period
  // (whole seconds there; a period of 0 still lets the first excess by).
  return now - soft_since_ > limits_.soft_period;
}

void Subscriber::Release(std::string& replies) {
  holding_ = false;
  if (overflowed_) {
    replies.clear();
    held_.clear();
    return;
  }
  outbox_.append(replies);
  replies.clear();
  outbox_.append(held_);
  held_.clear();
  // Replies count too: a subscriber that sends but does not read is bounded
  // the same way.
  if (OverLimits(pending())) {
    Overflow(pending());
    return;
  }
  if (!outbox_.empty()) wake_.Wake();
}

void Subscriber::SwapOutbox(std::string& buffer) {
  buffer.clear();
  buffer.swap(outbox_);
}

void Subscriber::Close() {
  closing_ = true;
  wake_.Wake();
}

}  // namespace shardd::kv
