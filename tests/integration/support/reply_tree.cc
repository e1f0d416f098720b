#include "tests/integration/support/reply_tree.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "tests/integration/support/resp_codec.h"

namespace shardd::integration {

bool IsAggregate(char type) {
  return type == '*' || type == '~' || type == '%' || type == '>';
}

namespace {

std::optional<Reply> Parse(std::string_view bytes, size_t* at) {
  const size_t eol = bytes.find("\r\n", *at);
  if (*at >= bytes.size() || eol == std::string_view::npos) return std::nullopt;
  Reply reply;
  reply.type = bytes[*at];
  reply.text = std::string(bytes.substr(*at + 1, eol - *at - 1));
  *at = eol + 2;
  reply.null = reply.type == '_';
  if (reply.type != '$' && !IsAggregate(reply.type)) return reply;
  const std::optional<int64_t> length = ParseInt64(reply.text);
  if (!length) return std::nullopt;
  reply.null = *length < 0;
  if (reply.type == '$' && !reply.null) {
    if (bytes.size() - *at < static_cast<size_t>(*length) + 2) {
      return std::nullopt;
    }
    reply.text = std::string(bytes.substr(*at, static_cast<size_t>(*length)));
    *at += static_cast<size_t>(*length) + 2;
  }
  const int64_t elements = reply.type == '%' ? 2 * *length : *length;
  for (int64_t i = 0; IsAggregate(reply.type) && i < elements; ++i) {
    std::optional<Reply> element = Parse(bytes, at);
    if (!element) return std::nullopt;
    reply.elements.push_back(*std::move(element));
  }
  return reply;
}

}  // namespace

std::optional<Reply> ParseReply(std::string_view bytes) {
  size_t at = 0;
  return Parse(bytes, &at);
}

std::string Encode(const Reply& reply) {
  if (reply.type == '$' && !reply.null) {
    return absl::StrCat("$", reply.text.size(), "\r\n", reply.text, "\r\n");
  }
  if (!IsAggregate(reply.type) || reply.null) {
    return absl::StrCat(std::string(1, reply.type), reply.text, "\r\n");
  }
  const size_t count =
      reply.type == '%' ? reply.elements.size() / 2 : reply.elements.size();
  std::string out = absl::StrCat(std::string(1, reply.type), count, "\r\n");
  for (const Reply& element : reply.elements) out += Encode(element);
  return out;
}

}  // namespace shardd::integration
