// HTTP/1.1 request parser: turns the bytes a client sent into one request's
// line and headers, or says more bytes are needed, or that the bytes are not
// an acceptable request (with the status to answer). Like the RESP parser it
// is a pure function of its input, so a connection calls it again on the
// grown buffer; the views it returns point into that input.
//
//   http::Request request;
//   http::ParseResult r = http::ParseRequest(buffer, limits, &request);
//   if (r.status == http::ParseStatus::kComplete) buffer.remove_prefix(r.consumed);
//
// Bodies are not parsed: `content_length` says how many bytes follow the
// headers, or `chunked` says a chunked body follows (decode it with
// http::ChunkedDecoder, net/http/chunked_decoder.h). Transfer-Encoding is
// accepted only as a single "Transfer-Encoding: chunked" header on HTTP/1.1:
// any other coding (even "gzip, chunked") is answered with 501, and a
// repeated header, one on HTTP/1.0, or one next to Content-Length (RFC 9112
// 6.1: a request smuggling risk) with 400.
#ifndef SHARDD_NET_HTTP_REQUEST_PARSER_H_
#define SHARDD_NET_HTTP_REQUEST_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace shardd::http {

struct ParseLimits {
  // Request line plus headers; larger is 431 (as nginx's default 8k buffer).
  size_t max_header_bytes = 8 * 1024;
  size_t max_headers = 100;
};

struct Header {
  std::string_view name;   // as sent; compare case-insensitively
  std::string_view value;  // without surrounding whitespace
};

struct Request {
  std::string_view method;  // case-sensitive, e.g. "GET"
  std::string_view target;  // e.g. "/metrics?x=1"
  int minor_version = 1;    // HTTP/1.<minor_version>
  std::vector<Header> headers;
  uint64_t content_length = 0;  // 0 if `chunked`
  // The body is chunked (Transfer-Encoding: chunked); a caller that does not
  // decode it must not read another request from the connection.
  bool chunked = false;
  bool keep_alive = true;  // after this request (Connection header, version)

  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> Find(std::string_view name) const;
};

enum class ParseStatus {
  kComplete,    // `consumed` bytes were the request line and headers
  kIncomplete,  // call again with more bytes (after dropping `consumed`)
  kError,       // answer `error_status` and close the connection
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  // kComplete: the request line and headers. kIncomplete: blank lines before
  // the request line (RFC 9112 2.2), which the caller may drop so that they
  // never count against the header limit or fill its buffer.
  size_t consumed = 0;
  int error_status = 0;    // 400, 431, 501 or 505 for kError
  std::string_view error;  // why, for the response body and logs
};

ParseResult ParseRequest(std::string_view input, const ParseLimits& limits,
                         Request* request);

}  // namespace shardd::http

#endif  // SHARDD_NET_HTTP_REQUEST_PARSER_H_
