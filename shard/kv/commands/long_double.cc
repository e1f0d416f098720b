#include "shard/kv/commands/long_double.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"

namespace shardd::kv {
namespace {

// Redis's MAX_LONG_DOUBLE_CHARS: longer text is not a number to it, and any
// finite long double fits in this many characters with %.17Lf.
constexpr size_t kMaxChars = 5 * 1024;

}  // namespace

bool ParseLongDouble(std::string_view text, long double* value) {
  if (text.empty() || text.size() >= kMaxChars) return false;
  char buffer[kMaxChars];  // strtold needs a terminated string
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (absl::ascii_isspace(static_cast<unsigned char>(buffer[0]))) return false;
  char* end;
  errno = 0;
  const long double parsed = std::strtold(buffer, &end);
  // An end short of the text covers trailing bytes and NUL bytes inside.
  if (end != buffer + text.size() || std::isnan(parsed)) return false;
  if (errno == ERANGE && (std::isinf(parsed) || parsed == 0)) return false;
  *value = parsed;
  return true;
}

std::string FormatLongDouble(long double value) {
  char buffer[kMaxChars];
  int length = std::snprintf(buffer, sizeof(buffer), "%.17Lf", value);
  if (std::memchr(buffer, '.', static_cast<size_t>(length)) != nullptr) {
    while (buffer[length - 1] == '0') --length;
    if (buffer[length - 1] == '.') --length;
  }
  if (length == 2 && buffer[0] == '-' && buffer[1] == '0') return "0";
  return std::string(buffer, static_cast<size_t>(length));
}

}  // namespace shardd::kv
