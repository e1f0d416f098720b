#include "shard/admin/admin_service.h"

#include <cerrno>
#include <string_view>
#include <utility>

#include "absl/time/clock.h"
#include "net/http/response_writer.h"
#include "net/input_buffer.h"
#include "shard/invoke_on.h"
#include "shard/stats/prometheus_text.h"
#include "shard/stats/stats_json.h"

namespace shardd::admin {
namespace {

// Requests are a line and a few headers; the parser rejects more than 8 KiB.
constexpr size_t kReadChunk = 4 * 1024;
constexpr size_t kMaxBuffered = 16 * 1024;

constexpr std::string_view kJsonContentType = "application/json";

std::string ResponseBytes(const http::Response& response) {
  std::string out;
  http::WriteResponse(response, &out);
  return out;
}

}  // namespace

AdminService::AdminService(AdminOptions options, uint32_t shard_count,
                           SnapshotFn snapshot,
                           std::vector<const stats::StatsPart*> parts)
    : options_(std::move(options)),
      shard_count_(shard_count),
      snapshot_(std::move(snapshot)),
      parts_(std::move(parts)),
      acceptor_(
          {.name = "admin",
           .bind_address = options_.bind_address,
           .port = options_.port,
           .listeners = 1,
           .balance = false,
           .max_clients = options_.max_clients,
           .refusal = ResponseBytes({.status = 503,
                                     .body = "too many admin connections\n",
                                     .keep_alive = false}),
           .keepalive_seconds = options_.tcp_keepalive_seconds},
          shard_count, [this](net::Connection connection) {
            return ServeConnection(std::move(connection));
          }) {}

absl::Status AdminService::Prepare() { return acceptor_.Listen(); }

void AdminService::StartOnShard(Reactor& reactor) {
  acceptor_.StartOnShard(reactor);
}

Task<void> AdminService::ServeConnection(net::Connection connection) {
  net::InputBuffer input(kReadChunk, kMaxBuffered);
  const http::ParseLimits limits;
  http::Request request;
  std::string output;
  // The first request's header must arrive within the header timeout of
  // the connection; later ones within it of their first byte, after at most
  // the idle timeout between requests.
  absl::Time deadline = absl::Now() + options_.header_timeout;
  bool between_requests = false;
  bool open = true;
  while (open) {
    const http::ParseResult parsed =
        http::ParseRequest(input.data(), limits, &request);
    if (parsed.status == http::ParseStatus::kIncomplete) {
      input.Consume(parsed.consumed);
      if (between_requests && input.size() > 0) {
        between_requests = false;
        deadline = absl::Now() + options_.header_timeout;
      }
      const int received = co_await connection.Receive(input, deadline);
      if (received == -EAGAIN) continue;
      if (received == -ETIMEDOUT) {
        ++connection.counters().timed_out;
        // Between requests this is an ordinary keep-alive close; inside a
        // request the client learns why.
        if (!between_requests) {
          co_await connection.SendAll(
              ResponseBytes({.status = 408,
                             .body = "request header timeout\n",
                             .keep_alive = false}),
              options_.idle_timeout);
        }
        break;
      }
      if (received <= 0) break;
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
      if (request.content_length > 0 || request.chunked) {
        request.keep_alive = false;
      }
      output = co_await Respond(request);
      open = request.keep_alive;
      input.Consume(parsed.consumed);
    }
    if (!co_await connection.SendAll(output, options_.idle_timeout)) break;
    between_requests = true;
    deadline = absl::Now() + options_.idle_timeout;
  }
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
    body = stats::RenderPrometheusText(co_await GatherSnapshots(), parts_);
    response.content_type = stats::kPrometheusContentType;
  } else if (path == "/stats") {
    body = stats::RenderStatsJson(co_await GatherSnapshots(), parts_);
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
