#include "net/http_head_reader.h"

#include <cerrno>
#include <string>

#include "absl/time/clock.h"
#include "net/http/response_writer.h"

namespace shardd::net {

HttpHeadReader::HttpHeadReader(Connection& connection, InputBuffer& input,
                               absl::Duration header_timeout,
                               absl::Duration idle_timeout)
    : connection_(connection),
      input_(input),
      header_timeout_(header_timeout),
      idle_timeout_(idle_timeout),
      deadline_(absl::Now() + header_timeout) {}

void HttpHeadReader::RequestDone() {
  between_requests_ = true;
  deadline_ = absl::Now() + idle_timeout_;
}

Task<http::ParseResult> HttpHeadReader::Next(http::Request* request) {
  while (true) {
    http::ParseResult parsed =
        http::ParseRequest(input_.data(), limits_, request);
    if (parsed.status == http::ParseStatus::kComplete) co_return parsed;
    std::string out;
    if (parsed.status == http::ParseStatus::kError) {
      http::WriteResponse({.status = parsed.error_status,
                           .body = parsed.error,
                           .keep_alive = false},
                          &out);
      co_await connection_.SendAll(out, idle_timeout_);
      co_return parsed;
    }
    input_.Consume(parsed.consumed);
    // The first byte of a request starts its header timeout.
    if (between_requests_ && input_.size() > 0) {
      between_requests_ = false;
      deadline_ = absl::Now() + header_timeout_;
    }
    const int received = co_await connection_.Receive(input_, deadline_);
    if (received == -EAGAIN) continue;
    if (received > 0) continue;
    if (received == -ETIMEDOUT) {
      ++connection_.counters().timed_out;
      // Between requests this is an ordinary keep-alive close; inside a
      // request the client learns why.
      if (!between_requests_) {
        http::WriteResponse({.status = 408,
                             .body = "request header timeout\n",
                             .keep_alive = false},
                            &out);
        co_await connection_.SendAll(out, idle_timeout_);
      }
    }
    co_return http::ParseResult{};  // kIncomplete: done
  }
}

}  // namespace shardd::net
