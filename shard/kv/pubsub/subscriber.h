// Subscriber: a connection that has used pub/sub. It holds the connection's
// subscriptions (channels, patterns, shard channels) and every byte on its
// way to the client: a message may arrive from any shard at any time, while
// the session sits waiting for input, so a second coroutine of the session
// (the pusher) sends what this holds, and the session's own replies go
// through here too, in order, once a Subscriber exists.
//
//   Subscriber sub(connection.socket(), limits, protocol);
//   sub.Hold();                          // the session is in a batch
//   sub.PushMessage("message", "", "news", "hello");  // held until...
//   sub.Release(output);                 // ...the batch's replies go first
//   sub.SwapOutbox(sending);             // the pusher sends these
//
// A message delivered while the session builds a batch of replies waits
// until the batch is out, so that it never lands inside a reply and never
// before the reply of the SUBSCRIBE that asked for it. Past its limits (a
// pending total over `hard`, or over `soft` for `soft_period`, as Redis's
// client-output-buffer-limit pubsub class) the connection is shut down and
// later messages are dropped.
#ifndef SHARDD_SHARD_KV_PUBSUB_SUBSCRIBER_H_
#define SHARDD_SHARD_KV_PUBSUB_SUBSCRIBER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "net/resp/reply_writer.h"
#include "net/socket_id.h"
#include "shard/kv/pubsub/pubsub_limits.h"
#include "shard/string_view_hash.h"
#include "shard/wakeable_wait.h"

namespace shardd::kv {

// The three kinds of subscription, each with its own namespace and its own
// words in replies and messages.
enum class SubscriptionKind : uint8_t { kChannel, kPattern, kShardChannel };

class Subscriber {
 public:
  // `socket`: the connection's, shut down past the limits (on this shard).
  Subscriber(net::SocketId socket, const PubSubLimits& limits,
             resp::Protocol protocol);
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  using Names =
      absl::flat_hash_set<std::string, StringViewHash, std::equal_to<>>;
  Names& NamesOf(SubscriptionKind kind);
  // What SUBSCRIBE and PSUBSCRIBE count (Redis counts channels and
  // patterns together), and what SSUBSCRIBE counts.
  size_t count() const { return channels_.size() + patterns_.size(); }
  size_t shard_count() const { return shard_channels_.size(); }
  // Subscribed to anything: RESP2's subscribed mode, and exempt from
  // --timeout.
  bool subscribed() const { return count() + shard_count() > 0; }

  // The protocol messages are written in; the session keeps it in step
  // with HELLO.
  void set_protocol(resp::Protocol protocol) { protocol_ = protocol; }

  // A message to this client: `pattern` is empty unless it matched a
  // pattern subscription ("pmessage"). False if it was dropped (limits).
  bool PushMessage(std::string_view kind, std::string_view pattern,
                   std::string_view channel, std::string_view payload);

  // A MONITOR line (already encoded) to this client; false if dropped.
  bool PushLine(std::string_view line) {
    return !overflowed_ && !closing_ && Deliver(line);
  }

  // The session starts a batch: messages wait until Release.
  void Hold() { holding_ = true; }
  // The session's batch of replies, `replies`, goes out next, then the
  // messages held meanwhile. Clears `replies`.
  void Release(std::string& replies);

  // For the pusher: everything to send now goes into `buffer` (cleared
  // first; empty: nothing), which lends its capacity back; and how much of
  // it the pusher still holds while sending, for the limits.
  void SwapOutbox(std::string& buffer);
  void set_sending(size_t bytes) { sending_ = bytes; }
  // The pusher waits here for something to send (or for Close).
  WakeableWait& wake() { return wake_; }
  bool has_output() const { return !outbox_.empty(); }

  // Limits: over them the connection was shut down.
  bool overflowed() const { return overflowed_; }

  // The session ends: the pusher stops once the outbox is out (at once if
  // the client is gone, whose send then fails).
  void Close();
  bool closing() const { return closing_; }

 private:
  // Appends `bytes` of a message, unless a limit drops it.
  bool Deliver(std::string_view bytes);
  // Bytes not yet sent: held, in the outbox, with the pusher.
  size_t pending() const;
  bool OverLimits(size_t pending);
  // Shuts the connection down and drops what waits.
  void Overflow(size_t pending);

  const net::SocketId socket_;
  const PubSubLimits limits_;
  resp::Protocol protocol_;
  Names channels_;
  Names patterns_;
  Names shard_channels_;
  std::string outbox_;  // for the pusher, in order
  std::string held_;    // messages that came during the session's batch
  std::string scratch_;
  size_t sending_ = 0;  // taken by the pusher, not yet sent
  absl::Time soft_since_ = absl::InfiniteFuture();
  bool holding_ = true;  // made inside a batch (by SUBSCRIBE)
  bool overflowed_ = false;
  bool closing_ = false;
  WakeableWait wake_;
};

}  // namespace shardd::kv

#endif  // SHARDD_SHARD_KV_PUBSUB_SUBSCRIBER_H_
