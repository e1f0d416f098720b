#include "net/resp/reply_reader.h"

#include "net/resp/integer.h"

namespace shardd::resp {
namespace {

// One reply's header line, e.g. "$5" of "$5\r\nhello\r\n".
struct Header {
  char type = 0;
  std::string_view text;  // between the type byte and the CRLF
  size_t end = 0;         // offset just past the CRLF
};

std::optional<Header> ReadHeader(std::string_view encoded, size_t pos) {
  if (pos >= encoded.size()) return std::nullopt;
  const size_t crlf = encoded.find("\r\n", pos);
  // crlf == pos would leave no type byte.
  if (crlf == std::string_view::npos || crlf == pos) return std::nullopt;
  return Header{encoded[pos], encoded.substr(pos + 1, crlf - pos - 1),
                crlf + 2};
}

// Moves *pos past the header of the reply starting there and, for a bulk
// string, past its payload. Sets *elements to the number of replies that follow
// as part of this one (an array's element count, otherwise 0).
bool SkipHeader(std::string_view encoded, size_t* pos, size_t* elements) {
  const std::optional<Header> header = ReadHeader(encoded, *pos);
  if (!header) return false;
  *elements = 0;
  *pos = header->end;
  int64_t number = 0;
  switch (header->type) {
    case '+':
    case '-':
    case ',':  // RESP3 double
    case '(':  // RESP3 big number
      return true;
    case '_':  // RESP3 null
      return header->text.empty();
    case '#':  // RESP3 boolean
      return header->text == "t" || header->text == "f";
    case ':':
      return ParseInteger(header->text, &number);
    case '$':
    case '=':    // RESP3 verbatim string
    case '!': {  // RESP3 blob error
      if (!ParseInteger(header->text, &number) || number < -1) return false;
      if (number == -1) return header->type == '$';
      const size_t length = static_cast<size_t>(number);
      const size_t available = encoded.size() - header->end;
      if (available < length || available - length < 2) return false;
      if (encoded.substr(header->end + length, 2) != "\r\n") return false;
      *pos = header->end + length + 2;
      return true;
    }
    case '*':
    case '~':    // RESP3 set
    case '>':    // RESP3 push
    case '%':    // RESP3 map: a key and a value per entry
    case '|': {  // RESP3 attribute: a map, then the reply it annotates
      if (!ParseInteger(header->text, &number) || number < -1) return false;
      if (number == -1) return header->type == '*';
      const bool pairs = header->type == '%' || header->type == '|';
      // Every element takes at least three bytes ("+\r\n"), so a count beyond
      // the remaining bytes cannot be complete; rejecting it early also keeps
      // the caller's pending count from overflowing.
      const uint64_t count = static_cast<uint64_t>(number) * (pairs ? 2 : 1) +
                             (header->type == '|' ? 1 : 0);
      if (count > encoded.size() - *pos) return false;
      *elements = static_cast<size_t>(count);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

std::optional<size_t> ReplyLength(std::string_view encoded) {
  // Walks headers iteratively with a count of replies still owed, so nesting
  // depth costs no stack.
  size_t pos = 0;
  size_t pending = 1;
  while (pending > 0) {
    size_t elements = 0;
    if (!SkipHeader(encoded, &pos, &elements)) return std::nullopt;
    pending = pending - 1 + elements;
  }
  return pos;
}

std::optional<int64_t> IntegerValue(std::string_view encoded) {
  const std::optional<Header> header = ReadHeader(encoded, 0);
  int64_t value = 0;
  if (!header || header->type != ':' || !ParseInteger(header->text, &value)) {
    return std::nullopt;
  }
  return value;
}

bool IsNull(std::string_view encoded) {
  return encoded == "_\r\n" || encoded == "$-1\r\n" || encoded == "*-1\r\n";
}

bool SplitArray(std::string_view encoded,
                std::vector<std::string_view>* elements) {
  const std::optional<Header> header = ReadHeader(encoded, 0);
  int64_t count = 0;
  if (!header || header->type != '*' || !ParseInteger(header->text, &count) ||
      count < 0) {
    return false;
  }
  const size_t original_size = elements->size();
  size_t pos = header->end;
  for (int64_t i = 0; i < count; ++i) {
    const std::optional<size_t> length = ReplyLength(encoded.substr(pos));
    if (!length) {
      elements->resize(original_size);
      return false;
    }
    elements->push_back(encoded.substr(pos, *length));
    pos += *length;
  }
  return true;
}

}  // namespace shardd::resp
