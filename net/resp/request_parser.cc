#include "net/resp/request_parser.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "net/resp/integer.h"

namespace shardd::resp {
namespace {

// Redis bounds a `*`/`$` header line by PROTO_INLINE_MAX_SIZE, independently of
// the inline limit a caller may tune.
constexpr size_t kMaxHeaderLine = 64 * 1024;

constexpr std::string_view kInvalidMultibulkLength =
    "ERR Protocol error: invalid multibulk length";
constexpr std::string_view kInvalidBulkLength =
    "ERR Protocol error: invalid bulk length";
constexpr std::string_view kTooBigInline =
    "ERR Protocol error: too big inline request";
constexpr std::string_view kTooBigMultibulkCount =
    "ERR Protocol error: too big mbulk count string";
constexpr std::string_view kTooBigBulkCount =
    "ERR Protocol error: too big bulk count string";
constexpr std::string_view kUnbalancedQuotes =
    "ERR Protocol error: unbalanced quotes in request";

constexpr std::string_view kExpectedDollarPrefix =
    "ERR Protocol error: expected '$', got '";
constexpr size_t kExpectedDollarSize = kExpectedDollarPrefix.size() + 2;

// Redis puts the offending byte into the message. One message per byte value,
// built at compile time, keeps the returned view valid forever without
// allocating. CR and LF become spaces, as in Redis, so the reply stays a line.
struct ExpectedDollarMessages {
  constexpr ExpectedDollarMessages() {
    for (int byte = 0; byte < 256; ++byte) {
      char* text = texts[byte];
      for (size_t i = 0; i < kExpectedDollarPrefix.size(); ++i) {
        text[i] = kExpectedDollarPrefix[i];
      }
      const bool newline = byte == '\r' || byte == '\n';
      text[kExpectedDollarSize - 2] = newline ? ' ' : static_cast<char>(byte);
      text[kExpectedDollarSize - 1] = '\'';
    }
  }

  std::string_view For(char got) const {
    return {texts[static_cast<unsigned char>(got)], kExpectedDollarSize};
  }

