#include "shard/kv/commands/scan_arguments.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "shard/kv/commands/arg_parsing.h"
#include "shard/kv/commands/glob_match.h"
#include "shard/kv/commands/reply_errors.h"

namespace shardd::kv {

bool ParseScanCursor(std::string_view text, uint64_t* cursor) {
  // Redis hands strtoul a C string, so a NUL byte ends the argument.
  text = UpToNul(text);
  if (text.empty()) {  // strtoul converts nothing and stops at the end
    *cursor = 0;
    return true;
  }
  if (absl::ascii_isspace(static_cast<unsigned char>(text[0]))) return false;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return false;  // strtoul's ERANGE
    }
    value = value * 10 + digit;
  }
  // strtoul negates in unsigned arithmetic: "-1" is the largest cursor.
  *cursor = negative ? 0 - value : value;
  return true;
}

bool ScanOptions::Matches(std::string_view element) const {
  return !pattern.has_value() || GlobMatch(*pattern, element);
}

bool ParseScanOptions(CommandArgs options, resp::ReplyWriter& reply,
                      ScanOptions* parsed) {
  for (size_t i = 0; i < options.size(); i += 2) {
    const bool has_value = i + 1 < options.size();
    if (has_value && EqualsIgnoreCase(options[i], "count")) {
      int64_t count;
      if (!ParseInt64(options[i + 1], &count)) {
        reply.Error(kNotIntegerError);
        return false;
      }
      if (count < 1) {
        reply.Error(kSyntaxError);
        return false;
      }
      parsed->count = static_cast<size_t>(count);
    } else if (has_value && EqualsIgnoreCase(options[i], "match")) {
      // A lone "*" matches everything, so it does not filter (Redis skips
      // it too; for the glob rules "*" would not even match "").
      if (options[i + 1] == "*") {
        parsed->pattern.reset();
      } else {
        parsed->pattern = options[i + 1];
      }
    } else {
      reply.Error(kSyntaxError);
      return false;
    }
  }
  return true;
}

}  // namespace shardd::kv
