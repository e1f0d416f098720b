#include "shard/kv/resp_session.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/clock.h"
#include "net/input_buffer.h"
#include "net/resp/reply_writer.h"
#include "net/resp/request_parser.h"
#include "shard/kv/exec/client_pause.h"
#include "shard/kv/exec/command_router.h"
#include "shard/kv/exec/durability_fence.h"
#include "shard/kv/exec/key_prefetcher.h"
#include "shard/kv/exec/keyspace_notifier.h"
#include "shard/kv/exec/log_backlog.h"
#include "shard/kv/exec/reply_queue.h"
#include "shard/kv/pubsub/subscriber.h"
#include "shard/reactor.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

// Redis's PROTO_IOBUF_LEN: the read size, and the buffer a connection keeps.
constexpr size_t kReadChunk = 16 * 1024;
// A batch sends what it has once this much reply data is waiting.
constexpr size_t kMaxBatchReplyBytes = 64 * 1024;
// ... or once this many replies are still being computed on other shards.
constexpr size_t kMaxPendingRemote = 1024;

constexpr std::string_view kQueryBufferLimitError =
    "ERR Protocol error: request exceeds client-query-buffer-limit";

// Protected mode's refusal (the code is Redis's; clients show the text).
constexpr std::string_view kProtectedModeError =
    "DENIED shardd is running in protected mode: no password is set "
    "(--requirepass), so it serves only clients connecting from 127.0.0.1 "
    "or ::1. To serve others, set a password (clients then AUTH), or start "
    "shardd with --protected_mode=false if this port is reachable only from "
    "networks you trust.";

// A coroutine of its own, so that the session's frame, which every idle
// connection holds, has no room for the refusal and its send.
Task<void> RefuseUnprotected(net::Connection& connection) {
  std::string refusal;
  resp::ReplyWriter(&refusal).Error(kProtectedModeError);
  co_await connection.SendAll(refusal, absl::Seconds(1));
}

uint64_t NextClientId() {
  // Client ids are process-wide, like Redis's; a relaxed counter is enough.
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// A subscribed connection's second coroutine: sends what its Subscriber
// holds (the session's replies and the messages between them) as it comes,
// while the session waits for input. Shares the connection, which it may
// outlive to send the last replies (QUIT's +OK); the last of the two to go
// closes it.
Task<void> PushToSubscriber(std::shared_ptr<Subscriber> subscriber,
                            std::shared_ptr<net::Connection> connection,
                            absl::Duration idle_timeout) {
  std::string sending;
  for (;;) {
    subscriber->SwapOutbox(sending);
    if (sending.empty()) {
      if (subscriber->closing() || subscriber->overflowed()) break;
      // (False: the shard stops.)
      if (!co_await subscriber->wake().Until(absl::InfiniteFuture())) break;
      continue;
    }
    // Redis's --timeout does not apply to subscribers (the pub/sub output
    // limits bound one that does not read, not the normal class's); it
    // does once the connection has unsubscribed or is closing.
    const bool listening = subscriber->subscribed() && !subscriber->closing();
    subscriber->set_sending(sending.size());
    const bool sent = co_await connection->SendAll(
        sending, listening ? absl::InfiniteDuration() : idle_timeout,
        /*output_limited=*/false);
    subscriber->set_sending(0);
    if (!sent) {
      // The session, waiting for input, sees the end too.
      connection->Shutdown(SHUT_RDWR);
      break;
    }
  }
}

}  // namespace

