#include "net/http/request_parser.h"

#include <charconv>

namespace shardd::http {
namespace {

// RFC 9110 tchar: the characters of methods and header names.
bool IsTokenChar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
      (c >= 'A' && c <= 'Z')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Field values and targets: visible characters, spaces and tabs, and
// obs-text (bytes >= 0x80); never other control characters.
bool IsFieldChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if the comma-separated `list` holds `token` (case-insensitive).
bool ListContains(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (EqualsIgnoreCase(TrimWhitespace(list.substr(0, comma)), token)) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

ParseResult Error(int status, std::string_view why) {
  return {.status = ParseStatus::kError, .error_status = status, .error = why};
}

// The next line of `input` from `*pos` without its terminator (CRLF, or a
// bare LF, which RFC 9112 lets recipients accept); nullopt if incomplete.
std::optional<std::string_view> NextLine(std::string_view input, size_t* pos) {
  const size_t lf = input.find('\n', *pos);
  if (lf == std::string_view::npos) return std::nullopt;
  std::string_view line = input.substr(*pos, lf - *pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  *pos = lf + 1;
  return line;
}

std::optional<ParseResult> ParseRequestLine(std::string_view line,
                                            Request* request) {
  const size_t first = line.find(' ');
  const size_t last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    return Error(400, "malformed request line");
  }
  request->method = line.substr(0, first);
  request->target = line.substr(first + 1, last - first - 1);
  const std::string_view version = line.substr(last + 1);
  if (!IsToken(request->method)) return Error(400, "malformed method");
  if (request->target.empty()) return Error(400, "empty request target");
  for (unsigned char c : request->target) {
    if (c <= 0x20 || c == 0x7f) return Error(400, "malformed request target");
  }
  if (version.size() != 8 || !version.starts_with("HTTP/") ||
      version[6] != '.' || version[5] < '0' || version[5] > '9' ||
      version[7] < '0' || version[7] > '9') {
    return Error(400, "malformed HTTP version");
  }
  if (version[5] != '1') return Error(505, "HTTP version not supported");
  request->minor_version = version[7] - '0';
  return std::nullopt;
}

std::optional<ParseResult> ParseHeaderLine(std::string_view line,
                                           Request* request) {
  if (line.front() == ' ' || line.front() == '\t') {
    return Error(400, "obsolete header line folding");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Error(400, "header without ':'");
  const std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return Error(400, "malformed header name");
  const std::string_view value = TrimWhitespace(line.substr(colon + 1));
  for (unsigned char c : value) {
    if (!IsFieldChar(c)) return Error(400, "control character in header");
  }
  request->headers.push_back({name, value});
  return std::nullopt;
}

// Checks the headers whose meaning the parser owns: framing and keep-alive.
std::optional<ParseResult> ApplyHeaders(Request* request) {
  bool has_length = false;
  const Header* transfer_encoding = nullptr;
  request->keep_alive = request->minor_version >= 1;
  for (const Header& h : request->headers) {
    if (EqualsIgnoreCase(h.name, "transfer-encoding")) {
      // Two lines would make one list (RFC 9110 5.3); a client that splits
      // its codings over lines is more likely probing than sending.
      if (transfer_encoding != nullptr) {
        return Error(400, "repeated Transfer-Encoding");
      }
      transfer_encoding = &h;
    } else if (EqualsIgnoreCase(h.name, "content-length")) {
      uint64_t length = 0;
      const auto [end, ec] =
          std::from_chars(h.value.data(), h.value.data() + h.value.size(), length);
      if (h.value.empty() || ec != std::errc() ||
          end != h.value.data() + h.value.size() ||
          (has_length && length != request->content_length)) {
        return Error(400, "bad Content-Length");
      }
      has_length = true;
      request->content_length = length;
    } else if (EqualsIgnoreCase(h.name, "connection")) {
      if (ListContains(h.value, "close")) request->keep_alive = false;
      if (ListContains(h.value, "keep-alive")) request->keep_alive = true;
    }
  }
  if (transfer_encoding != nullptr) {
    // RFC 9112 6.1: a sender must not send both, and an intermediary may
    // have framed the message by the other one.
    if (has_length) {
      return Error(400, "both Transfer-Encoding and Content-Length");
    }
    // RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty
    // framing.
    if (request->minor_version == 0) {
      return Error(400, "Transfer-Encoding in an HTTP/1.0 request");
    }
    // Only "chunked" alone is decoded; any other coding, also one applied
    // before chunked ("gzip, chunked"), is not implemented.
    if (!EqualsIgnoreCase(transfer_encoding->value, "chunked")) {
      return Error(501, "Transfer-Encoding not implemented");
    }
    request->chunked = true;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Request::Find(std::string_view name) const {
  for (const Header& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return std::nullopt;
}

ParseResult ParseRequest(std::string_view input, const ParseLimits& limits,
                         Request* request) {
  *request = Request();
  size_t pos = 0;
  // RFC 9112 2.2: ignore empty lines before the request line.
  while (pos < input.size() && (input[pos] == '\r' || input[pos] == '\n')) {
    ++pos;
  }
  const size_t start = pos;
  const auto over_limit = [&](size_t end) {
    return end - start > limits.max_header_bytes;
  };
  const std::optional<std::string_view> request_line = NextLine(input, &pos);
  if (!request_line) {
    // Reject garbage early, without waiting for the limit: the method of a
    // request line in progress must already be a token.
    const std::string_view partial = input.substr(start);
    const std::string_view method = partial.substr(0, partial.find(' '));
    if (!method.empty() && !IsToken(method)) return Error(400, "malformed method");
    if (over_limit(input.size())) return Error(431, "request header too large");
    return {.consumed = start};
  }
  if (over_limit(pos)) return Error(431, "request header too large");
  if (auto error = ParseRequestLine(*request_line, request)) return *error;
  for (;;) {
    const std::optional<std::string_view> line = NextLine(input, &pos);
    if (!line) {
      if (over_limit(input.size())) return Error(431, "request header too large");
      return {};
    }
    if (over_limit(pos)) return Error(431, "request header too large");
    if (line->empty()) break;
    if (request->headers.size() == limits.max_headers) {
      return Error(431, "too many header fields");
    }
    if (auto error = ParseHeaderLine(*line, request)) return *error;
  }
  if (auto error = ApplyHeaders(request)) return *error;
  return {.status = ParseStatus::kComplete, .consumed = pos};
}

}  // namespace shardd::http
