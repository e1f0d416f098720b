#include "net/http/response_writer.h"

#include "absl/strings/str_cat.h"

namespace shardd::http {
namespace {

absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

void WriteResponse(const Response& response, std::string* out) {
  absl::StrAppend(out, "HTTP/1.1 ", response.status, " ",
                  View(ReasonPhrase(response.status)), "\r\n",
                  "Content-Type: ", View(response.content_type), "\r\n",
                  "Content-Length: ", response.body.size(), "\r\n");
  if (!response.allow.empty()) {
    absl::StrAppend(out, "Allow: ", View(response.allow), "\r\n");
  }
  absl::StrAppend(out, "Connection: ",
                  response.keep_alive ? "keep-alive" : "close", "\r\n\r\n");
  if (!response.omit_body) out->append(response.body);
}

}  // namespace shardd::http