Task<void> ServeRespConnection(KvService& service, net::Connection connection) {
  stats::CommandStats& stats = service.Local().stats;
  const KvConfig& config = service.config();
  if (config.protected_mode() && !config.password_required() &&
      !connection.addresses().PeerIsLocalHost()) {
    ++stats.errors;
    co_await RefuseUnprotected(connection);
    co_return;
  }
  net::InputBuffer input(kReadChunk,
                         service.config().client_query_buffer_limit());
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service.shards(), service, queue, NextClientId());
  router.set_connection(&connection);
  std::vector<std::string_view> args;
  std::string scratch;
  KeyPrefetcher& prefetcher = service.LocalPrefetcher();
  // --timeout, as CONFIG SET timeout leaves it: read again for each wait.
  const auto timeout_now = [&config] {
    const int seconds = config.idle_timeout_seconds();
    return seconds > 0 ? absl::Seconds(seconds) : absl::InfiniteDuration();
  };
  absl::Duration idle_timeout = timeout_now();
  // Once the connection subscribes, it and a pusher share the connection,
  // and every send goes through the Subscriber (PushToSubscriber).
  net::Connection* conn = &connection;
  std::shared_ptr<net::Connection> shared_connection;
  auto start_pushing = [&] {
    if (shared_connection != nullptr || router.subscriber() == nullptr) return;
    shared_connection =
        std::make_shared<net::Connection>(std::move(connection));
    conn = shared_connection.get();
    router.set_connection(conn);
    Reactor::Current()->Spawn(
        PushToSubscriber(router.subscriber(), shared_connection, idle_timeout));
  };

  bool open = true;
  bool gone = false;  // the client cannot be sent to any more
  bool need_input = true;
  size_t parse_again_at = 0;  // see resp::ParseResult::needed
  while (open) {
    idle_timeout = timeout_now();
    // CONFIG SET may change these between batches.
    const size_t query_limit = service.config().client_query_buffer_limit();
    const resp::ParseLimits parse_limits = service.parse_limits();
    input.set_limit(query_limit);
    router.set_transaction_limit(query_limit);
    // appendfsync always: no reply to a write goes out before its record
    // is on disk.
    const bool must_fence =
        service.Local().log.started() &&
        service.Local().log.policy() == aio::FsyncPolicy::kAlways;
    if (need_input) {
      // Subscribed clients are exempt from --timeout, as in Redis.
      const absl::Time deadline = idle_timeout == absl::InfiniteDuration() ||
                                          router.exempt_from_timeout()
                                      ? absl::InfiniteFuture()
                                      : absl::Now() + idle_timeout;
      const int received = co_await conn->Receive(input, deadline);
      if (received == -EAGAIN) continue;
      if (received == -ENOBUFS) {  // the request outgrew the query buffer
        resp::ReplyWriter(&output).Error(kQueryBufferLimitError);
        ++stats.errors;
        if (router.subscriber() != nullptr) {
          start_pushing();
          router.subscriber()->Release(output);
        } else {
          co_await conn->SendAll(output, idle_timeout);
        }
        break;
      }
      if (received == -ETIMEDOUT) ++conn->counters().timed_out;
      if (received <= 0) break;
    }
    need_input = true;
    // Keyspace events that another shard cannot take as fast as they come
    // hold new commands back (exec/keyspace_notifier.h).
    if (KeyspaceBacklogged(service.shards())) {
      ++service.Local().keyspace_backlog_waits;
      co_await WaitForKeyspaceBacklog(service.shards());
    }
    // So do logs that fall behind the disk (exec/log_backlog.h).
    if (service.shards().logs_behind() != 0) {
      ++service.Local().aof_buffer_limit_waits;
      co_await WaitForLogBacklog(service.shards());
    }
    // Messages that arrive while this batch is built wait behind it.
    if (router.subscriber() != nullptr) router.subscriber()->Hold();
    service.Local().outputs.Take(output);
    const uint64_t batch_started_ns = stats::MonotonicNanos();
    router.StartBatch(batch_started_ns);
    uint64_t requests = 0;
    size_t looked_ahead = 0;  // requests parsed by the prefetcher, not yet here

    // Execute requests until the input runs out, the client is done, or the
    // batch is big enough to send first.
    while (true) {
      // A large request is not re-parsed before enough of it has arrived.
      if (input.size() < parse_again_at) break;
      // Every parse, an empty request's too, uses up one request looked
      // ahead, so no byte is looked ahead at twice.
      if (looked_ahead == 0) {
        looked_ahead = prefetcher.Prefetch(service.shards(), parse_limits,
                                           input.data(), router.db(), &input);
      }
      resp::ParseResult parsed;
      if (!prefetcher.TakeParsed(&input, input.data(), &args, &parsed)) {
        parsed =
            resp::ParseRequest(input.data(), parse_limits, &args, &scratch);
      }
      if (parsed.status == resp::ParseStatus::kIncomplete) {
        parse_again_at = parsed.needed;
        // Known too large before it has all arrived: say so now.
        if (parsed.needed > query_limit) {
          resp::ReplyWriter(queue.LocalSink()).Error(kQueryBufferLimitError);
          ++stats.errors;
          open = false;
        }
        break;
      }
      if (looked_ahead > 0) --looked_ahead;
      parse_again_at = 0;
      if (parsed.status == resp::ParseStatus::kEmpty) {
        input.Consume(parsed.consumed);
        continue;
      }
      if (parsed.status == resp::ParseStatus::kError) {
        resp::ReplyWriter(queue.LocalSink()).Error(parsed.error);
        ++stats.errors;
        open = false;
        break;
      }
      // A request may arrive whole in one receive (everything the socket
      // had): the limit holds per request all the same.
      if (parsed.consumed > query_limit) {
        resp::ReplyWriter(queue.LocalSink()).Error(kQueryBufferLimitError);
        ++stats.errors;
        open = false;
        break;
      }
      ++requests;
      if (service.shards().pause_end_ms() != 0) {
        const bool go_on =
            co_await WaitWhilePaused(service.shards(), router, args);
        if (!go_on) {
          open = false;
          break;
        }
        // The command's time starts after the wait, as after any other.
        router.StartBatch(stats::MonotonicNanos());
      }
      const CommandRouter::Next next = router.Route(args);
      stats.hops_outstanding_high =
          std::max<uint64_t>(stats.hops_outstanding_high, queue.pending());
      if (next == CommandRouter::Next::kDeferred) {
        // Every earlier reply first, refused and retried ones included:
        // nothing is out then, so nothing can run before what came earlier.
        co_await router.Settle();
        while (queue.HasRefused()) {
          // (The flag stays: this command's own reply comes later.)
          if (router.wrote() && must_fence) {
            service.Local().replies_before_durable +=
                co_await WaitUntilDurable(service.shards());
          }
          if (router.subscriber() != nullptr) {
            start_pushing();
            router.subscriber()->Release(output);
            router.subscriber()->Hold();
          } else {
            gone = !co_await conn->SendAll(output, idle_timeout);
          }
          if (gone) break;
          output.clear();
          router.ResendRefused();
          co_await router.Settle();
        }
        if (gone) break;
        if (router.subscriber() != nullptr && !router.deferred_exec()) {
          // A subscriber's messages flow while the command waits (a BLPOP
          // in RESP3): the replies before it go first.
          if (router.wrote() && must_fence) {
            service.Local().replies_before_durable +=
                co_await WaitUntilDurable(service.shards());
          }
          start_pushing();
          router.subscriber()->Release(output);
        }
        const bool muted = router.last_muted();
        std::string reply = co_await router.RunDeferred(args);
        if (!muted) output += reply;
        if (router.subscriber() != nullptr) router.subscriber()->Hold();
        router.StartBatch(stats::MonotonicNanos());
      }
      input.Consume(parsed.consumed);
      if (next == CommandRouter::Next::kClose) {
        open = false;
        break;
      }
      if (queue.BufferedBytes() >= kMaxBatchReplyBytes ||
          queue.pending() >= kMaxPendingRemote) {
        need_input = false;
        break;
      }
    }

    if (gone) break;
    // Every reply in request order: after each send, the commands owners
    // refused for lack of credit go again (hop_credit.h) until none is left.
    for (;;) {
      co_await router.Settle();
      // Each send: a write refused by its owner and sent again replies in
      // a later round of this loop, and waits for the log there too.
      if (router.wrote() && must_fence) {
        service.Local().replies_before_durable +=
            co_await WaitUntilDurable(service.shards());
      }
      bool sent = true;
      if (router.subscriber() != nullptr) {
        start_pushing();
        router.subscriber()->Release(output);
        sent = !router.subscriber()->overflowed();
        // Replies still to come (refused, sent again) keep messages behind
        // them, a SUBSCRIBE's confirmation among them.
        if (queue.HasRefused()) router.subscriber()->Hold();
      } else {
        sent = co_await conn->SendAll(output, idle_timeout);
      }
      // Between batches the connection holds no reply buffer.
      service.Local().outputs.Give(output);
      if (!sent) {
        open = false;
        break;
      }
      if (!queue.HasRefused()) break;
      router.ResendRefused();
    }
    router.ClearWrote();
    // Every request of a batch waited from the batch's arrival until its
    // replies were sent.
    if (requests > 0) {
      stats.request_ns.Record(stats::MonotonicNanos() - batch_started_ns,
                              requests);
    }
  }
  // Replies still travelling between shards point into this frame.
  co_await router.Settle();
  router.DropRefused();
  if (router.subscriber() != nullptr) {
    if (router.subscriber()->overflowed()) ++conn->counters().output_limited;
    // What is left goes out from the pusher, which then lets go.
    router.subscriber()->Close();
  }
}

}  // namespace shardd::kv
