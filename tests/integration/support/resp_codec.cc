#include "tests/integration/support/resp_codec.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace shardd::integration {
namespace {

using State = ReplyScan::State;

// Scans the reply (RESP2 or RESP3) starting at `bytes[*pos]`; on kComplete
// advances `*pos` past it. Nested aggregates recurse, bounded by `depth`.
State ScanAt(std::string_view bytes, size_t* pos, int depth) {
  if (depth > 64) return State::kMalformed;
  if (*pos >= bytes.size()) return State::kIncomplete;
  const size_t eol = bytes.find("\r\n", *pos);
  if (eol == std::string_view::npos) {
    // A header line is short; a long run without CRLF is garbage.
    return bytes.size() - *pos > 64 * 1024 ? State::kMalformed
                                           : State::kIncomplete;
  }
  const char type = bytes[*pos];
  const std::string_view header = bytes.substr(*pos + 1, eol - *pos - 1);
  const size_t after_header = eol + 2;
  switch (type) {
    case '+':
    case '-':
    case ',':  // double
    case '(':  // big number
      *pos = after_header;
      return State::kComplete;
    case '_':  // null
      if (!header.empty()) return State::kMalformed;
      *pos = after_header;
      return State::kComplete;
    case '#':  // boolean
      if (header != "t" && header != "f") return State::kMalformed;
      *pos = after_header;
      return State::kComplete;
    case ':': {
      if (!ParseInt64(header)) return State::kMalformed;
      *pos = after_header;
      return State::kComplete;
    }
    case '$':
    case '=':    // verbatim string
    case '!': {  // blob error
      const std::optional<int64_t> parsed = ParseInt64(header);
      if (!parsed || *parsed < (type == '$' ? -1 : 0)) {
        return State::kMalformed;
      }
      const int64_t length = *parsed;
      if (length == -1) {
        *pos = after_header;
        return State::kComplete;
      }
      const size_t end = after_header + static_cast<size_t>(length) + 2;
      if (bytes.size() < end) return State::kIncomplete;
      if (bytes.substr(end - 2, 2) != "\r\n") return State::kMalformed;
      *pos = end;
      return State::kComplete;
    }
    case '*':
    case '~':    // set
    case '>':    // push
    case '%':    // map: a key and a value per entry
    case '|': {  // attribute: a map, then the reply it annotates
      const std::optional<int64_t> count = ParseInt64(header);
      if (!count || *count < (type == '*' ? -1 : 0)) return State::kMalformed;
      const int64_t elements = type == '%'   ? 2 * *count
                               : type == '|' ? 2 * *count + 1
                                             : *count;
      size_t cursor = after_header;
      for (int64_t i = 0; i < elements; ++i) {
        const State element = ScanAt(bytes, &cursor, depth + 1);
        if (element != State::kComplete) return element;
      }
      *pos = cursor;
      return State::kComplete;
    }
    default:
      return State::kMalformed;
  }
}

}  // namespace

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) {
    absl::StrAppend(&out, "$", arg.size(), "\r\n");
    out += arg;
    out += "\r\n";
  }
  return out;
}

ReplyScan ScanReply(std::string_view bytes) {
  size_t pos = 0;
  const State state = ScanAt(bytes, &pos, 0);
  return ReplyScan{.state = state,
                   .length = state == State::kComplete ? pos : 0};
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  int64_t value;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<int64_t> InfoInteger(std::string_view info,
                                   std::string_view field) {
  for (size_t at = info.find(field); at != std::string_view::npos;
       at = info.find(field, at + 1)) {
    const size_t value = at + field.size() + 1;
    if ((at != 0 && info[at - 1] != '\n') || value > info.size() ||
        info[value - 1] != ':') {
      continue;
    }
    return ParseInt64(info.substr(value, info.find("\r\n", value) - value));
  }
  return std::nullopt;
}

std::optional<int64_t> IntegerOf(std::string_view reply) {
  if (reply.size() < 3 || reply[0] != ':' || !reply.ends_with("\r\n")) {
    return std::nullopt;
  }
  return ParseInt64(reply.substr(1, reply.size() - 3));
}

std::optional<std::string> BulkOf(std::string_view reply) {
  if (reply.empty() || reply[0] != '$') return std::nullopt;
  const size_t eol = reply.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  const std::optional<int64_t> length = ParseInt64(reply.substr(1, eol - 1));
  if (!length || *length < 0 ||
      reply.size() != eol + 2 + static_cast<size_t>(*length) + 2) {
    return std::nullopt;
  }
  return std::string(reply.substr(eol + 2, static_cast<size_t>(*length)));
}

std::optional<std::vector<std::string>> BulkArrayOf(std::string_view reply) {
  if (reply.empty() || reply[0] != '*') return std::nullopt;
  size_t eol = reply.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  const std::optional<int64_t> count = ParseInt64(reply.substr(1, eol - 1));
  if (!count || *count < 0) return std::nullopt;
  std::vector<std::string> items;
  std::string_view rest = reply.substr(eol + 2);
  for (int64_t i = 0; i < *count; ++i) {
    const ReplyScan scan = ScanReply(rest);
    if (scan.state != ReplyScan::State::kComplete) return std::nullopt;
    std::optional<std::string> item = BulkOf(rest.substr(0, scan.length));
    if (!item) return std::nullopt;
    items.push_back(*std::move(item));
    rest.remove_prefix(scan.length);
  }
  if (!rest.empty()) return std::nullopt;
  return items;
}

std::string Bulk(std::string_view payload) {
  std::string out = absl::StrCat("$", payload.size(), "\r\n");
  out.append(payload);
  out += "\r\n";
  return out;
}

std::string Integer(int64_t value) { return absl::StrCat(":", value, "\r\n"); }

std::string Error(std::string_view message) {
  return absl::StrCat("-", std::string(message), "\r\n");
}

std::string Printable(std::string_view bytes, size_t max_length) {
  // Debian's Abseil has its own string_view, not std::string_view.
  const absl::string_view head(bytes.data(),
                               std::min(bytes.size(), max_length));
  if (bytes.size() <= max_length) return absl::CEscape(head);
  return absl::StrCat(absl::CEscape(head), "... (", bytes.size(), " bytes)");
}

}  // namespace shardd::integration
