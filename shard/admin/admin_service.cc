#include "shard/admin/admin_service.h"

#include <cerrno>
#include <numeric>
#include <string_view>
#include <utility>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "net/http/response_writer.h"
#include "net/http_head_reader.h"
#include "net/input_buffer.h"
#include "shard/invoke_on_each.h"
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

std::vector<const stats::StatsPart*> WithOwnPart(
    std::vector<const stats::StatsPart*> parts, const stats::StatsPart* own) {
  parts.push_back(own);
  return parts;
}

}  // namespace

AdminService::AdminService(AdminOptions options, uint32_t shard_count,
                           SnapshotFn snapshot,
                           std::vector<const stats::StatsPart*> parts)
    : options_(std::move(options)),
      shard_count_(shard_count),
      snapshot_(std::move(snapshot)),
      parts_(WithOwnPart(std::move(parts), &stats_part_)),
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

void AdminService::AddStats(stats::ShardStatsSnapshot& snapshot) const {
  const net::ConnectionCounters& c = acceptor_.CountersOn(snapshot.shard);
  stats::AdminStats& a = snapshot.stats;
  a.admin_connections_current = c.current;
  a.admin_connections_accepted = c.accepted;
  a.admin_connections_rejected = c.rejected;
  a.admin_connections_timed_out = c.timed_out;
}

void AdminService::StartOnShard(Reactor& reactor) {
  acceptor_.StartOnShard(reactor);
}

Task<void> AdminService::ServeConnection(net::Connection connection) {
  net::InputBuffer input(kReadChunk, kMaxBuffered);
  net::HttpHeadReader reader(connection, input, options_.header_timeout,
                             options_.idle_timeout);
  http::Request request;
  while (true) {
    const http::ParseResult parsed = co_await reader.Next(&request);
    if (parsed.status != http::ParseStatus::kComplete) break;
    // This endpoint takes no bodies; rather than skip one, answer and close.
    if (request.content_length > 0 || request.chunked) {
      request.keep_alive = false;
    }
    const std::string output = co_await Respond(request);
    input.Consume(parsed.consumed);
    if (!co_await connection.SendAll(output, options_.idle_timeout) ||
        !request.keep_alive) {
      break;
    }
    reader.RequestDone();
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
  if (path != "/healthz" && !Authorized(request)) {
    response.status = 401;
    response.extra_headers = "WWW-Authenticate: Bearer realm=\"shardd\"\r\n";
    response.body =
        "unauthorized: send Authorization: Bearer <--admin_token>\n";
    http::WriteResponse(response, &out);
    co_return out;
  }
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

bool AdminService::Authorized(const http::Request& request) const {
  const std::string& token = options_.token;
  if (token.empty()) return true;
  const std::optional<std::string_view> header = request.Find("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (!header || header->size() != kScheme.size() + token.size() ||
      !absl::EqualsIgnoreCase(
          absl::string_view(header->data(), kScheme.size()),
          absl::string_view(kScheme.data(), kScheme.size()))) {
    return false;
  }
  // Every byte is compared, so the time taken does not tell how much of a
  // guess was right.
  const std::string_view given = header->substr(kScheme.size());
  unsigned char differ = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    differ |= static_cast<unsigned char>(given[i] ^ token[i]);
  }
  return differ == 0;
}

Task<std::vector<stats::ShardStatsSnapshot>> AdminService::GatherSnapshots() {
  std::vector<uint32_t> every_shard(shard_count_);
  std::iota(every_shard.begin(), every_shard.end(), 0);
  co_return co_await InvokeOnEach(std::move(every_shard),
                                  [this](uint32_t) { return snapshot_(); });
}

}  // namespace shardd::admin
