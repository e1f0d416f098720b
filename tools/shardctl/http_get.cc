#include "tools/shardctl/http_get.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/shardctl/tcp_client.h"

namespace shardd::shardctl {
namespace {

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// Parses the status line and headers in `head` (without the blank line).
absl::Status ParseHead(std::string_view head, int* status,
                       std::optional<uint64_t>* content_length) {
  const absl::Status not_http =
      absl::UnavailableError("the reply is not HTTP");
  if (!head.starts_with("HTTP/1.") || head.size() < 12 || head[8] != ' ') {
    return not_http;
  }
  if (std::from_chars(head.data() + 9, head.data() + 12, *status).ec !=
      std::errc()) {
    return not_http;
  }
  size_t pos = head.find('\n');
  while (pos != std::string_view::npos) {
    std::string_view line = head.substr(pos + 1);
    const size_t end = line.find('\n');
    line = line.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (StartsWithIgnoreCase(line, "content-length:")) {
      std::string_view value = line.substr(15);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      uint64_t length = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), length)
              .ec != std::errc()) {
        return not_http;
      }
      *content_length = length;
    }
    pos = end == std::string_view::npos ? end : pos + 1 + end;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HttpReply> HttpGet(const std::string& host, int port,
                                  const std::string& path,
                                  absl::Duration timeout,
                                  const std::string& bearer_token) {
  absl::StatusOr<TcpClient> client = TcpClient::Connect(host, port, timeout);
  if (!client.ok()) return client.status();
  const std::string authorization =
      bearer_token.empty()
          ? ""
          : absl::StrCat("Authorization: Bearer ", bearer_token, "\r\n");
  if (absl::Status s = client->SendAll(
          absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", host, "\r\n",
                       authorization, "Connection: close\r\n\r\n"));
      !s.ok()) {
    return s;
  }
  std::string data;
  size_t head_end = std::string::npos;
  HttpReply reply;
  std::optional<uint64_t> content_length;
  for (;;) {
    absl::StatusOr<size_t> n = client->ReceiveSome(&data);
    if (!n.ok()) return n.status();
    // Another protocol's port answers something else at once: fail now
    // rather than wait for a header end that never comes.
    if (data.size() >= 5 && !data.starts_with("HTTP/")) {
      return absl::UnavailableError("the reply is not HTTP");
    }
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        if (absl::Status s = ParseHead(std::string_view(data).substr(0, head_end),
                                       &reply.status, &content_length);
            !s.ok()) {
          return s;
        }
        head_end += 4;
      }
    }
    const bool complete = head_end != std::string::npos && content_length &&
                          data.size() - head_end >= *content_length;
    if (complete || *n == 0) break;
  }
  if (head_end == std::string::npos) {
    return absl::UnavailableError(
        "the connection closed without an HTTP reply");
  }
  reply.body = data.substr(head_end, content_length.value_or(std::string::npos));
  return reply;
}

}  // namespace shardd::shardctl
