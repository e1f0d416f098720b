#include "shard/kv/resp_session.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

#include "net/input_buffer.h"
#include "net/resp/reply_writer.h"
#include "net/resp/request_parser.h"
#include "net/socket_io.h"
#include "shard/kv/command_router.h"
#include "shard/kv/key_prefetcher.h"
#include "shard/kv/reply_queue.h"
#include "shard/stats/monotonic_clock.h"

namespace shardd::kv {
namespace {

// Redis's PROTO_IOBUF_LEN: the read size, and the buffer a connection keeps.
constexpr size_t kReadChunk = 16 * 1024;
// A batch sends what it has once this much reply data is waiting.
constexpr size_t kMaxBatchReplyBytes = 64 * 1024;
// ... or once this many replies are still being computed on other shards.
constexpr size_t kMaxPendingRemote = 1024;
// An output buffer that grew past this for one huge reply is released.
constexpr size_t kRetainedOutputBytes = 1024 * 1024;

// Whether the kernel accepts IORING_RECVSEND_POLL_FIRST; per shard thread.
thread_local bool poll_first_works = true;

uint64_t NextClientId() {
  // Client ids are process-wide, like Redis's; a relaxed counter is enough.
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

Task<void> ServeRespConnection(KvService& service, int fd) {
  const uint32_t shard = Reactor::Current()->shard_id();
  stats::ShardStats& stats = Reactor::Current()->stats();
  net::InputBuffer input(kReadChunk, service.options().max_request_bytes);
  std::string output;
  ReplyQueue queue(&output);
  CommandRouter router(service, queue, NextClientId());
  std::vector<std::string_view> args;
  std::string scratch;
  KeyPrefetcher prefetcher;

  bool open = true;
  bool need_input = true;
  bool replied = false;
  size_t parse_again_at = 0;  // see resp::ParseResult::needed
  while (open) {
    if (need_input) {
      std::span<char> space = input.WritableSpace();
      if (space.empty()) break;  // one request exceeds max_request_bytes
      // Right after replies went out the client cannot have answered yet:
      // wait for data before trying to receive, instead of a receive
      // attempt that fails first (IORING_RECVSEND_POLL_FIRST, Linux 5.19).
      // Older kernels reject the flag; it is then dropped for good.
      const bool poll_first = replied && poll_first_works;
      int received = co_await net::ReceiveSome(fd, space.data(), space.size(),
                                               poll_first);
      if (received == -EINVAL && poll_first) {
        poll_first_works = false;
        received = co_await net::ReceiveSome(fd, space.data(), space.size());
      }
      if (received <= 0) break;
      input.Commit(static_cast<size_t>(received));
      stats.bytes_in += static_cast<uint64_t>(received);
    }
    need_input = true;
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
        looked_ahead = prefetcher.Prefetch(service, input.data());
      }
      const resp::ParseResult parsed = resp::ParseRequest(
          input.data(), service.parse_limits(), &args, &scratch);
      if (parsed.status == resp::ParseStatus::kIncomplete) {
        parse_again_at = parsed.needed;
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
      ++requests;
      const CommandRouter::Next next = router.Route(args);
      if (next == CommandRouter::Next::kDeferred) {
        co_await queue.Settle();
        output += co_await router.RunDeferred(args, fd);
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

    co_await queue.Settle();
    size_t sent = 0;
    while (sent < output.size()) {
      const int n = co_await net::SendSome(fd, output.data() + sent,
                                           output.size() - sent);
      if (n <= 0) {
        open = false;
        break;
      }
      sent += static_cast<size_t>(n);
    }
    stats.bytes_out += sent;
    replied = sent > 0;
    // Every request of a batch waited from the batch's arrival until its
    // replies were sent.
    if (requests > 0) {
      stats.request_ns.Record(stats::MonotonicNanos() - batch_started_ns,
                              requests);
    }
    output.clear();
    if (output.capacity() > kRetainedOutputBytes) output.shrink_to_fit();
  }
  // Replies still travelling between shards point into this frame.
  co_await queue.Settle();
  close(fd);
  service.balancer().Release(shard);
  ++stats.connections_closed;
  --stats.connections_current;
}

}  // namespace shardd::kv
