#include "tools/shardctl/resp_call.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "net/resp/reply_reader.h"
#include "net/resp/reply_writer.h"
#include "tools/shardctl/tcp_client.h"

namespace shardd::shardctl {

std::string RenderReply(std::string_view encoded) {
  const size_t line_end = encoded.find("\r\n");
  const std::string_view line = encoded.substr(1, line_end - 1);
  switch (encoded.empty() ? '\0' : encoded[0]) {
    case '+':
      return std::string(line);
    case '-':
      return "(error) " + std::string(line);
    case ':':
      return "(integer) " + std::string(line);
    case '$': {
      if (line == "-1") return "(nil)";
      const size_t length = std::stoul(std::string(line));
      return std::string(encoded.substr(line_end + 2, length));
    }
    case '*': {
      std::vector<std::string_view> elements;
      if (!resp::SplitArray(encoded, &elements)) return "(nil)";
      if (elements.empty()) return "(empty array)";
      std::string out;
      for (size_t i = 0; i < elements.size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "" : "\n", i + 1, ") ",
                        RenderReply(elements[i]));
      }
      return out;
    }
    default:
      return std::string(encoded);
  }
}

absl::StatusOr<std::string> RespCall(const std::string& host, int port,
                                     const std::vector<std::string>& args,
                                     absl::Duration timeout,
                                     const std::string& password) {
  absl::StatusOr<TcpClient> client = TcpClient::Connect(host, port, timeout);
  if (!client.ok()) return client.status();
  std::string request;
  resp::ReplyWriter writer(&request);  // a request is an array of bulks
  if (!password.empty()) {
    writer.ArrayHeader(3);
    writer.Bulk("AUTH");
    writer.Bulk("default");
    writer.Bulk(password);
  }
  writer.ArrayHeader(args.size());
  for (const std::string& arg : args) writer.Bulk(arg);
  if (absl::Status s = client->SendAll(request); !s.ok()) return s;
  std::string data;
  bool authenticating = !password.empty();
  for (;;) {
    if (const std::optional<size_t> length = resp::ReplyLength(data)) {
      const std::string_view reply = std::string_view(data).substr(0, *length);
      if (!authenticating) return RenderReply(reply);
      if (reply.starts_with("-")) {
        return absl::PermissionDeniedError(absl::StrCat(
            "AUTH: ", std::string(reply.substr(1, reply.size() - 3))));
      }
      data.erase(0, *length);
      authenticating = false;
      continue;
    }
    absl::StatusOr<size_t> n = client->ReceiveSome(&data);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return absl::UnavailableError(
          "the connection closed before a RESP reply");
    }
  }
}

}  // namespace shardd::shardctl
