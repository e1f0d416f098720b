#include "net/resp/reply_replay.h"

#include <cstdint>

#include "net/resp/integer.h"

namespace shardd::resp {

bool Replay(std::string_view encoded, ReplyWriter& writer) {
  // Aggregates are written as their headers come, so nesting needs no
  // stack: the writer does not need to know where an aggregate ends, and
  // a count of the elements still owed tells whether all came.
  size_t owed = 0;
  while (!encoded.empty()) {
    const size_t crlf = encoded.find("\r\n");
    if (crlf == std::string_view::npos || crlf == 0) return false;
    const char type = encoded[0];
    const std::string_view text = encoded.substr(1, crlf - 1);
    encoded.remove_prefix(crlf + 2);
    if (owed > 0) --owed;
    int64_t number = 0;
    switch (type) {
      case '+':
        writer.SimpleString(text);
        continue;
      case ',':
        writer.Double(text);
        continue;
      case '_':
        if (!text.empty()) return false;
        writer.NullBulk();
        continue;
      default:
        break;
    }
    if (!ParseInteger(text, &number)) return false;
    if (type == ':') {
      writer.Integer(number);
      continue;
    }
    // (Every element takes three bytes at least.)
    if (number < 0 || static_cast<uint64_t>(number) > encoded.size()) {
      return false;
    }
    const size_t count = static_cast<size_t>(number);
    switch (type) {
      case '$':
        if (encoded.size() < count + 2 || encoded.substr(count, 2) != "\r\n") {
          return false;
        }
        writer.Bulk(encoded.substr(0, count));
        encoded.remove_prefix(count + 2);
        break;
      case '*':
        writer.ArrayHeader(count);
        owed += count;
        break;
      case '~':
        writer.SetHeader(count);
        owed += count;
        break;
      case '%':
        writer.MapHeader(count);
        owed += 2 * count;
        break;
      default:
        return false;
    }
  }
  return owed == 0;
}

}  // namespace shardd::resp
