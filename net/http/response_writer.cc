#include "net/http/response_writer.h"

#include "absl/strings/str_cat.h"

namespace shardd::http {
namespace {

absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

void WriteResponse(const Response& response, std::string* out) {
  absl::StrAppend(out, "HTTP/1.1 ", response.status, " ",
                  View(ReasonPhrase(response.status)), "\r\n");
  // 204 and 304 have no body, and a 204 must not announce one (RFC 9110
  // 8.6); any other response is framed by its Content-Length.
  const bool no_body = response.status == 204 || response.status == 304;
  if (!no_body) {
    absl::StrAppend(out, "Content-Type: ", View(response.content_type),
                    "\r\n", "Content-Length: ",
                    response.streamed_length.value_or(response.body.size()),
                    "\r\n");
  }
  out->append(response.extra_headers);
  if (!response.allow.empty()) {
    absl::StrAppend(out, "Allow: ", View(response.allow), "\r\n");
  }
  absl::StrAppend(out, "Connection: ",
                  response.keep_alive ? "keep-alive" : "close", "\r\n\r\n");
  if (!response.omit_body && !no_body) out->append(response.body);
}

}  // namespace shardd::http
