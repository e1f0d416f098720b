// HttpHeadReader: what every HTTP service (admin, files) does between
// requests on one connection: receive until a request's line and headers
// parse, within --http_header_timeout of its first byte (of the connection,
// for the first request), after at most --http_idle_timeout of silence
// between requests. A request head that does not arrive in time gets 408
// and the close; a silent keep-alive connection is closed quietly.
//
//   HttpHeadReader reader(connection, input, header_timeout, idle_timeout);
//   while (true) {
//     http::ParseResult head = co_await reader.Next(&request);
//     if (head.status != http::ParseStatus::kComplete) break;  // see Next
//     ... answer; input still holds the head (head.consumed bytes) ...
//     reader.RequestDone();
//   }
#ifndef SHARDD_NET_HTTP_HEAD_READER_H_
#define SHARDD_NET_HTTP_HEAD_READER_H_

#include "absl/time/time.h"
#include "net/connection.h"
#include "net/http/request_parser.h"
#include "net/input_buffer.h"
#include "shard/task.h"

namespace shardd::net {

class HttpHeadReader {
 public:
  HttpHeadReader(Connection& connection, InputBuffer& input,
                 absl::Duration header_timeout, absl::Duration idle_timeout);

  // kComplete: `request` holds the next head, still at the front of the
  // input (`consumed` bytes). kError: the bytes are no request; the error
  // response (`error_status`, `error`) has been sent and the connection is
  // done. kIncomplete: the connection is done (closed by the client, timed
  // out, or failed) and nothing more is to be sent.
  Task<http::ParseResult> Next(http::Request* request);

  // The response to the last head is sent: the idle period starts.
  void RequestDone();

 private:
  Connection& connection_;
  InputBuffer& input_;
  const http::ParseLimits limits_;
  const absl::Duration header_timeout_;
  const absl::Duration idle_timeout_;
  absl::Time deadline_;
  bool between_requests_ = false;
};

}  // namespace shardd::net

#endif  // SHARDD_NET_HTTP_HEAD_READER_H_
