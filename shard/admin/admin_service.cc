#include "shard/admin/admin_service.h"

#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <utility>

#include "net/http/response_writer.h"
#include "net/input_buffer.h"
#include "net/socket_io.h"
#include "shard/invoke_on.h"
#include "shard/stats/prometheus_text.h"
#include "shard/stats/stats_json.h"

namespace shardd::admin {
namespace {

// Requests are a line and a few headers; the parser rejects more than 8 KiB.
constexpr size_t kReadChunk = 4 * 1024;
constexpr size_t kMaxBuffered = 16 * 1024;

constexpr std::string_view kJsonContentType = "application/json";

}  // namespace

AdminService::AdminService(AdminOptions options, uint32_t shard_count,
                           SnapshotFn snapshot)
    : options_(std::move(options)),
      shard_count_(shard_count),
      snapshot_(std::move(snapshot)) {}

absl::Status AdminService::Listen() {
  absl::StatusOr<net::ListenerGroup> group =
      net::ListenerGroup::Open(options_.bind_address, options_.port, 1);
  if (!group.ok()) return group.status();
  listener_.emplace(std::move(*group));
  return absl::OkStatus();
}

void AdminService::StartOnShard(Reactor& reactor) {
  if (reactor.shard_id() != options_.serving_shard) return;
  reactor.Spawn(AcceptLoop(listener_->fd(0)));
}

Task<void> AdminService::AcceptLoop(int listen_fd) {
  Reactor& reactor = *Reactor::Current();
  for (;;) {
    const int fd = co_await net::AcceptOn(listen_fd);
    if (fd == -ECANCELED) break;
    if (fd < 0) continue;  // e.g. the peer reset before we accepted
    reactor.Spawn(ServeConnection(fd));
  }
}

Task<void> AdminService::ServeConnection(int fd) {
  net::InputBuffer input(kReadChunk, kMaxBuffered);
  const http::ParseLimits limits;
  http::Request request;
  std::string output;
  bool open = true;
  while (open) {
    const http::ParseResult parsed =
        http::ParseRequest(input.data(), limits, &request);
    if (parsed.status == http::ParseStatus::kIncomplete) {
      std::span<char> space = input.WritableSpace();
      if (space.empty()) break;  // cannot happen below the parser's limit
      const int received =
          co_await net::ReceiveSome(fd, space.data(), space.size());
      if (received <= 0) break;
      input.Commit(static_cast<size_t>(received));
      continue;
    }
    output.clear();
    if (parsed.status == http::ParseStatus::kError) {
      http::WriteResponse({.status = parsed.error_status,
                           .body = parsed.error,
                           .keep_alive = false},
                          &output);
      open = false;
    } else {
      // This endpoint takes no bodies; rather than skip one, answer and close.
      if (request.content_length > 0) request.keep_alive = false;
      output = co_await Respond(request);
      open = request.keep_alive;
      input.Consume(parsed.consumed);
    }
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
  }
  close(fd);
}

Task<std::string> AdminService::Respond(const http::Request& request) {
  std::string out;
  http::Response response{.keep_alive = request.keep_alive,
                          .omit_body = request.method == "HEAD"};
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    response.body = "method not allowed\n";
    response.allow = "GET, HEAD";
    http::WriteResponse(response, &out);
    co_return out;
  }
  const std::string_view path =
      request.target.substr(0, request.target.find('?'));
  std::string body;
  if (path == "/metrics") {
    body = stats::RenderPrometheusText(co_await GatherSnapshots());
    response.content_type = stats::kPrometheusContentType;
  } else if (path == "/stats") {
    body = stats::RenderStatsJson(co_await GatherSnapshots());
    response.content_type = kJsonContentType;
  } else if (path == "/healthz") {
    body = "ok\n";
  } else {
    response.status = 404;
    body = "not found; try /metrics, /stats or /healthz\n";
  }
  response.body = body;
  http::WriteResponse(response, &out);
  co_return out;
}

Task<std::vector<stats::ShardStatsSnapshot>> AdminService::GatherSnapshots() {
  std::vector<stats::ShardStatsSnapshot> snapshots;
  snapshots.reserve(shard_count_);
  for (uint32_t s = 0; s < shard_count_; ++s) {
    snapshots.push_back(co_await InvokeOn(s, [this] { return snapshot_(); }));
  }
  co_return snapshots;
}

}  // namespace shardd::admin
