// Appends an HTTP/1.1 response (status line, headers, body) to a buffer. Every
// response carries Content-Length, so keep-alive connections stay framed. A
// body too large to hold (a file) is sent by the caller after the headers:
// set `streamed_length` and leave `body` empty.
//
//   std::string out;
//   http::WriteResponse({.status = 200, .content_type = "text/plain",
//                        .body = "ok\n", .keep_alive = true}, &out);
#ifndef SHARDD_NET_HTTP_RESPONSE_WRITER_H_
#define SHARDD_NET_HTTP_RESPONSE_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardd::http {

struct Response {
  int status = 200;
  std::string_view content_type = "text/plain; charset=utf-8";
  std::string_view body;
  bool keep_alive = true;   // else "Connection: close"
  bool omit_body = false;   // HEAD: headers (with the body's length) only
  std::string_view allow;   // for 405: the methods allowed
  // More header lines, each "Name: value\r\n" (ETag, Last-Modified, ...).
  std::string_view extra_headers;
  // The length of a body the caller sends itself, after these headers.
  std::optional<uint64_t> streamed_length;
};

// The standard reason phrase of `status` ("OK", "Not Found", ...).
std::string_view ReasonPhrase(int status);

void WriteResponse(const Response& response, std::string* out);

}  // namespace shardd::http

#endif  // SHARDD_NET_HTTP_RESPONSE_WRITER_H_