  char texts[256][kExpectedDollarSize] = {};
};

constexpr ExpectedDollarMessages kExpectedDollar;

ParseResult Incomplete(size_t needed = 0) {
  return {ParseStatus::kIncomplete, 0, {}, needed};
}

// The smallest a bulk argument can be on the wire: "$0\r\n\r\n".
constexpr size_t kMinBulkBytes = 6;
ParseResult Error(std::string_view text) {
  return {ParseStatus::kError, 0, text};
}

enum class LineEnd { kFound, kIncomplete, kTooLong };

// Finds the '\r' ending the header line that starts at `start`. Like Redis,
// the line is complete once one more byte follows the '\r'; that byte is
// skipped without checking that it is '\n'.
LineEnd FindHeaderEnd(std::string_view input, size_t start, size_t* cr) {
  if (start >= input.size()) return LineEnd::kIncomplete;
  const size_t available = input.size() - start;
  const size_t window = std::min(available, kMaxHeaderLine + 1);
  const void* found = std::memchr(input.data() + start, '\r', window);
  if (found == nullptr) {
    return available > kMaxHeaderLine ? LineEnd::kTooLong
                                      : LineEnd::kIncomplete;
  }
  *cr = static_cast<size_t>(static_cast<const char*>(found) - input.data());
  return *cr + 1 < input.size() ? LineEnd::kFound : LineEnd::kIncomplete;
}

// The common header, read in one pass: the prefix byte at `pos`, 1 to 18
// digits without a leading zero (so no overflow), '\r' and one more byte.
// Sets *value and *cr exactly as FindHeaderEnd and ParseInteger would; false
// for anything else (longer, negative, incomplete, malformed), which the
// caller then reads the general way, errors included. This skips a memchr
// and a second pass over the digits for every argument.
bool ReadShortHeader(std::string_view input, size_t pos, int64_t* value,
                     size_t* cr) {
  constexpr size_t kMaxDigits = 18;
  const size_t end = std::min(input.size(), pos + 1 + kMaxDigits);
  size_t i = pos + 1;
  uint64_t number = 0;
  while (i < end && static_cast<unsigned char>(input[i] - '0') <= 9) {
    number = number * 10 + static_cast<uint64_t>(input[i] - '0');
    ++i;
  }
  const size_t digits = i - pos - 1;
  if (digits == 0 || (digits > 1 && input[pos + 1] == '0')) return false;
  if (i + 1 >= input.size() || input[i] != '\r') return false;
  *value = static_cast<int64_t>(number);
  *cr = i;
  return true;
}

ParseResult ParseMultibulk(std::string_view input, const ParseLimits& limits,
                           std::vector<std::string_view>* args) {
  size_t cr = 0;
  int64_t count = 0;
  if (!ReadShortHeader(input, 0, &count, &cr)) {
    switch (FindHeaderEnd(input, 0, &cr)) {
      case LineEnd::kFound:
        break;
      case LineEnd::kIncomplete:
        return Incomplete();
      case LineEnd::kTooLong:
        return Error(kTooBigMultibulkCount);
    }
    if (!ParseInteger(input.substr(1, cr - 1), &count)) {
      return Error(kInvalidMultibulkLength);
    }
  }
  if (count > 0 && static_cast<uint64_t>(count) > limits.max_args) {
    return Error(kInvalidMultibulkLength);
  }
  size_t pos = cr + 2;
  // Redis treats `*0` and any negative count as a request with no arguments.
  if (count <= 0) return {ParseStatus::kEmpty, pos, {}};

  for (int64_t i = 0; i < count; ++i) {
    // Arguments after this one need at least this many more bytes.
    const size_t rest_bytes = static_cast<size_t>(count - i - 1) * kMinBulkBytes;
    int64_t length = 0;
    if (pos >= input.size() || input[pos] != '$' ||
        !ReadShortHeader(input, pos, &length, &cr)) {
      switch (FindHeaderEnd(input, pos, &cr)) {
        case LineEnd::kFound:
          break;
        case LineEnd::kIncomplete:
          // This header's line needs at least one more byte; the later
          // arguments need their minimum.
          return Incomplete(input.size() + 1 + rest_bytes);
        case LineEnd::kTooLong:
          return Error(kTooBigBulkCount);
      }
      if (input[pos] != '$') return Error(kExpectedDollar.For(input[pos]));
      if (!ParseInteger(input.substr(pos + 1, cr - pos - 1), &length) ||
          length < 0) {
        return Error(kInvalidBulkLength);
      }
    }
    if (static_cast<uint64_t>(length) > limits.max_bulk_bytes) {
      return Error(kInvalidBulkLength);
    }
    pos = cr + 2;
    // The payload is jumped over, never scanned, so it may hold any bytes. Like
    // Redis, the two bytes after it are taken as its CRLF without checking.
    const size_t payload = static_cast<size_t>(length);
    if (input.size() - pos < payload || input.size() - pos - payload < 2) {
      return Incomplete(pos + payload + 2 + rest_bytes);
    }
    args->push_back(input.substr(pos, payload));
    pos += payload + 2;
  }
  return {ParseStatus::kComplete, pos, {}};
}

// The character classes of Redis's sdssplitargs: blanks between arguments are
// C isspace(), but an unquoted argument ends only at these four.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}
bool EndsUnquotedArgument(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool IsQuote(char c) { return c == '"' || c == '\''; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// Appends the content of the quoted section opening at line[*pos] to `out`
// and moves *pos past its closing quote. Returns false if the quote is not
// closed, or is closed but directly followed by something other than a blank.
bool ReadQuoted(std::string_view line, size_t* pos, std::string* out) {
  const char quote = line[*pos];
  size_t i = *pos + 1;
  while (i < line.size()) {
    const char c = line[i];
    if (c == quote) {
      if (i + 1 < line.size() && !IsBlank(line[i + 1])) return false;
      *pos = i + 1;
      return true;
    }
    if (quote == '"' && c == '\\' && i + 3 < line.size() &&
        line[i + 1] == 'x' && HexValue(line[i + 2]) >= 0 &&
        HexValue(line[i + 3]) >= 0) {
      out->push_back(static_cast<char>(HexValue(line[i + 2]) * 16 +
                                       HexValue(line[i + 3])));
      i += 4;
    } else if (quote == '"' && c == '\\' && i + 1 < line.size()) {
      out->push_back(Unescape(line[i + 1]));
      i += 2;
    } else if (quote == '\'' && c == '\\' && i + 1 < line.size() &&
               line[i + 1] == '\'') {
      out->push_back('\'');
      i += 2;
    } else {
      out->push_back(c);
      ++i;
    }
  }
  return false;
}

// Splits `line` into arguments with Redis's sdssplitargs rules. An argument
// without quotes is a view into `line`; one with quotes is unescaped into
// `scratch`, reserved to the line's size so that it never reallocates
// (unquoting never lengthens text) and earlier views stay valid.
bool SplitInline(std::string_view line, std::vector<std::string_view>* args,
                 std::string* scratch) {
  size_t i = 0;
  while (true) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size()) return true;
    const size_t start = i;
    while (i < line.size() && !EndsUnquotedArgument(line[i]) &&
           !IsQuote(line[i])) {
      ++i;
    }
    if (i == line.size() || !IsQuote(line[i])) {
      args->push_back(line.substr(start, i - start));
      continue;
    }
    // A quote may open anywhere in an argument (a"b c" is `ab c`), and the
    // argument ends right after its closing quote.
    scratch->reserve(line.size());  // a no-op after the first quoted argument
    const size_t unquoted_start = scratch->size();
    scratch->append(line.substr(start, i - start));
    if (!ReadQuoted(line, &i, scratch)) return false;
    args->push_back(std::string_view(scratch->data() + unquoted_start,
                                     scratch->size() - unquoted_start));
  }
}

ParseResult ParseInline(std::string_view input, const ParseLimits& limits,
                        std::vector<std::string_view>* args,
                        std::string* scratch) {
  // A line ends at '\n' (an optional '\r' before it is dropped). Searching only
  // the first max_inline_bytes + 1 bytes bounds the work spent on a line that
  // is going to be rejected anyway.
  const size_t window = input.size() > limits.max_inline_bytes
                            ? limits.max_inline_bytes + 1
                            : input.size();
  const void* found = std::memchr(input.data(), '\n', window);
  if (found == nullptr) {
    return input.size() > limits.max_inline_bytes ? Error(kTooBigInline)
                                                  : Incomplete();
  }
  const size_t newline =
      static_cast<size_t>(static_cast<const char*>(found) - input.data());
  std::string_view line = input.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  if (!SplitInline(line, args, scratch)) return Error(kUnbalancedQuotes);
  const ParseStatus status =
      args->empty() ? ParseStatus::kEmpty : ParseStatus::kComplete;
  return {status, newline + 1, {}};
}

}  // namespace

ParseResult ParseRequest(std::string_view input, const ParseLimits& limits,
                         std::vector<std::string_view>* args,
                         std::string* scratch) {
  args->clear();
  scratch->clear();
  if (input.empty()) return Incomplete();
  // Like Redis, the first byte alone decides between the two forms.
  const ParseResult result = input.front() == '*'
                                 ? ParseMultibulk(input, limits, args)
                                 : ParseInline(input, limits, args, scratch);
  if (result.status != ParseStatus::kComplete) args->clear();
  return result;
}

}  // namespace shardd::resp
